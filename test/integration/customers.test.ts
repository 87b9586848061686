// Customers through the admin API (customers.save): added and edited through the one write
// path; an email that belongs to another customer (in any case) is refused in a sentence and
// changes nothing; admins only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../server/db/pool.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { EMAIL_BELONGS_TO_ANOTHER } from '../../shared/outcomes.ts';
import { callerFor, seededPool, sessionOf } from './helpers.ts';

let pool: Pool;
beforeAll(async () => {
  pool = await seededPool();
});
afterAll(() => pool.end());

const admin = async () => callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.admin));
const customer = async (id: string) =>
  (await pool.query('SELECT name, email, phone, address FROM customers WHERE id = $1', [id])).rows[0];

describe('customers.save', () => {
  it('adds a customer, answers a repeat with the first answer, and edits them', async () => {
    const api = await admin();
    const id = randomUUID();
    const email = `new-${randomUUID()}@example.com`;
    const add = { writeId: randomUUID(), id, name: 'Nia New', email, phone: '', address: '4 Oak St' };
    const first = await api.customers.save(add);
    expect(first).toMatchObject({ id, name: 'Nia New', email, phone: null, address: '4 Oak St' });
    expect(await api.customers.save(add)).toEqual(first);
    await api.customers.save({ ...add, writeId: randomUUID(), name: 'Nia Newer', phone: '+1 555 0199' });
    expect(await customer(id)).toEqual({
      name: 'Nia Newer',
      email,
      phone: '+1 555 0199',
      address: '4 Oak St',
    });
  });

  it('refuses an email another customer has, in any case, and changes nothing', async () => {
    const api = await admin();
    const id = randomUUID();
    const mine = `mine-${randomUUID()}@example.com`;
    await api.customers.save({
      writeId: randomUUID(),
      id,
      name: 'Own Mail',
      email: mine,
      phone: '',
      address: '',
    });
    await expect(
      api.customers.save({
        writeId: randomUUID(),
        id,
        name: 'Own Mail',
        email: DEMO_SIGN_INS.customer.toUpperCase(),
        phone: '',
        address: '',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: EMAIL_BELONGS_TO_ANOTHER });
    expect((await customer(id))?.email).toBe(mine);
    await expect(
      api.customers.save({ writeId: randomUUID(), id, name: '', email: mine, phone: '', address: '' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining("Enter the customer's name."),
    });
  });

  it('is for admins only', async () => {
    const sam = callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.fieldworkers[0]));
    await expect(
      sam.customers.save({
        writeId: randomUUID(),
        id: randomUUID(),
        name: 'X',
        email: 'x@example.com',
        phone: '',
        address: '',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
