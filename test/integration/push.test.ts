// Web push, server side, against a local push service that checks the VAPID JWT and decrypts
// aes128gcm as a browser would (test/support/push-receiver.ts): a cancellation reaches every
// device of the booking's fieldworker exactly once and nobody else's; a repeat of the job sends
// nothing twice; 410 removes the subscription; 503 with Retry-After is tried again at that time
// and then delivered. Subscriptions: one per device, replaced, removed, and only for known push
// services.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UNKNOWN_PUSH_SERVICE } from '../../server/api/push.ts';
import type { RunningServer } from '../../server/boot.ts';
import { loadConfig } from '../../server/config.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { readVapidKeys } from '../../server/push/vapid.ts';
import { type FakeDevice, type PushReceiver, startPushReceiver } from '../support/push-receiver.ts';
import { callerFor, eventually, sessionOf, startTestServer } from './helpers.ts';

let receiver: PushReceiver;
let server: RunningServer;
beforeAll(async () => {
  receiver = await startPushReceiver();
  server = await startTestServer({ PUSH_SERVICES: receiver.origin });
});
afterAll(async () => {
  await server.stop();
  await receiver.stop();
});
beforeEach(() => {
  receiver.received.length = 0;
  receiver.requests.length = 0;
  receiver.rejected.length = 0;
});

const pool = () => server.pool;
/** The API as `email` calls it, on a server that sends pushes to the local receiver. */
const as = async (email: string) =>
  callerFor(pool(), await sessionOf(pool(), email), {
    push: { ...loadConfig({}).push, services: [receiver.origin] },
  });
const sam = DEMO_SIGN_INS.fieldworkers[0];
const alex = DEMO_SIGN_INS.fieldworkers[1];

/** A fake browser subscribed as `email`; its device id is the app's. */
async function subscribed(email: string): Promise<FakeDevice & { deviceId: string }> {
  const device = receiver.device();
  const deviceId = randomUUID();
  await (await as(email)).push.subscribe({ writeId: randomUUID(), deviceId, ...device.subscription });
  return { ...device, deviceId };
}

/** Cancels an upcoming booking of `email`'s (plain SQL: the trigger makes the notification). */
async function cancelABookingOf(email: string): Promise<string> {
  const { rows } = await pool().query<{ id: string }>(
    `UPDATE bookings SET status = 'cancelled'
      WHERE id = (SELECT b.id FROM bookings b JOIN users u ON u.id = b.fieldworker_id
                   WHERE u.email = $1 AND b.status = 'scheduled' AND b.starts_at > now() ORDER BY b.starts_at LIMIT 1)
      RETURNING id`,
    [email],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error(`${email} has no upcoming booking to cancel`);
  return id;
}

const settle = () => new Promise((r) => setTimeout(r, 1500));
const pushesTo = (device: FakeDevice) => receiver.received.filter((p) => p.deviceId === device.id);

describe('a cancellation pushed to the fieldworker', () => {
  it('reaches each of their devices once, signed and encrypted, and no one else', async () => {
    const [phone, tablet] = [await subscribed(sam), await subscribed(sam)];
    const others = [await subscribed(alex), await subscribed(DEMO_SIGN_INS.admin)];
    const bookingId = await cancelABookingOf(sam);

    await eventually(async () => receiver.received.length >= 2);
    await settle();
    expect(receiver.rejected).toEqual([]);
    expect(receiver.received.map((p) => p.deviceId).sort()).toEqual([phone.id, tablet.id].sort());
    for (const device of others) expect(pushesTo(device)).toEqual([]);

    const [first] = pushesTo(phone);
    expect(first?.payload).toMatchObject({
      kind: 'booking_cancelled',
      title: 'Booking cancelled',
      bookingId,
    });
    expect(String(first?.payload.body)).toMatch(/was cancelled\.$/);
    expect(first?.headers.urgency).toBe('high');
    expect(first?.headers.topic).toBe(bookingId.replaceAll('-', ''));
    expect(Number(first?.headers.ttl)).toBeGreaterThan(0);
    expect(first?.vapidPublicKey).toBe((await readVapidKeys(pool()))?.publicKey);
    expect(first?.jwtClaims.sub).toMatch(/^mailto:/);

    const ledger = await eventually(async () => {
      const { rows } = await pool().query<{ status: string }>(
        `SELECT status FROM sent_messages WHERE kind = 'push' AND booking_id = $1`,
        [bookingId],
      );
      return rows.every((r) => r.status !== 'sending') && rows;
    });
    expect(ledger.map((r) => r.status)).toEqual(['sent', 'sent']);

    // The job run again (at least once means sometimes twice): nothing is sent twice.
    const { rows } = await pool().query<{ id: string }>(
      'SELECT id FROM notifications WHERE booking_id = $1',
      [bookingId],
    );
    await pool().query(
      `SELECT graphile_worker.add_job('send_push', json_build_object('notificationId', $1::uuid))`,
      [rows[0]?.id],
    );
    await settle();
    expect(receiver.received).toHaveLength(2);
  });

  it('forgets a device its push service no longer knows (410), and tries it no more', async () => {
    const gone = await subscribed(alex);
    receiver.script(gone.id, [{ status: 410 }]);
    await cancelABookingOf(alex);
    await eventually(async () => receiver.requests.some((r) => r.deviceId === gone.id));
    await eventually(async () => {
      const { rows } = await pool().query('SELECT 1 FROM push_subscriptions WHERE device_id = $1', [
        gone.deviceId,
      ]);
      return rows.length === 0;
    });
    await cancelABookingOf(alex);
    await settle();
    expect(receiver.requests.filter((r) => r.deviceId === gone.id)).toEqual([
      { deviceId: gone.id, status: 410 },
    ]);
  });

  it('tries a busy push service again when its Retry-After says, then delivers once', async () => {
    const busy = await subscribed(sam);
    receiver.script(busy.id, [{ status: 503, retryAfter: '2' }]);
    const started = performance.now();
    const bookingId = await cancelABookingOf(sam);
    const delivered = await eventually(async () => pushesTo(busy)[0], 15_000);
    expect(receiver.requests.filter((r) => r.deviceId === busy.id).map((r) => r.status)).toEqual([503, 201]);
    // Not before the 2 s the push service asked for.
    expect(delivered.at - started).toBeGreaterThanOrEqual(1900);
    expect(delivered.payload).toMatchObject({ bookingId });
    // The job records the send after the push service has answered, so wait for the ledger.
    const ledgerRows = async () =>
      (
        await pool().query<{ status: string; attempts: number }>(
          `SELECT status, attempts FROM sent_messages WHERE kind = 'push' AND event_key LIKE '%:' ||
             (SELECT id FROM push_subscriptions WHERE device_id = $1)`,
          [busy.deviceId],
        )
      ).rows;
    await eventually(async () => (await ledgerRows())[0]?.status === 'sent');
    expect(await ledgerRows()).toEqual([{ status: 'sent', attempts: 2 }]);
  });
});

describe('push subscriptions', () => {
  it('keeps one per device, replaced when it changes, removed on request', async () => {
    const api = await as(sam);
    const deviceId = randomUUID();
    const old = receiver.device();
    const fresh = receiver.device();
    await api.push.subscribe({ writeId: randomUUID(), deviceId, ...old.subscription });
    await api.push.subscribe({ writeId: randomUUID(), deviceId, ...fresh.subscription });
    const endpoints = async () =>
      (
        await pool().query<{ endpoint: string }>(
          'SELECT endpoint FROM push_subscriptions WHERE device_id = $1',
          [deviceId],
        )
      ).rows.map((r) => r.endpoint);
    expect(await endpoints()).toEqual([fresh.subscription.endpoint]);
    expect(await api.push.unsubscribe({ writeId: randomUUID(), deviceId })).toMatchObject({ removed: true });
    expect(await endpoints()).toEqual([]);
  });

  it('refuses an endpoint that is not a known push service, and malformed keys, in words', async () => {
    const api = await as(sam);
    const device = receiver.device();
    await expect(
      api.push.subscribe({
        writeId: randomUUID(),
        deviceId: randomUUID(),
        ...device.subscription,
        endpoint: 'http://10.0.0.1/internal',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: UNKNOWN_PUSH_SERVICE });
    await expect(
      api.push.subscribe({
        writeId: randomUUID(),
        deviceId: randomUUID(),
        endpoint: device.subscription.endpoint,
        keys: { p256dh: 'not base64!', auth: device.subscription.keys.auth },
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('p256dh') });
  });

  it('gives every staff member the same public key, kept across calls, and customers nothing', async () => {
    const a = await (await as(sam)).push.publicKey();
    const b = await (await as(DEMO_SIGN_INS.admin)).push.publicKey();
    expect(a).toEqual(b);
    expect(a.publicKey).toMatch(/^[A-Za-z0-9_-]{80,90}$/);
    await expect((await as(DEMO_SIGN_INS.customer)).push.publicKey()).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
