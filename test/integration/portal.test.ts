// The customer portal's API against the real database: link tokens open one booking and
// change nothing; cancelling follows the business's switch, cutoff, comment rule and fee;
// bad input, double submits and races end in at most one cancellation.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_NO_LONGER_WORKS } from '../../server/api/portal.ts';
import { userMessage } from '../../server/api/trpc.ts';
import { issueLinkToken } from '../../server/auth/link-tokens.ts';
import type { Pool } from '../../server/db/pool.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { cancelRejection } from '../../shared/outcomes.ts';
import { callerFor, seededPool, sessionOf } from './helpers.ts';

let pool: Pool;
let jordanId: string;
beforeAll(async () => {
  pool = await seededPool();
  const jordan = await sessionOf(pool, DEMO_SIGN_INS.customer);
  if (jordan.role !== 'customer') throw new Error('customer expected');
  jordanId = jordan.customerId;
});
afterAll(() => pool.end());

async function booking(startsInHours: number, customerId = jordanId): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO bookings (customer_id, service_id, status, starts_at, ends_at, address, price_minor, currency)
     SELECT $1, id, 'scheduled', now() + make_interval(mins => $2::int), now() + make_interval(mins => $2::int + 120),
            '1200 W Lake St', price_minor, 'USD'
       FROM services WHERE name = 'Standard cleaning' RETURNING id`,
    [customerId, Math.round(startsInHours * 60)],
  );
  return rows[0]?.id as string;
}
const cancelLink = (bookingId: string, customerId = jordanId) =>
  issueLinkToken(pool, {
    purpose: 'cancel_booking',
    customerId,
    bookingId,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
const statusOf = async (id: string) =>
  (await pool.query('SELECT status FROM bookings WHERE id = $1', [id])).rows[0]?.status;
const cancelEvents = async (id: string) =>
  (await pool.query(`SELECT * FROM booking_events WHERE booking_id = $1 AND kind = 'cancelled'`, [id])).rows;
const anonymous = () => callerFor(pool, null);

describe('email links', () => {
  it('open only their own booking, change nothing when opened, and cancel on the POST', async () => {
    const id = await booking(72);
    const other = await booking(96);
    const token = await cancelLink(id);
    for (let i = 0; i < 5; i++) {
      const view = await anonymous().portal.booking({ id, token });
      expect(view).toMatchObject({
        id,
        status: 'scheduled',
        access: 'link',
        cancel: { allowed: true, commentRequired: true, fee: null },
      });
    }
    await expect(anonymous().portal.booking({ id: other, token })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: LINK_NO_LONGER_WORKS,
    });
    expect(await statusOf(id)).toBe('scheduled');

    const result = await anonymous().portal.cancel({
      id,
      token,
      writeId: randomUUID(),
      comment: '<b>Moving</b> away',
      expectedFeeTotalMinor: null,
    });
    expect(result).toMatchObject({ outcome: 'cancelled', txid: expect.stringMatching(/^\d+$/) });
    const events = await cancelEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor_role: 'customer',
      actor_customer_id: jordanId,
      channel: 'email_link',
      comment: '<b>Moving</b> away',
    });

    const after = await anonymous().portal.booking({ id, token });
    expect(after).toMatchObject({
      status: 'cancelled',
      cancelledByYou: true,
      cancelComment: '<b>Moving</b> away',
      cancelledAt: expect.any(Date),
    });
    expect(after.cancel).toMatchObject({ allowed: false, reason: 'already_cancelled' });
  });

  it('a view link views and cannot cancel; a signed-in customer holding one still can (hole: a view link cancelled)', async () => {
    const id = await booking(72);
    const token = await issueLinkToken(pool, {
      purpose: 'view_booking',
      customerId: jordanId,
      bookingId: id,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const refusal = cancelRejection('view_link_cannot_cancel');
    const view = await anonymous().portal.booking({ id, token });
    expect(view).toMatchObject({ id, access: 'link' });
    expect(view.cancel).toEqual({
      allowed: false,
      reason: 'view_link_cannot_cancel',
      message: refusal.message,
    });
    const cancel = { id, token, writeId: randomUUID(), comment: 'Moving away', expectedFeeTotalMinor: null };
    await expect(anonymous().portal.cancel(cancel)).rejects.toMatchObject(refusal);
    expect(await statusOf(id)).toBe('scheduled');
    expect(await cancelEvents(id)).toHaveLength(0);

    const signedIn = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.customer));
    expect((await signedIn.portal.booking({ id, token })).cancel).toMatchObject({ allowed: true });
    expect(await signedIn.portal.cancel({ ...cancel, writeId: randomUUID() })).toMatchObject({
      outcome: 'cancelled',
    });
  });

  it('an expired, revoked or forged token gets "no longer works"', async () => {
    const id = await booking(72);
    const expired = await issueLinkToken(pool, {
      purpose: 'cancel_booking',
      customerId: jordanId,
      bookingId: id,
      expiresAt: new Date(Date.now() - 1000),
    });
    const revoked = await cancelLink(id);
    await pool.query(
      `UPDATE link_tokens SET revoked_at = now() WHERE booking_id = $1 AND expires_at > now()`,
      [id],
    );
    for (const token of [expired, revoked, 'x'.repeat(43)]) {
      await expect(anonymous().portal.booking({ id, token })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: LINK_NO_LONGER_WORKS,
      });
      await expect(
        anonymous().portal.cancel({
          id,
          token,
          writeId: randomUUID(),
          comment: 'x',
          expectedFeeTotalMinor: null,
        }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    expect(await statusOf(id)).toBe('scheduled');
  });

  it('a booking cancelled by the office shows as cancelled with its comment, without who', async () => {
    const id = await booking(72);
    const token = await cancelLink(id);
    const admin = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.admin));
    await admin.bookings.cancel({ id, writeId: randomUUID(), comment: 'Internal: double booked' });
    const view = await anonymous().portal.booking({ id, token });
    expect(view).toMatchObject({
      status: 'cancelled',
      cancelledByYou: false,
      cancelComment: 'Internal: double booked',
    });
    expect(JSON.stringify(view)).not.toMatch(/admin|Olivia/i);
  });
});

describe('the business switch and its companions', () => {
  it('with the switch off: no cancel, a sentence why, and nothing cancelled', async () => {
    const admin = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.admin));
    await admin.settings.update({ writeId: randomUUID(), customerCancelEnabled: false });
    try {
      const id = await booking(72);
      const token = await cancelLink(id);
      const view = await anonymous().portal.booking({ id, token });
      expect(view.cancel).toEqual({
        allowed: false,
        reason: 'customer_cancel_disabled',
        message: 'Bookings cannot be cancelled online. Please contact us to cancel.',
      });
      await expect(
        anonymous().portal.cancel({
          id,
          token,
          writeId: randomUUID(),
          comment: 'Please',
          expectedFeeTotalMinor: null,
        }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await statusOf(id)).toBe('scheduled');
    } finally {
      await admin.settings.update({ writeId: randomUUID(), customerCancelEnabled: true });
    }
  });

  it('too close to the start (cutoff 2 h) cannot be cancelled online', async () => {
    const id = await booking(1);
    const view = await anonymous().portal.booking({ id, token: await cancelLink(id) });
    expect(view.cancel).toMatchObject({ allowed: false, reason: 'too_close_to_start' });
  });

  it('inside the fee window the fee is shown, agreed to, and frozen on the booking and the audit event', async () => {
    const id = await booking(12);
    const token = await cancelLink(id);
    const view = await anonymous().portal.booking({ id, token });
    expect(view.cancel).toMatchObject({
      allowed: true,
      fee: { name: 'Late cancellation', feeMinor: 2500, taxMinor: 200, totalMinor: 2700, currency: 'USD' },
    });
    await pool.query(`UPDATE fees SET amount_minor = 9900 WHERE name = 'Late cancellation'`); // changed after the quote
    try {
      // The customer agreed to $27.00, not to the new fee: refused, nothing cancelled.
      await expect(
        anonymous().portal.cancel({
          id,
          token,
          writeId: randomUUID(),
          comment: 'Sick',
          expectedFeeTotalMinor: 2700,
        }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        message:
          'The cancellation fee is now $99.00 + $7.92 tax = $106.92. Please check it and press Cancel again.',
      });
      expect(await statusOf(id)).toBe('scheduled');
    } finally {
      await pool.query(`UPDATE fees SET amount_minor = 2500 WHERE name = 'Late cancellation'`);
    }
    await anonymous().portal.cancel({
      id,
      token,
      writeId: randomUUID(),
      comment: 'Sick',
      expectedFeeTotalMinor: 2700,
    });
    await pool.query(`UPDATE fees SET amount_minor = 9900 WHERE name = 'Late cancellation'`); // changed after the cancel
    try {
      const [event] = await cancelEvents(id);
      expect(event).toMatchObject({ fee_name: 'Late cancellation', fee_minor: 2500, fee_tax_minor: 200 });
      expect((await anonymous().portal.booking({ id, token })).cancelFee).toEqual({
        feeMinor: 2500,
        taxMinor: 200,
      });
    } finally {
      await pool.query(`UPDATE fees SET amount_minor = 2500 WHERE name = 'Late cancellation'`);
    }
  });
});

describe('bad input', () => {
  it('an empty comment when one is required, and one over 1,000 characters', async () => {
    const id = await booking(72);
    const token = await cancelLink(id);
    await expect(
      anonymous().portal.cancel({
        id,
        token,
        writeId: randomUUID(),
        comment: '   ',
        expectedFeeTotalMinor: null,
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Please tell us why you are cancelling.',
    });
    const long = await anonymous()
      .portal.cancel({
        id,
        token,
        writeId: randomUUID(),
        comment: 'x'.repeat(1001),
        expectedFeeTotalMinor: null,
      })
      .catch((e) => e);
    expect(userMessage(long)).toBe('comment: Keep the comment under 1,000 characters.');
    expect(await statusOf(id)).toBe('scheduled');
    expect(await cancelEvents(id)).toHaveLength(0);
  });

  it('a booking that is not theirs', async () => {
    const theirs = (await pool.query(`SELECT id FROM bookings WHERE customer_id <> $1 LIMIT 1`, [jordanId]))
      .rows[0].id;
    const me = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.customer));
    await expect(
      me.portal.cancel({ id: theirs, writeId: randomUUID(), comment: 'x', expectedFeeTotalMinor: null }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'There is no booking with that id for you.',
    });
  });

  it('a double submit cancels once and answers both the same', async () => {
    const id = await booking(72);
    const me = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.customer));
    const input = { id, writeId: randomUUID(), comment: 'Changed plans', expectedFeeTotalMinor: null };
    const [a, b] = await Promise.all([me.portal.cancel(input), me.portal.cancel(input)]);
    expect(a).toEqual(b);
    expect(await cancelEvents(id)).toHaveLength(1);
    const channel = (await cancelEvents(id))[0].channel;
    expect(channel).toBe('portal');
  });

  it('a cancel racing an admin’s: one cancellation, and the customer is told it was already cancelled', async () => {
    const id = await booking(72);
    const me = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.customer));
    const admin = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.admin));
    const [mine, theirs] = await Promise.all([
      me.portal.cancel({ id, writeId: randomUUID(), comment: 'Mine', expectedFeeTotalMinor: null }),
      admin.bookings.cancel({ id, writeId: randomUUID(), comment: 'Theirs' }),
    ]);
    expect([mine.outcome, theirs.outcome].sort()).toEqual(['already-cancelled', 'cancelled']);
    if (mine.outcome === 'already-cancelled') expect(mine).toMatchObject({ cancelledByYou: false });
    expect(await cancelEvents(id)).toHaveLength(1);
  });
});

describe('Schedule an appointment', () => {
  it('creates a request the office sees, at the local time the customer chose', async () => {
    const id = await booking(72);
    const token = await cancelLink(id);
    await anonymous().portal.cancel({
      id,
      token,
      writeId: randomUUID(),
      comment: 'Will rebook',
      expectedFeeTotalMinor: null,
    });
    const services = await anonymous().portal.services();
    const deep = services.find((s) => s.name === 'Deep cleaning');
    const nextYear = new Date().getUTCFullYear() + 1;
    const request = {
      writeId: randomUUID(),
      fromBookingId: id,
      token,
      serviceId: deep?.id as string,
      date: `${nextYear}-07-15`,
      time: '09:30',
      note: 'Side door, please',
    };
    const result = await anonymous().portal.requestAppointment(request);
    // Sent again (a dropped answer, a double press): the same request, not a second one.
    expect(await anonymous().portal.requestAppointment(request)).toEqual(result);
    await expect(anonymous().portal.requestAppointment({ ...request, note: 'Other' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // 09:30 in Chicago in July is 14:30 UTC (CDT, UTC−5).
    expect(result.startsAt).toBe(`${nextYear}-07-15T14:30:00.000Z`);
    const admin = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.admin));
    const requests = await admin.bookings.list({ status: 'requested', limit: 500 });
    expect(requests.find((b) => b.id === result.id)).toMatchObject({
      service_name: 'Deep cleaning',
      customer_name: 'Jordan Rivera',
    });
    const created = (await pool.query('SELECT notes, address FROM bookings WHERE id = $1', [result.id]))
      .rows[0];
    expect(created).toEqual({ notes: 'Side door, please', address: '1200 W Lake St' });

    await expect(
      anonymous().portal.requestAppointment({
        writeId: randomUUID(),
        fromBookingId: id,
        token,
        serviceId: deep?.id as string,
        date: '2020-01-01',
        time: '09:00',
        note: '',
      }),
    ).rejects.toMatchObject({ message: 'Choose a date and time in the future.' });
  });
});

describe('an old link in a signed-in browser', () => {
  it('falls back to the customer’s session', async () => {
    const id = await booking(72);
    const expired = await issueLinkToken(pool, {
      purpose: 'view_booking',
      customerId: jordanId,
      bookingId: id,
      expiresAt: new Date(Date.now() - 1000),
    });
    const me = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.customer));
    expect(await me.portal.booking({ id, token: expired })).toMatchObject({ id, access: 'session' });
    const other = await booking(
      72,
      (await pool.query(`SELECT id FROM customers WHERE email = 'tom@example.com'`)).rows[0].id,
    );
    await expect(me.portal.booking({ id: other, token: expired })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
