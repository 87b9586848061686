// Task `send_push`: a new notification (queued by the notifications trigger, migration 0007)
// pushed to every device its person subscribed, once per device: each send claims a ledger
// row (sent_messages, kind 'push', event '<notification>:<subscription>'), so a repeat of the
// job sends nothing twice. A device whose push service says the subscription is gone (404,
// 410) loses it. A push service that is busy or down (429, 5xx, no answer) is tried again for
// those devices only, by a new job at the time its Retry-After names (else backing off), up
// to MAX_PUSH_ATTEMPTS; this job itself succeeds, so graphile-worker's own backoff, which
// cannot honour Retry-After, never runs.
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { PushPayload } from '../../shared/push-message.ts';
import { isAllowedEndpoint } from '../push/push-services.ts';
import { type PushOutcome, type PushTarget, sendPushMessage } from '../push/send-push-message.ts';
import type { VapidKeys } from '../push/vapid.ts';
import type { JobDeps } from './deps.ts';
import { claimMessage, markError, markSent } from './ledger.ts';

const Payload = z.object({
  notificationId: z.string().uuid(),
  /** A retry: only these devices. */
  subscriptionIds: z.array(z.string().uuid()).optional(),
});

export const MAX_PUSH_ATTEMPTS = 8;
/** A push kept by the push service for a device that is off, at most. */
const PUSH_TTL_SECONDS = 24 * 3600;
const MAX_BACKOFF_MS = 3600_000;

interface Notification {
  id: string;
  user_id: string;
  booking_id: string | null;
  kind: string;
  title: string;
  body: string;
}

export function sendPush(deps: JobDeps, vapid: VapidKeys): Task {
  return async (payload, helpers) => {
    const { notificationId, subscriptionIds } = Payload.parse(payload);
    const { rows } = await deps.pool.query<Notification>(
      'SELECT id, user_id, booking_id, kind, title, body FROM notifications WHERE id = $1',
      [notificationId],
    );
    const notification = rows[0];
    if (!notification) return; // deleted with its booking meanwhile
    const devices = await deps.pool.query<PushTarget & { id: string }>(
      `SELECT id, endpoint, p256dh, auth FROM push_subscriptions
        WHERE user_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2))`,
      [notification.user_id, subscriptionIds ?? null],
    );
    const message = JSON.stringify({
      notificationId: notification.id,
      kind: notification.kind,
      title: notification.title,
      body: notification.body,
      bookingId: notification.booking_id,
    } satisfies PushPayload);
    const options = {
      vapid,
      subject: deps.push.subject,
      ttlSeconds: PUSH_TTL_SECONDS,
      urgency: notification.kind === 'booking_cancelled' ? ('high' as const) : ('normal' as const),
      // One topic per booking: a newer push about it replaces one still waiting at the push service.
      topic: (notification.booking_id ?? notification.id).replaceAll('-', ''),
    };

    const retries: { id: string; after: number }[] = [];
    await Promise.all(
      devices.rows.map(async (device) => {
        const ledgerId = await claimMessage(deps.pool, helpers.job.id, {
          bookingId: notification.booking_id,
          customerId: null,
          kind: 'push',
          eventKey: `${notification.id}:${device.id}`,
          recipient: originOf(device.endpoint),
        });
        if (!ledgerId) return; // sent already, failed for good, or being sent by another run
        if (!isAllowedEndpoint(device.endpoint, deps.push.services)) {
          await markError(deps.pool, ledgerId, 'Not one of the push services this server sends to.', true);
          return;
        }
        const outcome = await sendPushMessage(device, message, options);
        const retryAfter = await record(deps, ledgerId, device.id, outcome);
        if (retryAfter !== null) retries.push({ id: device.id, after: retryAfter });
      }),
    );
    if (retries.length) {
      const after = Math.max(...retries.map((r) => r.after));
      await helpers.addJob(
        'send_push',
        { notificationId, subscriptionIds: retries.map((r) => r.id) },
        { runAt: new Date(Date.now() + after), jobKey: `push-retry:${notificationId}` },
      );
    }
  };
}

/** Records one device's outcome; for one worth trying again, in how many ms. */
async function record(
  deps: JobDeps,
  ledgerId: string,
  deviceId: string,
  outcome: PushOutcome,
): Promise<number | null> {
  switch (outcome.kind) {
    case 'delivered':
      await markSent(deps.pool, ledgerId);
      await deps.pool.query('UPDATE push_subscriptions SET last_success_at = now() WHERE id = $1', [
        deviceId,
      ]);
      return null;
    case 'gone':
      await markError(deps.pool, ledgerId, `The device's subscription is gone (${outcome.status}).`, true);
      await deps.pool.query('DELETE FROM push_subscriptions WHERE id = $1', [deviceId]);
      deps.log.info(`Removed a push subscription its push service no longer knows (${outcome.status}).`);
      return null;
    case 'refused':
      await markError(deps.pool, ledgerId, outcome.error, true);
      deps.log.warn(`A push was refused for good: ${outcome.error}`);
      return null;
    case 'retry': {
      const { rows } = await deps.pool.query<{ attempts: number }>(
        'SELECT attempts FROM sent_messages WHERE id = $1',
        [ledgerId],
      );
      const attempts = rows[0]?.attempts ?? MAX_PUSH_ATTEMPTS;
      const lastAttempt = attempts >= MAX_PUSH_ATTEMPTS;
      await markError(deps.pool, ledgerId, outcome.error, lastAttempt);
      if (lastAttempt) return null;
      return outcome.retryAfterMs ?? Math.min(1000 * 2 ** attempts, MAX_BACKOFF_MS);
    }
  }
}

function originOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return 'an unreadable endpoint';
  }
}
