// No procedure hands a role more than that role's shapes hold (shared/shape-catalog.ts).
// Every query of the API is listed here with what bounds its output; a new query that is
// not listed fails the first test, so nobody adds one without saying what it may return.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../server/api/router.ts';
import { JOINED_NAME_SOURCES } from '../../server/db/bookings.ts';
import type { Pool } from '../../server/db/pool.ts';
import { SETTINGS_COLUMNS } from '../../server/db/settings.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { columnsFor, type ShapeName, type ShapeRole } from '../../shared/shape-catalog.ts';
import { callerFor, seededPool, sessionOf } from './helpers.ts';

let pool: Pool;
beforeAll(async () => {
  pool = await seededPool();
});
afterAll(() => pool.end());

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The output keys a role may see of a shape's rows: its columns, by their name or in camelCase. */
function keysOf(shape: ShapeName, role: ShapeRole): Set<string> {
  return new Set(columnsFor(shape, role));
}

/** Booking rows: the role's booking columns, and names joined from shapes the role also holds. */
function bookingKeys(role: ShapeRole): Set<string> {
  const keys = keysOf('bookings', role);
  for (const [name, source] of Object.entries(JOINED_NAME_SOURCES)) {
    if (columnsFor(source.shape, role).includes(source.column)) keys.add(name);
  }
  return keys;
}

function expectWithin(rows: object[], allowed: Set<string>, label: string) {
  expect(rows.length, `${label} returned nothing to check`).toBeGreaterThan(0);
  for (const row of rows) {
    const extra = Object.keys(row).filter((k) => !allowed.has(k) && !allowed.has(snake(k)));
    expect(extra, `${label} returns keys its shape does not hold`).toEqual([]);
  }
}

const as = async (email: string) => callerFor(pool, await sessionOf(pool, email));
const fieldworker = () => as(DEMO_SIGN_INS.fieldworkers[0] as string);

/**
 * Every query, with how its output is bounded. Customers sync no shapes: the portal's
 * queries answer with the customer's own bookings only, which portal.test.ts and
 * access.test.ts check row by row.
 */
const QUERIES: Record<string, string> = {
  'auth.me': 'the caller’s own session',
  'auth.checkSignInLink': 'whether a link works: a boolean',
  'settings.publicInfo': 'the business’s public card, shown to anyone on the portal',
  'settings.get': 'admins: the settings shape',
  'bookings.list': 'staff: the role’s bookings shape',
  'bookings.get': 'staff: the role’s bookings shape',
  'emails.templates': 'admins: the email_templates shape',
  'emails.template': 'admins: the email_templates shape',
  'emails.previewTemplate':
    'admins: a rendering of the input with the soonest upcoming booking’s values (all in the admin shapes) and samples',
  'emails.defaultTemplate': 'admins: a template a new business starts with (no data)',
  'emails.failures': 'admins: the failed_emails shape',
  'portal.bookings': 'the signed-in customer’s own bookings',
  'portal.booking': 'one booking of the customer’s own',
  'portal.services': 'the public service list',
  'push.publicKey': 'staff: the VAPID public key browsers subscribe with (public by design)',
};

describe('the API’s queries', () => {
  it('are all listed here with what bounds their output', () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    const queries = Object.entries(procedures)
      .filter(([, p]) => p._def.type === 'query')
      .map(([path]) => path)
      .sort();
    expect(queries).toEqual(Object.keys(QUERIES).sort());
  });
});

describe('bookings, per role', () => {
  it('a fieldworker gets no prices, fees, or office names (hole: bookings.list leaked them)', async () => {
    const api = await fieldworker();
    const list = await api.bookings.list({ limit: 500 });
    expectWithin(list, bookingKeys('fieldworker'), 'bookings.list as a fieldworker');
    for (const b of list) {
      expect(b).not.toHaveProperty('price_minor');
      expect(b).not.toHaveProperty('cancel_fee_minor');
      expect(b).not.toHaveProperty('customer_name');
    }
    const one = await api.bookings.get({ id: list[0]?.id as string });
    expectWithin([one], bookingKeys('fieldworker'), 'bookings.get as a fieldworker');
  });

  it('an admin gets the admin bookings shape and the names it holds', async () => {
    const api = await as(DEMO_SIGN_INS.admin);
    const list = await api.bookings.list({ limit: 500 });
    expectWithin(list, bookingKeys('admin'), 'bookings.list as an admin');
    expect(list[0]).toHaveProperty('price_minor');
    expect(list[0]).toHaveProperty('customer_name');
  });
});

describe('mutation answers, per role', () => {
  it('a fieldworker told a booking was already cancelled learns the role, not the name (no users shape)', async () => {
    const sam = await sessionOf(pool, DEMO_SIGN_INS.fieldworkers[0] as string);
    if (sam.role !== 'fieldworker') throw new Error('fieldworker expected');
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM bookings WHERE fieldworker_id = $1 AND status IN ('scheduled', 'confirmed') LIMIT 1`,
      [sam.userId],
    );
    const id = rows[0]?.id as string;
    await (await as(DEMO_SIGN_INS.admin)).bookings.cancel({ id, writeId: randomUUID(), comment: 'Office' });
    const answer = await callerFor(pool, sam).bookings.cancel({
      id,
      writeId: randomUUID(),
      comment: 'Me too',
    });
    expect(answer).toEqual({
      outcome: 'already-cancelled',
      cancelledBy: { role: 'admin' },
      txid: expect.any(String),
    });
  });
});

describe('admin reads', () => {
  it('settings.get stays within the settings shape', async () => {
    const api = await as(DEMO_SIGN_INS.admin);
    const settings = await api.settings.get();
    const columns = Object.keys(settings).map(
      (k) => SETTINGS_COLUMNS[k as keyof typeof SETTINGS_COLUMNS] ?? k,
    );
    expectWithin(
      [Object.fromEntries(columns.map((c) => [c, 1]))],
      keysOf('settings', 'admin'),
      'settings.get',
    );
  });

  it('emails.templates stays within the email_templates shape (plus the placeholder docs)', async () => {
    const api = await as(DEMO_SIGN_INS.admin);
    const allowed = keysOf('email_templates', 'admin');
    allowed.add('placeholders');
    expectWithin(await api.emails.templates(), allowed, 'emails.templates');
    expectWithin([await api.emails.template({ kind: 'confirmation' })], allowed, 'emails.template');
  });

  it('emails.failures stays within the failed_emails shape', async () => {
    await pool.query(
      `INSERT INTO sent_messages (kind, event_key, recipient, subject, status, attempts, last_error, failed_at)
       VALUES ('sign_in', 'outputs-per-role', 'nobody@example.invalid', 'Your sign-in link', 'failed', 5,
               'mailbox unavailable', now())`,
    );
    const api = await as(DEMO_SIGN_INS.admin);
    expectWithin(await api.emails.failures(), keysOf('failed_emails', 'admin'), 'emails.failures');
  });
});
