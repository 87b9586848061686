// Staff cancellations: only the office charges fees, never above the price, and a fee
// deleted since the admin chose it keeps its frozen name and amounts; and the status machine
// holds even for plain SQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../server/db/pool.ts';
import { sqlErrorAnswer } from '../../server/db/sql-errors.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { allowedTransitions, BOOKING_STATUSES } from '../../shared/booking-status.ts';
import { callerFor, seededPool, sessionOf } from './helpers.ts';

let pool: Pool;
beforeAll(async () => {
  pool = await seededPool();
});
afterAll(() => pool.end());

/** An upcoming $120 booking assigned to Sam. */
async function samsBooking(): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO bookings (customer_id, service_id, fieldworker_id, status, starts_at, ends_at, address, price_minor, currency)
     SELECT c.id, s.id, u.id, 'scheduled', now() + interval '3 days', now() + interval '3 days 2 hours', c.address, 12000, 'USD'
       FROM customers c, services s, users u
      WHERE c.email = 'grace@example.com' AND s.name = 'Standard cleaning' AND u.email = 'sam@example.com'
     RETURNING id`,
  );
  return rows[0]?.id as string;
}
const statusOf = async (id: string) =>
  (await pool.query('SELECT status FROM bookings WHERE id = $1', [id])).rows[0]?.status;

describe('fees on staff cancellations', () => {
  it('a fieldworker cannot charge one', async () => {
    const id = await samsBooking();
    const sam = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.fieldworkers[0]));
    await expect(
      sam.bookings.cancel({
        id,
        writeId: randomUUID(),
        comment: 'Customer not home',
        fee: { feeId: null, name: 'Because', feeMinor: 99_999_999, taxMinor: 0 },
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Only the office can charge a cancellation fee.',
    });
    expect(await statusOf(id)).toBe('scheduled');
    expect(
      await sam.bookings.cancel({ id, writeId: randomUUID(), comment: 'Customer not home' }),
    ).toMatchObject({
      outcome: 'cancelled',
    });
  });

  it('an admin cannot charge more than the price', async () => {
    const id = await samsBooking();
    const admin = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.admin));
    await expect(
      admin.bookings.cancel({
        id,
        writeId: randomUUID(),
        comment: '',
        fee: { feeId: null, name: 'Typo', feeMinor: 1_200_000, taxMinor: 0 },
      }),
    ).rejects.toMatchObject({ message: "A cancellation fee cannot be more than the booking's price." });
    expect(await statusOf(id)).toBe('scheduled');
  });

  it('a fee deleted since it was chosen keeps its frozen name and amounts', async () => {
    const id = await samsBooking();
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO fees (name, kind, amount_minor, tax_rate_bp) VALUES ('Soon gone', 'flat', 3000, 1000) RETURNING id`,
    );
    const feeId = rows[0]?.id as string;
    await pool.query('DELETE FROM fees WHERE id = $1', [feeId]);
    const admin = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.admin));
    const result = await admin.bookings.cancel({
      id,
      writeId: randomUUID(),
      comment: 'Decided while offline',
      clientAt: new Date(Date.now() - 3_600_000),
      fee: { feeId, name: 'Soon gone', feeMinor: 3000, taxMinor: 300 },
    });
    expect(result.outcome).toBe('cancelled');
    const booking = (
      await pool.query(
        'SELECT cancel_fee_id, cancel_fee_name, cancel_fee_minor, cancel_fee_tax_minor FROM bookings WHERE id = $1',
        [id],
      )
    ).rows[0];
    expect(booking).toEqual({
      cancel_fee_id: null,
      cancel_fee_name: 'Soon gone',
      cancel_fee_minor: 3000,
      cancel_fee_tax_minor: 300,
    });
    const event = (
      await pool.query(
        `SELECT client_at, server_at FROM booking_events WHERE booking_id = $1 AND kind = 'cancelled'`,
        [id],
      )
    ).rows[0];
    expect(event.server_at.getTime() - event.client_at.getTime()).toBeGreaterThan(3_500_000);
  });
});

describe('the status machine, enforced by Postgres', () => {
  it('refuses to move a cancelled booking back, even from plain SQL, with BK001 and a sentence', async () => {
    const id = await samsBooking();
    const admin = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.admin));
    await admin.bookings.cancel({ id, writeId: randomUUID(), comment: 'First time' });
    const error = await pool.query(`UPDATE bookings SET status = 'scheduled' WHERE id = $1`, [id]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'BK001' });
    expect(sqlErrorAnswer(error)).toEqual({
      code: 'CONFLICT',
      message: 'A booking that is canceled cannot be changed to scheduled.',
    });
    expect(await statusOf(id)).toBe('cancelled');
  });

  it('allows exactly the transitions of shared/booking-status.ts', async () => {
    for (const from of BOOKING_STATUSES) {
      for (const to of BOOKING_STATUSES) {
        if (from === to) continue;
        // Inserted straight into `from`: an insert is no transition.
        const { rows } = await pool.query<{ id: string }>(
          `INSERT INTO bookings (customer_id, service_id, status, starts_at, ends_at, address, price_minor, currency)
           SELECT c.id, s.id, $1, now() + interval '3 days', now() + interval '3 days 1 hour', 'x', 100, 'USD'
             FROM customers c, services s WHERE c.email = 'grace@example.com' AND s.name = 'Standard cleaning'
           RETURNING id`,
          [from],
        );
        const moved = await pool
          .query(`UPDATE bookings SET status = $2 WHERE id = $1`, [rows[0]?.id, to])
          .then(
            () => true,
            (e: { code?: string }) => (e.code === 'BK001' ? false : Promise.reject(e)),
          );
        expect({ from, to, moved }).toEqual({ from, to, moved: allowedTransitions(from).includes(to) });
      }
    }
  });
});
