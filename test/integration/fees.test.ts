// Cancellation fees through the admin API (fees.save, fees.setActive): created and edited
// through the one write path, refused in sentences when the input is wrong, admins only; a
// fee switched off is no longer the portal's, and says so; what a past cancellation cost stays
// as it was when its fee changes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../server/db/pool.ts';
import { loadCancelPolicy } from '../../server/db/settings.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { callerFor, seededPool, sessionOf } from './helpers.ts';

let pool: Pool;
beforeAll(async () => {
  pool = await seededPool();
});
afterAll(() => pool.end());

const admin = async () => callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.admin));
const feeRow = async (id: string) =>
  (
    await pool.query(
      'SELECT name, kind, amount_minor, percent_bp, tax_rate_bp, active FROM fees WHERE id = $1',
      [id],
    )
  ).rows[0];

describe('fees.save', () => {
  it('creates a fee, answers a repeat with the first answer, and edits it', async () => {
    const api = await admin();
    const id = randomUUID();
    const create = {
      writeId: randomUUID(),
      id,
      name: 'Same-day',
      kind: 'percent' as const,
      amountMinor: null,
      percentBp: 1250,
      taxRateBp: 825,
    };
    const first = await api.fees.save(create);
    expect(first).toMatchObject({
      id,
      name: 'Same-day',
      kind: 'percent',
      percentBp: 1250,
      taxRateBp: 825,
      active: true,
    });
    expect(first.txid).toMatch(/^\d+$/);
    expect(await api.fees.save(create)).toEqual(first);

    // Edited to a flat fee: the percent goes, the amount comes.
    await api.fees.save({
      ...create,
      writeId: randomUUID(),
      kind: 'flat',
      amountMinor: 4000,
      percentBp: 1250,
    });
    expect(await feeRow(id)).toEqual({
      name: 'Same-day',
      kind: 'flat',
      amount_minor: 4000,
      percent_bp: null,
      tax_rate_bp: 825,
      active: true,
    });
  });

  it('refuses wrong input in words and saves nothing', async () => {
    const api = await admin();
    const id = randomUUID();
    const base = {
      writeId: randomUUID(),
      id,
      name: 'Broken',
      kind: 'flat' as const,
      amountMinor: 100,
      percentBp: null,
      taxRateBp: 0,
    };
    await expect(api.fees.save({ ...base, amountMinor: null })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Enter the fee’s amount, like 25.00.'),
    });
    await expect(api.fees.save({ ...base, kind: 'percent', percentBp: 20_000 })).rejects.toMatchObject({
      message: expect.stringContaining('A fee cannot be more than 100 % of the price.'),
    });
    await expect(api.fees.save({ ...base, name: '  ' })).rejects.toMatchObject({
      message: expect.stringContaining('Give the fee a name, like Late cancellation.'),
    });
    expect(await feeRow(id)).toBeUndefined();
  });

  it('is for admins only', async () => {
    const sam = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.fieldworkers[0]));
    const input = {
      writeId: randomUUID(),
      id: randomUUID(),
      name: 'Mine',
      kind: 'flat' as const,
      amountMinor: 1,
      percentBp: null,
      taxRateBp: 0,
    };
    await expect(sam.fees.save(input)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      sam.fees.setActive({ writeId: randomUUID(), id: input.id, active: false }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('fees.setActive', () => {
  it('switching off the portal’s fee says so, and customers’ late cancellations then cost nothing', async () => {
    const api = await admin();
    const portalFee = (await api.settings.get()).customerCancelFeeId as string;
    expect(portalFee).toBeTruthy();
    try {
      const off = await api.fees.setActive({ writeId: randomUUID(), id: portalFee, active: false });
      expect(off.portalFeeOff).toBe(true);
      expect(off.fee.active).toBe(false);
      expect((await loadCancelPolicy(pool))?.customerFee ?? null).toBeNull();
    } finally {
      const on = await api.fees.setActive({ writeId: randomUUID(), id: portalFee, active: true });
      expect(on.portalFeeOff).toBe(false);
    }
    expect((await loadCancelPolicy(pool))?.customerFee).toBeTruthy();
  });

  it('a fee that does not exist is refused', async () => {
    const api = await admin();
    await expect(
      api.fees.setActive({ writeId: randomUUID(), id: randomUUID(), active: false }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'That fee does not exist.',
    });
  });

  it('editing or switching off a fee leaves what past cancellations cost', async () => {
    const api = await admin();
    const id = randomUUID();
    await api.fees.save({
      writeId: randomUUID(),
      id,
      name: 'Call-out',
      kind: 'flat',
      amountMinor: 3000,
      percentBp: null,
      taxRateBp: 1000,
    });
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO bookings (customer_id, service_id, status, starts_at, ends_at, address, price_minor, currency)
       SELECT c.id, s.id, 'scheduled', now() + interval '3 days', now() + interval '3 days 2 hours', c.address, 12000, 'USD'
         FROM customers c, services s WHERE c.email = 'grace@example.com' AND s.name = 'Standard cleaning'
       RETURNING id`,
    );
    const booking = rows[0]?.id as string;
    await api.bookings.cancel({
      id: booking,
      writeId: randomUUID(),
      comment: 'No longer needed',
      fee: { feeId: id, name: 'Call-out', feeMinor: 3000, taxMinor: 300 },
    });
    await api.fees.save({
      writeId: randomUUID(),
      id,
      name: 'Call-out (new)',
      kind: 'flat',
      amountMinor: 9900,
      percentBp: null,
      taxRateBp: 2000,
    });
    await api.fees.setActive({ writeId: randomUUID(), id, active: false });
    const cost = await pool.query(
      'SELECT cancel_fee_id, cancel_fee_name, cancel_fee_minor, cancel_fee_tax_minor FROM bookings WHERE id = $1',
      [booking],
    );
    expect(cost.rows[0]).toEqual({
      cancel_fee_id: id,
      cancel_fee_name: 'Call-out',
      cancel_fee_minor: 3000,
      cancel_fee_tax_minor: 300,
    });
  });
});
