// Who may read what: every procedure states its role, and a customer or a fieldworker
// never reads someone else's booking (it answers exactly as a booking that does not exist).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../server/db/pool.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { callerFor, seededPool, sessionOf } from './helpers.ts';

let pool: Pool;
beforeAll(async () => {
  pool = await seededPool();
});
afterAll(() => pool.end());

const as = async (email: string) => callerFor(pool, await sessionOf(pool, email));
const bookingOf = async (column: 'customer_id' | 'fieldworker_id', id: string, negate = false) =>
  (
    await pool.query<{ id: string }>(
      `SELECT id FROM bookings WHERE ${negate ? `${column} IS DISTINCT FROM $1` : `${column} = $1`} LIMIT 1`,
      [id],
    )
  ).rows[0]?.id as string;

describe('customers', () => {
  it('list only their own bookings and cannot open another customer’s', async () => {
    const me = await sessionOf(pool, DEMO_SIGN_INS.customer);
    if (me.role !== 'customer') throw new Error('customer expected');
    const api = await as(DEMO_SIGN_INS.customer);
    const mine = await api.portal.bookings();
    expect(mine.length).toBeGreaterThan(0);
    const own = await bookingOf('customer_id', me.customerId);
    expect(mine.map((b) => b.id)).toContain(own);
    const ownIds = (
      await pool.query('SELECT id FROM bookings WHERE customer_id = $1', [me.customerId])
    ).rows.map((r) => r.id);
    expect(mine.map((b) => b.id).sort()).toEqual(ownIds.sort());

    expect((await api.portal.booking({ id: own })).id).toBe(own);
    const theirs = await bookingOf('customer_id', me.customerId, true);
    await expect(api.portal.booking({ id: theirs })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'There is no booking with that id for you.',
    });
    // The same answer as a booking that does not exist at all: nothing leaks.
    await expect(api.portal.booking({ id: randomUUID() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'There is no booking with that id for you.',
    });
  });

  it('cannot call staff or admin procedures', async () => {
    const api = await as(DEMO_SIGN_INS.customer);
    await expect(api.settings.get()).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Your account cannot do this.',
    });
    await expect(api.bookings.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('fieldworkers', () => {
  it('see only bookings assigned to them', async () => {
    const sam = await sessionOf(pool, DEMO_SIGN_INS.fieldworkers[0]);
    if (sam.role !== 'fieldworker') throw new Error('fieldworker expected');
    const api = callerFor(pool, sam);
    const list = await api.bookings.list();
    expect(list.length).toBeGreaterThan(0);
    expect(new Set(list.map((b) => b.fieldworker_id))).toEqual(new Set([sam.userId]));
    const alexs = await bookingOf('fieldworker_id', sam.userId, true);
    await expect(api.bookings.get({ id: alexs })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      api.settings.update({ writeId: randomUUID(), customerCancelEnabled: false }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('admins', () => {
  it('see every booking and change settings, with readable refusals of bad values', async () => {
    const api = await as(DEMO_SIGN_INS.admin);
    const total = (await pool.query('SELECT count(*)::int AS n FROM bookings')).rows[0].n;
    expect((await api.bookings.list()).length).toBe(total);
    expect(await api.settings.update({ writeId: randomUUID(), customerCancelEnabled: false })).toMatchObject({
      customerCancelEnabled: false,
      txid: expect.stringMatching(/^\d+$/),
    });
    await expect(
      api.settings.update({ writeId: randomUUID(), timeZone: 'Mars/Olympus' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      api.settings.update({ writeId: randomUUID(), customerCancelFeeId: randomUUID() }),
    ).rejects.toMatchObject({
      message: 'That fee does not exist or is inactive.',
    });
    expect((await api.settings.get()).timeZone).toBe('America/Chicago');
  });
});

describe('signed out', () => {
  it('may read only the business card', async () => {
    const api = callerFor(pool, null);
    expect(await api.settings.publicInfo()).toMatchObject({
      name: expect.any(String),
      timeZone: 'America/Chicago',
    });
    await expect(api.bookings.list()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Please sign in first.',
    });
  });
});
