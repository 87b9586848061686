// Inputs an outside probe sent that ended in a 500, or were quietly taken as something else:
// NUL bytes, dates that do not exist, 24:00, month 13, a comment made only of invisible
// characters, and instants Postgres cannot store. Each now gets a readable 400 and changes
// nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLinkToken } from '../../server/auth/link-tokens.ts';
import { createSession, SESSION_COOKIE } from '../../server/auth/sessions.ts';
import type { RunningServer } from '../../server/boot.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { startTestServer } from './helpers.ts';

let server: RunningServer;
let adminCookie: string;
let customerId: string;
let serviceId: string;
beforeAll(async () => {
  server = await startTestServer();
  const admin = await server.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [
    DEMO_SIGN_INS.admin,
  ]);
  const { token } = await createSession(server.pool, { role: 'admin', userId: admin.rows[0]?.id as string });
  adminCookie = `${SESSION_COOKIE}=${token}`;
  const customer = await server.pool.query<{ id: string }>('SELECT id FROM customers WHERE email = $1', [
    DEMO_SIGN_INS.customer,
  ]);
  customerId = customer.rows[0]?.id as string;
  const service = await server.pool.query<{ id: string }>('SELECT id FROM services WHERE active LIMIT 1');
  serviceId = service.rows[0]?.id as string;
});
afterAll(() => server.stop());

/** A scheduled booking of the demo customer three days ahead, and a cancel link for it. */
async function bookingWithLink(): Promise<{ id: string; token: string }> {
  const { rows } = await server.pool.query<{ id: string }>(
    `INSERT INTO bookings (customer_id, service_id, status, starts_at, ends_at, address, price_minor, currency)
     SELECT $1, $2, 'scheduled', now() + interval '3 days', now() + interval '3 days 2 hours', '1 Main St', 0, 'USD'
     RETURNING id`,
    [customerId, serviceId],
  );
  const id = rows[0]?.id as string;
  const token = await issueLinkToken(server.pool, {
    purpose: 'cancel_booking',
    customerId,
    bookingId: id,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return { id, token };
}

const statusOf = async (id: string) =>
  (await server.pool.query('SELECT status FROM bookings WHERE id = $1', [id])).rows[0]?.status;
const requestedCount = async () =>
  (await server.pool.query(`SELECT count(*)::int AS n FROM bookings WHERE status = 'requested'`)).rows[0].n;

function post(procedure: string, input: unknown, cookie?: string) {
  return fetch(`${server.url}/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(input),
  });
}

async function expect400(response: Response, message: string | RegExp) {
  const text = await response.text();
  expect(response.status, text).toBe(400);
  expect(text).not.toContain('"stack"');
  expect(JSON.parse(text).error.message).toMatch(message);
}

describe('text a person typed', () => {
  it('a NUL byte in a cancellation comment is refused, not a 500', async () => {
    const { id } = await bookingWithLink();
    await expect400(
      await post(
        'bookings.cancel',
        { id, writeId: randomUUID(), comment: 'Customer\u0000 moved' },
        adminCookie,
      ),
      'comment: Remove the invisible control characters (such as NUL) from this text.',
    );
    expect(await statusOf(id)).toBe('scheduled');
  });

  it('a comment of only zero-width and bidi-control characters is no comment', async () => {
    const { id, token } = await bookingWithLink();
    await expect400(
      await post('portal.cancel', {
        id,
        token,
        writeId: randomUUID(),
        comment: '\u200B\u200E\u202E\u2066\uFEFF \u200D',
        expectedFeeTotalMinor: null,
      }),
      'Please tell us why you are cancelling.',
    );
    expect(await statusOf(id)).toBe('scheduled');
  });
});

describe('appointment dates and times', () => {
  const request = async (date: string, time: string) => {
    const { id, token } = await bookingWithLink();
    return post('portal.requestAppointment', {
      writeId: randomUUID(),
      fromBookingId: id,
      token,
      serviceId,
      date,
      time,
      note: '',
    });
  };

  it.each([
    ['a day the month does not have', '2027-02-31', '10:00', /^date: Choose a date that exists/],
    ['month 13', '2027-13-01', '10:00', /^date: Choose a date that exists/],
    ['24:00', '2027-03-01', '24:00', /^time: Choose a time between 00:00 and 23:59/],
  ])('%s is refused rather than moved to another day', async (_label, date, time, message) => {
    const before = await requestedCount();
    await expect400(await request(date, time), message);
    expect(await requestedCount()).toBe(before);
  });
});

describe('instants', () => {
  it('a date far outside what the product uses is refused, not a 500', async () => {
    const list = (from: unknown) =>
      fetch(`${server.url}/api/trpc/bookings.list?input=${encodeURIComponent(JSON.stringify({ from }))}`, {
        headers: { cookie: adminCookie },
      });
    const FORMAT = /^from: Send a date and time like 2026-05-01T09:00:00Z\.$/;
    const RANGE = /^from: Choose a date between 2000 and 2099\.$/;
    await expect400(await list('-099999-01-01T00:00:00Z'), FORMAT); // year 100,000 BC: Postgres refuses it
    await expect400(await list('+200000-01-01T00:00:00Z'), FORMAT);
    await expect400(await list(8.64e15), FORMAT); // a number of milliseconds, not a date
    await expect400(await list('1899-12-31T00:00:00Z'), RANGE);
    await expect400(await list('9999-12-31T00:00:00Z'), RANGE);
    const ok = await list('2026-05-01T00:00:00.000Z');
    expect(ok.status).toBe(200);

    const { id } = await bookingWithLink();
    await expect400(
      await post(
        'bookings.cancel',
        { id, writeId: randomUUID(), comment: 'x', clientAt: '-099999-01-01T00:00:00Z' },
        adminCookie,
      ),
      /^clientAt: Send a date and time like 2026-05-01T09:00:00Z\.$/,
    );
    expect(await statusOf(id)).toBe('scheduled');
  });
});
