// What the fieldworker app relies on from the server: each job carries its customer's first
// name and phone, kept in step with the customer; "Got it" on a cancellation records when the
// fieldworker saw it (once, only their own, only a cancelled job) and reads its notification; a
// fieldworker who cancels their own job saw it then; a job moved to another fieldworker
// notifies both.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../server/db/pool.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { NO_SUCH_BOOKING } from '../../shared/outcomes.ts';
import { callerFor, seededPool, sessionOf } from './helpers.ts';

let pool: Pool;
beforeAll(async () => {
  pool = await seededPool();
});
afterAll(() => pool.end());

const as = async (email: string) => callerFor(pool, await sessionOf(pool, email));
const [SAM, ALEX] = DEMO_SIGN_INS.fieldworkers;

/** An upcoming scheduled job of `email`'s, far enough out to cancel. */
async function jobOf(email: string): Promise<{ id: string; customer_id: string; starts_at: Date }> {
  const { rows } = await pool.query(
    `SELECT b.id, b.customer_id, b.starts_at FROM bookings b JOIN users u ON u.id = b.fieldworker_id
      WHERE u.email = $1 AND b.status = 'scheduled' AND b.starts_at > now() + interval '2 days'
        AND b.cancelled_at IS NULL
      ORDER BY b.starts_at LIMIT 1 OFFSET floor(random() * 3)::int`,
    [email],
  );
  if (!rows[0]) throw new Error(`${email} has no upcoming job`);
  return rows[0];
}
const booking = async (id: string) =>
  (
    await pool.query(
      'SELECT status, cancel_seen_at, cancelled_at, customer_first_name, customer_phone FROM bookings WHERE id = $1',
      [id],
    )
  ).rows[0];

describe('a job’s customer contact', () => {
  it('is the customer’s first name and phone, and follows a change to them', async () => {
    const job = await jobOf(SAM);
    const { rows } = await pool.query('SELECT name, phone FROM customers WHERE id = $1', [job.customer_id]);
    expect(await booking(job.id)).toMatchObject({
      customer_first_name: String(rows[0].name).split(' ')[0],
      customer_phone: rows[0].phone,
    });
    await pool.query(`UPDATE customers SET name = 'Zoë Q Public', phone = '+1 555 0000' WHERE id = $1`, [
      job.customer_id,
    ]);
    expect(await booking(job.id)).toMatchObject({
      customer_first_name: 'Zoë',
      customer_phone: '+1 555 0000',
    });
  });
});

describe('bookings.acknowledgeCancellation', () => {
  it('records when the fieldworker saw it, reads the notification, once, and only for their own cancelled job', async () => {
    const job = await jobOf(SAM);
    const sam = await as(SAM);
    await expect(
      sam.bookings.acknowledgeCancellation({
        writeId: randomUUID(),
        id: job.id,
        seenAt: new Date().toISOString(),
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'This job is not cancelled.' });

    await (await as(DEMO_SIGN_INS.admin)).bookings.cancel({
      id: job.id,
      writeId: randomUUID(),
      comment: 'Moved',
    });
    expect((await booking(job.id)).cancel_seen_at).toBeNull();
    await expect(
      (await as(ALEX)).bookings.acknowledgeCancellation({
        writeId: randomUUID(),
        id: job.id,
        seenAt: new Date().toISOString(),
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: NO_SUCH_BOOKING });
    await expect(
      (await as(DEMO_SIGN_INS.admin)).bookings.acknowledgeCancellation({
        writeId: randomUUID(),
        id: job.id,
        seenAt: new Date().toISOString(),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // Seen offline a while ago: the phone's time is kept (after the cancellation, not in the future).
    const seenAt = new Date(Date.now() + 3_600_000).toISOString();
    const ack = { writeId: randomUUID(), id: job.id, seenAt };
    const first = await sam.bookings.acknowledgeCancellation(ack);
    expect(first).toMatchObject({ outcome: 'seen' });
    expect(await sam.bookings.acknowledgeCancellation(ack)).toEqual(first);
    const seen = await booking(job.id);
    expect(seen.cancel_seen_at.getTime()).toBeLessThanOrEqual(Date.now());
    expect(seen.cancel_seen_at.getTime()).toBeGreaterThanOrEqual(seen.cancelled_at.getTime());
    const notification = await pool.query(
      `SELECT read_at FROM notifications WHERE booking_id = $1 AND kind = 'booking_cancelled'`,
      [job.id],
    );
    expect(notification.rows[0]?.read_at).not.toBeNull();
    expect(
      await sam.bookings.acknowledgeCancellation({ writeId: randomUUID(), id: job.id, seenAt }),
    ).toMatchObject({ outcome: 'unchanged' });
    expect((await booking(job.id)).cancel_seen_at).toEqual(seen.cancel_seen_at);
  });

  it('counts a fieldworker’s own cancellation as seen', async () => {
    await pool.query('UPDATE business_settings SET fieldworker_cancel_enabled = true');
    const job = await jobOf(SAM);
    await (await as(SAM)).bookings.cancel({
      id: job.id,
      writeId: randomUUID(),
      comment: 'Van broke down',
    });
    const after = await booking(job.id);
    expect(after.status).toBe('cancelled');
    expect(after.cancel_seen_at).toEqual(after.cancelled_at);
  });
});

describe('a job moved to another fieldworker', () => {
  it('notifies both: the one who lost it and the one who got it', async () => {
    const job = await jobOf(SAM);
    const alex = await sessionOf(pool, ALEX);
    const sam = await sessionOf(pool, SAM);
    if (alex.role === 'customer' || sam.role === 'customer') throw new Error('Fieldworkers are staff');
    await (await as(DEMO_SIGN_INS.admin)).bookings.update({
      writeId: randomUUID(),
      id: job.id,
      saw: { startsAt: job.starts_at.toISOString(), fieldworkerId: sam.userId, status: 'scheduled' },
      changes: { fieldworkerId: alex.userId },
    });
    const { rows } = await pool.query<{ user_id: string; kind: string }>(
      `SELECT user_id, kind FROM notifications WHERE booking_id = $1 ORDER BY kind`,
      [job.id],
    );
    expect(rows).toEqual([
      { user_id: alex.userId, kind: 'booking_assigned' },
      { user_id: sam.userId, kind: 'booking_reassigned' },
    ]);
  });
});
