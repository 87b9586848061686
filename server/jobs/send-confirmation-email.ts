// Task `send_confirmation_email`: "your booking is confirmed", with View and Cancel links.
// Queued by the booking trigger on insert (and when a request is scheduled).
import { bookingEmailTask } from './booking-email.ts';
import type { JobDeps } from './deps.ts';

export const sendConfirmationEmail = (deps: JobDeps) =>
  bookingEmailTask(deps, 'confirmation', {
    isStillDue: (b) => b.status === 'scheduled' || b.status === 'confirmed',
    withCancelLink: true,
  });
