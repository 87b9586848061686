// The one write path (server/api/write.ts): every data-changing mutation takes a write id,
// claims it in the same transaction as the change, answers a repeat with the first answer,
// refuses the id with another payload, and returns a real txid.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../server/api/router.ts';
import type { Pool } from '../../server/db/pool.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { WRITE_ID_REUSED } from '../../shared/outcomes.ts';
import { callerFor, seededPool, sessionOf } from './helpers.ts';

let pool: Pool;
beforeAll(async () => {
  pool = await seededPool();
});
afterAll(() => pool.end());

const admin = async () => callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.admin));
const claims = async (writeId: string) =>
  (await pool.query('SELECT count(*)::int AS n FROM write_claims WHERE write_id = $1', [writeId])).rows[0].n;

/** Sign-in and sign-out change sessions, not the business's data, and carry no write id. */
const SESSION_MUTATIONS = new Set([
  'auth.staffSignIn',
  'auth.signOut',
  'auth.requestSignInLink',
  'auth.redeemSignInLink',
]);

describe('every data-changing mutation', () => {
  it('requires a write id', () => {
    const procedures = appRouter._def.procedures as unknown as Record<
      string,
      { _def: { type: string; inputs: unknown[] } }
    >;
    const mutations = Object.entries(procedures).filter(([, p]) => p._def.type === 'mutation');
    expect(mutations.length).toBeGreaterThan(4);
    for (const [path, procedure] of mutations) {
      if (SESSION_MUTATIONS.has(path)) continue;
      const schema = procedure._def.inputs[0] as {
        safeParse(v: unknown): { success: boolean; error?: unknown };
      };
      const withoutWriteId = schema.safeParse({});
      expect({ path, refusedWithout: !withoutWriteId.success }).toEqual({ path, refusedWithout: true });
      expect(JSON.stringify(withoutWriteId.error)).toContain('writeId');
    }
  });
});

describe('settings.update through the write path', () => {
  it('answers a repeat with the first answer and changes nothing twice', async () => {
    const api = await admin();
    const writeId = randomUUID();
    const first = await api.settings.update({ writeId, reminderHours: 30 });
    expect(first.txid).toMatch(/^\d+$/);
    expect(first.reminderHours).toBe(30);
    // Changed meanwhile by someone else: the repeat still answers as the first time, and
    // does not put 30 back.
    await api.settings.update({ writeId: randomUUID(), reminderHours: 24 });
    expect(await api.settings.update({ writeId, reminderHours: 30 })).toEqual(first);
    expect((await api.settings.get()).reminderHours).toBe(24);
    expect(await claims(writeId)).toBe(1);
  });

  it('refuses the same write id with another change, and applies neither', async () => {
    const api = await admin();
    const writeId = randomUUID();
    await api.settings.update({ writeId, reminderHours: 48 });
    await expect(api.settings.update({ writeId, reminderHours: 12 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: WRITE_ID_REUSED,
    });
    expect((await api.settings.get()).reminderHours).toBe(48);
    await api.settings.update({ writeId: randomUUID(), reminderHours: 24 });
  });

  it('a rejected write is rejected again on a repeat, and leaves no change behind', async () => {
    const api = await admin();
    const writeId = randomUUID();
    const change = { writeId, name: 'Renamed', customerCancelFeeId: randomUUID() };
    const rejection = { code: 'BAD_REQUEST', message: 'That fee does not exist or is inactive.' };
    await expect(api.settings.update(change)).rejects.toMatchObject(rejection);
    await expect(api.settings.update(change)).rejects.toMatchObject(rejection);
    expect((await api.settings.get()).name).not.toBe('Renamed');
  });

  it('the same write id from another admin is another write: refused', async () => {
    const writeId = randomUUID();
    await (await admin()).settings.update({ writeId, reminderHours: 24 });
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, 'Second Admin', 'admin', 'x') RETURNING id`,
      [`second-${randomUUID()}@example.com`],
    );
    const other = callerFor(pool, {
      role: 'admin',
      userId: rows[0]?.id as string,
      name: 'Second Admin',
      email: 'second@example.com',
    });
    await expect(other.settings.update({ writeId, reminderHours: 24 })).rejects.toMatchObject({
      message: WRITE_ID_REUSED,
    });
  });
});

describe('emails.saveTemplate through the write path', () => {
  it('returns a txid, and a repeat the same answer', async () => {
    const api = await admin();
    const template = await api.emails.template({ kind: 'reminder' });
    const input = {
      writeId: randomUUID(),
      kind: 'reminder' as const,
      subject: 'See you soon: {{service}}',
      bodyHtml: template.bodyHtml,
      bodyText: template.bodyText,
    };
    const first = await api.emails.saveTemplate(input);
    expect(first).toEqual({ saved: true, txid: expect.stringMatching(/^\d+$/) });
    expect(await api.emails.saveTemplate(input)).toEqual(first);
    expect((await api.emails.template({ kind: 'reminder' })).subject).toBe('See you soon: {{service}}');
  });
});

describe('cancellations through the write path', () => {
  it('ten sends of one write id cancel once: one audit event, one answer', async () => {
    const api = await admin();
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM bookings WHERE status = 'scheduled' AND starts_at > now() LIMIT 1`,
    );
    const id = rows[0]?.id as string;
    const input = { id, writeId: randomUUID(), comment: 'Office closed' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => api.bookings.cancel(input)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ outcome: 'cancelled', txid: expect.stringMatching(/^\d+$/) });
    const events = await pool.query(
      `SELECT 1 FROM booking_events WHERE booking_id = $1 AND kind = 'cancelled'`,
      [id],
    );
    expect(events.rowCount).toBe(1);
  });
});

describe('bookings.create and bookings.update through the write path', () => {
  it('refuse a write id sent again with other changes, and apply neither the second time', async () => {
    const api = await admin();
    const { rows } = await pool.query<{ id: string; starts_at: Date; fieldworker_id: string | null }>(
      `SELECT id, starts_at, fieldworker_id FROM bookings WHERE status = 'scheduled' AND starts_at > now() LIMIT 1`,
    );
    const b = rows[0] as { id: string; starts_at: Date; fieldworker_id: string | null };
    const edit = {
      writeId: randomUUID(),
      id: b.id,
      saw: { startsAt: b.starts_at, fieldworkerId: b.fieldworker_id, status: 'scheduled' as const },
      changes: { notes: 'First' },
    };
    expect(await api.bookings.update(edit)).toMatchObject({
      outcome: 'updated',
      txid: expect.stringMatching(/^\d+$/),
    });
    await expect(api.bookings.update({ ...edit, changes: { notes: 'Second' } })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: WRITE_ID_REUSED,
    });
    const notes = async () =>
      (await pool.query('SELECT notes FROM bookings WHERE id = $1', [b.id])).rows[0]?.notes;
    expect(await notes()).toBe('First');

    // The same id for a new booking is another write too: refused, nothing made.
    const customer = await pool.query<{ id: string }>('SELECT id FROM customers LIMIT 1');
    const service = await pool.query<{ id: string }>('SELECT id FROM services LIMIT 1');
    const bookingId = randomUUID();
    await expect(
      api.bookings.create({
        writeId: edit.writeId,
        id: bookingId,
        customer: { kind: 'existing', id: customer.rows[0]?.id as string },
        serviceId: service.rows[0]?.id as string,
        startsAt: new Date(Date.now() + 86_400_000),
        endsAt: new Date(Date.now() + 90_000_000),
        address: '1 Main St',
        fieldworkerId: null,
        priceMinor: 100,
      }),
    ).rejects.toMatchObject({ message: WRITE_ID_REUSED });
    expect((await pool.query('SELECT 1 FROM bookings WHERE id = $1', [bookingId])).rowCount).toBe(0);
    expect(await claims(edit.writeId)).toBe(1);
  });
});
