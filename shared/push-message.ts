// What a push carries and how the service worker shows it, once for the job that sends it
// (server/jobs/send-push.ts) and the service worker that shows it (client/lib/sw/sw.ts).

export interface PushPayload {
  readonly notificationId: string;
  /** The notification's kind: booking_cancelled, booking_rescheduled, booking_assigned, … */
  readonly kind: string;
  readonly title: string;
  /** What happened, with the booking's service, time and address. */
  readonly body: string;
  readonly bookingId: string | null;
}

/** Where opening the notification takes the person: the booking's page in the fieldworker app. */
export const pushTarget = (p: Pick<PushPayload, 'bookingId'>): string =>
  p.bookingId ? `/field/bookings/${p.bookingId}` : '/field/notifications';

/** The system notification: one per booking (a newer one about it replaces the older). */
export function notificationOptions(p: PushPayload): { title: string; options: NotificationOptions } {
  return {
    title: p.title,
    options: {
      body: p.body,
      tag: p.bookingId ? `booking-${p.bookingId}` : `notification-${p.notificationId}`,
      icon: '/field/icon-192.png',
      badge: '/field/icon-192.png',
      data: { url: pushTarget(p), notificationId: p.notificationId },
      requireInteraction: p.kind === 'booking_cancelled',
    },
  };
}
