// The office creating and editing bookings (bookings.create, bookings.update) through the real
// tRPC caller, as the admin app sends them: every answer, the row as written, and what the
// triggers did with it — the audit event with the device's time, the confirmation email
// queued once, the reminder moved, the fieldworkers notified. Fieldworkers may do neither.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userMessage } from '../../server/api/trpc.ts';
import type { Pool } from '../../server/db/pool.ts';
import { anHourAgo, bookingFixtures } from './booking-fixtures.ts';
import { seededPool } from './helpers.ts';

let pool: Pool;
let f: ReturnType<typeof bookingFixtures>;
beforeAll(async () => {
  pool = await seededPool();
  f = bookingFixtures(pool);
});
afterAll(() => pool.end());

const HOUR = 3_600_000;
const inDays = (days: number, hour = 9) => {
  const d = new Date(Date.now() + days * 24 * HOUR);
  d.setUTCHours(hour, 0, 0, 0);
  return d;
};

/** A new booking as the admin app's New booking form sends it, with ids made on the device. */
async function newBookingInput(customer: { kind: 'existing'; id: string } | Record<string, unknown>) {
  return {
    writeId: randomUUID(),
    id: randomUUID(),
    clientAt: anHourAgo(),
    customer: customer as { kind: 'existing'; id: string },
    serviceId: await f.serviceId(),
    startsAt: inDays(5),
    endsAt: inDays(5, 11),
    address: '501 N State St, Chicago, IL',
    fieldworkerId: await f.userId('sam@example.com'),
    priceMinor: 12000,
    notes: 'Side door',
  };
}

describe('bookings.create', () => {
  it('for an existing customer: created with the device’s id, audited with the device’s time, confirmed', async () => {
    const admin = await f.admin();
    const grace = await f.customerId('grace@example.com');
    const input = await newBookingInput({ kind: 'existing', id: grace });
    const answer = await admin.bookings.create(input);
    expect(answer).toEqual({ outcome: 'created', id: input.id, txid: expect.stringMatching(/^\d+$/) });

    expect(await f.row(input.id)).toMatchObject({
      customer_id: grace,
      status: 'scheduled',
      currency: 'USD',
      price_minor: 12000,
      notes: 'Side door',
      starts_at: input.startsAt,
      last_write_id: input.writeId,
    });
    const [created, ...others] = await f.events(input.id);
    expect(others).toEqual([]);
    expect(created).toMatchObject({
      kind: 'created',
      actor_role: 'admin',
      channel: 'admin_app',
      client_at: input.clientAt,
      write_id: input.writeId,
    });
    expect(await f.jobs(input.id, 'send_confirmation_email')).toEqual([
      { revision: 0, run_at: expect.any(Date) },
    ]);
    const [reminder] = await f.jobs(input.id, 'send_reminder_email');
    expect(reminder?.run_at).toEqual(new Date(input.startsAt.getTime() - 24 * HOUR));
  });

  it('with a new customer: the customer is added with the device’s id and the booking is theirs', async () => {
    const admin = await f.admin();
    const customerId = randomUUID();
    const input = await newBookingInput({
      kind: 'new',
      id: customerId,
      name: 'Nina Novak',
      email: 'nina@example.com',
      phone: '+1 312 555 0199',
      address: '77 W Erie St, Chicago, IL',
    });
    expect(await admin.bookings.create(input)).toMatchObject({ outcome: 'created', id: input.id });
    const customer = (
      await pool.query('SELECT name, email, phone, address FROM customers WHERE id = $1', [customerId])
    ).rows[0];
    expect(customer).toEqual({
      name: 'Nina Novak',
      email: 'nina@example.com',
      phone: '+1 312 555 0199',
      address: '77 W Erie St, Chicago, IL',
    });
    expect(await f.row(input.id)).toMatchObject({ customer_id: customerId });
  });

  it('a new customer whose email another customer has (in any case): refused, and nothing is made', async () => {
    const admin = await f.admin();
    const customerId = randomUUID();
    const input = await newBookingInput({
      kind: 'new',
      id: customerId,
      name: 'Grace K',
      email: 'GRACE@example.com',
    });
    const refusal = {
      code: 'CONFLICT',
      message: 'A customer with that email already exists: search for them instead.',
    };
    await expect(admin.bookings.create(input)).rejects.toMatchObject(refusal);
    // Sent again from the queue: the same answer, still nothing made.
    await expect(admin.bookings.create(input)).rejects.toMatchObject(refusal);
    expect(await f.row(input.id)).toBeUndefined();
    expect((await pool.query('SELECT 1 FROM customers WHERE id = $1', [customerId])).rowCount).toBe(0);
  });

  it('the same write sent ten times at once: one booking, one answer, one confirmation email', async () => {
    const admin = await f.admin();
    const input = await newBookingInput({
      kind: 'new',
      id: randomUUID(),
      name: 'Omar Haddad',
      email: 'omar@example.com',
    });
    const answers = await Promise.all(Array.from({ length: 10 }, () => admin.bookings.create(input)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect((await pool.query('SELECT 1 FROM bookings WHERE id = $1', [input.id])).rowCount).toBe(1);
    expect((await pool.query(`SELECT 1 FROM customers WHERE email = 'omar@example.com'`)).rowCount).toBe(1);
    expect((await f.events(input.id)).map((e) => e.kind)).toEqual(['created']);
    expect(await f.jobs(input.id, 'send_confirmation_email')).toEqual([
      { revision: 0, run_at: expect.any(Date) },
    ]);
  });

  it('a booking id another write already used: refused, the booking left as it was', async () => {
    const admin = await f.admin();
    const grace = await f.customerId('grace@example.com');
    const first = await newBookingInput({ kind: 'existing', id: grace });
    await admin.bookings.create(first);
    const second = { ...first, writeId: randomUUID(), priceMinor: 1, notes: 'Overwritten?' };
    await expect(admin.bookings.create(second)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'That booking already exists.',
    });
    expect(await f.row(first.id)).toMatchObject({
      price_minor: 12000,
      notes: 'Side door',
      last_write_id: first.writeId,
    });
  });

  it.each([
    ['customer', { customer: { kind: 'existing', id: randomUUID() } }, 'That customer is no longer on file.'],
    ['service', { serviceId: randomUUID() }, 'Choose one of the services offered.'],
    ['fieldworker', { fieldworkerId: randomUUID() }, 'That fieldworker is not on the team any more.'],
  ])('an unknown %s: refused with a sentence, nothing made', async (_what, over, sentence) => {
    const admin = await f.admin();
    const input = {
      ...(await newBookingInput({ kind: 'existing', id: await f.customerId('grace@example.com') })),
      ...over,
    };
    await expect(
      admin.bookings.create(input as typeof input & { customer: { kind: 'existing'; id: string } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(sentence) });
    expect(await f.row(input.id)).toBeUndefined();
  });

  it('an admin given as the fieldworker is no fieldworker: refused', async () => {
    const admin = await f.admin();
    const input = await newBookingInput({ kind: 'existing', id: await f.customerId('grace@example.com') });
    await expect(
      admin.bookings.create({ ...input, fieldworkerId: await f.userId('admin@example.com') }),
    ).rejects.toMatchObject({ message: 'That fieldworker is not on the team any more. Choose another.' });
  });

  it('an end before the start: refused by the shared schema, with its sentence', async () => {
    const admin = await f.admin();
    const input = await newBookingInput({ kind: 'existing', id: await f.customerId('grace@example.com') });
    const error = await admin.bookings.create({ ...input, endsAt: input.startsAt }).catch((e) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(userMessage(error)).toBe('endsAt: The end must be after the start.');
  });
});

describe('bookings.update', () => {
  it('reschedule: a rescheduled event with the device’s time, the reminder moved, the fieldworker told', async () => {
    const admin = await f.admin();
    const b = await f.newBooking();
    const input = {
      writeId: randomUUID(),
      id: b.id,
      clientAt: anHourAgo(),
      saw: { startsAt: b.startsAt, fieldworkerId: b.fieldworkerId, status: 'scheduled' as const },
      changes: { startsAt: inDays(6, 15), endsAt: inDays(6, 17) },
    };
    expect(await admin.bookings.update(input)).toEqual({
      outcome: 'updated',
      changedMeanwhile: [],
      txid: expect.stringMatching(/^\d+$/),
    });
    expect(await f.row(b.id)).toMatchObject({
      starts_at: input.changes.startsAt,
      ends_at: input.changes.endsAt,
      last_write_id: input.writeId,
    });
    const events = await f.events(b.id);
    expect(events.map((e) => e.kind)).toEqual(['created', 'rescheduled']);
    expect(events[1]).toMatchObject({
      actor_role: 'admin',
      channel: 'admin_app',
      client_at: input.clientAt,
      write_id: input.writeId,
      details: { from: expect.any(String), to: expect.any(String) },
    });
    expect(events[1]?.server_at.getTime()).toBeGreaterThan(input.clientAt.getTime() + HOUR / 2);
    const [reminder] = await f.jobs(b.id, 'send_reminder_email');
    expect(reminder?.run_at).toEqual(new Date(input.changes.startsAt.getTime() - 24 * HOUR));
    expect(await f.notifications(b.id)).toEqual([{ email: 'sam@example.com', kind: 'booking_rescheduled' }]);
  });

  it('reassign: both fieldworkers are told, the new one that it is theirs', async () => {
    const admin = await f.admin();
    const b = await f.newBooking();
    const alex = await f.userId('alex@example.com');
    const answer = await admin.bookings.update({
      writeId: randomUUID(),
      id: b.id,
      saw: { startsAt: b.startsAt, fieldworkerId: b.fieldworkerId, status: 'scheduled' },
      changes: { fieldworkerId: alex },
    });
    expect(answer).toMatchObject({ outcome: 'updated', changedMeanwhile: [] });
    expect((await f.events(b.id)).map((e) => e.kind)).toEqual(['created', 'reassigned']);
    expect(await f.notifications(b.id)).toEqual([
      { email: 'alex@example.com', kind: 'booking_assigned' },
      { email: 'sam@example.com', kind: 'booking_reassigned' },
    ]);
  });

  it('schedule a request: scheduled, audited, and the confirmation email queued once, even sent again', async () => {
    const admin = await f.admin();
    const b = await f.newBooking({ status: 'requested', fieldworker: null });
    expect(await f.jobs(b.id, 'send_confirmation_email')).toEqual([]);
    const input = {
      writeId: randomUUID(),
      id: b.id,
      clientAt: anHourAgo(),
      saw: { startsAt: b.startsAt, fieldworkerId: null, status: 'requested' as const },
      changes: { status: 'scheduled' as const, fieldworkerId: await f.userId('sam@example.com') },
    };
    const first = await admin.bookings.update(input);
    expect(first).toMatchObject({ outcome: 'updated' });
    expect(await admin.bookings.update(input)).toEqual(first);
    expect(await f.row(b.id)).toMatchObject({ status: 'scheduled', last_write_id: input.writeId });
    expect((await f.events(b.id)).map((e) => [e.kind, e.from_status, e.to_status])).toEqual([
      ['created', null, 'requested'],
      ['status_changed', 'requested', 'scheduled'],
      ['reassigned', null, null],
    ]);
    expect(await f.jobs(b.id, 'send_confirmation_email')).toEqual([
      { revision: 0, run_at: expect.any(Date) },
    ]);
    // A later edit of the scheduled booking confirms nothing again.
    await admin.bookings.update({
      writeId: randomUUID(),
      id: b.id,
      saw: { startsAt: b.startsAt, fieldworkerId: input.changes.fieldworkerId, status: 'scheduled' },
      changes: { status: 'confirmed' },
    });
    expect(await f.jobs(b.id, 'send_confirmation_email')).toEqual([
      { revision: 0, run_at: expect.any(Date) },
    ]);
  });

  it('a request with no fieldworker cannot be scheduled: refused with what it needs', async () => {
    const admin = await f.admin();
    const b = await f.newBooking({ status: 'requested', fieldworker: null });
    await expect(
      admin.bookings.update({
        writeId: randomUUID(),
        id: b.id,
        saw: { startsAt: b.startsAt, fieldworkerId: null, status: 'requested' },
        changes: { status: 'scheduled' },
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Give the request a time and a fieldworker to schedule it.',
    });
    expect(await f.row(b.id)).toMatchObject({ status: 'requested' });
  });

  it('a change to what already is: unchanged, with no write and no audit event', async () => {
    const admin = await f.admin();
    const b = await f.newBooking();
    const before = await f.row(b.id);
    const answer = await admin.bookings.update({
      writeId: randomUUID(),
      id: b.id,
      saw: { startsAt: b.startsAt, fieldworkerId: b.fieldworkerId, status: 'scheduled' },
      changes: { startsAt: b.startsAt, fieldworkerId: b.fieldworkerId, status: 'scheduled', notes: '' },
    });
    expect(answer).toEqual({ outcome: 'unchanged', txid: expect.stringMatching(/^\d+$/) });
    expect(await f.row(b.id)).toEqual(before);
    expect((await f.events(b.id)).map((e) => e.kind)).toEqual(['created']);
  });

  it('a new start past the end the booking keeps: refused with a sentence, not a database error', async () => {
    const admin = await f.admin();
    const b = await f.newBooking();
    await expect(
      admin.bookings.update({
        writeId: randomUUID(),
        id: b.id,
        saw: { startsAt: b.startsAt, fieldworkerId: b.fieldworkerId, status: 'scheduled' },
        changes: { startsAt: new Date(b.endsAt.getTime() + HOUR) },
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'The end must be after the start.' });
  });

  it('assigned to someone who is not a fieldworker: refused, nobody told', async () => {
    const admin = await f.admin();
    const b = await f.newBooking();
    await expect(
      admin.bookings.update({
        writeId: randomUUID(),
        id: b.id,
        saw: { startsAt: b.startsAt, fieldworkerId: b.fieldworkerId, status: 'scheduled' },
        changes: { fieldworkerId: randomUUID() },
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'That fieldworker is not on the team any more. Choose another.',
    });
    expect(await f.notifications(b.id)).toEqual([]);
  });

  it('choosing Cancelled is not an edit: the schema sends the person to the cancel dialog', async () => {
    const admin = await f.admin();
    const b = await f.newBooking();
    const error = await admin.bookings
      .update({
        writeId: randomUUID(),
        id: b.id,
        saw: { startsAt: b.startsAt, fieldworkerId: b.fieldworkerId, status: 'scheduled' },
        changes: { status: 'cancelled' as 'scheduled' },
      })
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(userMessage(error)).toBe(
      'changes.status: To cancel a booking, choose Canceled and confirm in the dialog.',
    );
    expect(await f.row(b.id)).toMatchObject({ status: 'scheduled' });
  });
});

describe('fieldworkers', () => {
  it('may neither create nor edit bookings', async () => {
    const sam = await f.sam();
    const input = await newBookingInput({ kind: 'existing', id: await f.customerId('grace@example.com') });
    const refused = { code: 'FORBIDDEN', message: 'Your account cannot do this.' };
    await expect(sam.bookings.create(input)).rejects.toMatchObject(refused);
    expect(await f.row(input.id)).toBeUndefined();

    const b = await f.newBooking();
    await expect(
      sam.bookings.update({
        writeId: randomUUID(),
        id: b.id,
        saw: { startsAt: b.startsAt, fieldworkerId: b.fieldworkerId, status: 'scheduled' },
        changes: { startsAt: inDays(9), endsAt: inDays(9, 11) },
      }),
    ).rejects.toMatchObject(refused);
    expect(await f.row(b.id)).toMatchObject({ starts_at: b.startsAt });
  });
});
