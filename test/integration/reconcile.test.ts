// DESIGN §3's reconcile table, one `it` per row, and the same idea for edits: each write is
// sent through the real tRPC caller the way the offline admin app replays its queue — a write
// id made on the device, the time the person pressed the button (an hour ago), and what the
// device showed them — after something else happened to the booking on the server meanwhile.
// What the person is told, what the booking is, and what the triggers did (audit events,
// email jobs, notifications) are read back from Postgres.
//
// Some rows are also covered elsewhere from another angle (write-path.test.ts for repeats,
// staff-cancel.test.ts for a deleted fee, shared/cancel-decision.test.ts and
// shared/edit-decision.test.ts for the pure decisions); this file is the one place that walks
// the table end to end.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../server/db/pool.ts';
import { NO_SUCH_BOOKING } from '../../shared/outcomes.ts';
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
type Booking = Awaited<ReturnType<ReturnType<typeof bookingFixtures>['newBooking']>>;

type Admin = Awaited<ReturnType<ReturnType<typeof bookingFixtures>['admin']>>;
type StaffFee = { feeId: string | null; name: string; feeMinor: number; taxMinor: number };
type Changes = Parameters<Admin['bookings']['update']>[0]['changes'];

/** An offline cancel of `b` as the admin app queued it: pressed an hour ago, as the device showed it. */
const cancelWrite = (b: Booking, fee?: StaffFee) => ({
  id: b.id,
  writeId: randomUUID(),
  comment: 'Customer phoned the office',
  clientAt: anHourAgo(),
  expectedStartsAt: b.startsAt,
  expectedFieldworkerId: b.fieldworkerId,
  ...(fee ? { fee } : {}),
});

/** An offline edit of `b` as the admin app queued it, with what the device showed (status: scheduled). */
const editWrite = (b: Booking, changes: Changes) => ({
  writeId: randomUUID(),
  id: b.id,
  clientAt: anHourAgo(),
  saw: { startsAt: b.startsAt, fieldworkerId: b.fieldworkerId, status: 'scheduled' as const },
  changes,
});

/** The queue sending a write once the server is back. */
const offlineCancel = async (b: Booking, fee?: StaffFee) =>
  (await f.admin()).bookings.cancel(cancelWrite(b, fee));
const offlineEdit = async (b: Booking, changes: Changes) =>
  (await f.admin()).bookings.update(editWrite(b, changes));

/** Things that happen on the server while the device is offline, each through its real way in. */
const meanwhile = {
  async customerCancels(b: Booking) {
    const grace = await f.customer('grace@example.com');
    await grace.portal.cancel({
      id: b.id,
      writeId: randomUUID(),
      comment: 'Away that week',
      expectedFeeTotalMinor: null,
    });
  },
  async anotherDeviceCancels(b: Booking) {
    const admin = await f.admin();
    await admin.bookings.cancel({ id: b.id, writeId: randomUUID(), comment: 'Cancelled at the front desk' });
  },
  /** Another admin device changes the booking online. */
  async edit(b: Booking, changes: Changes) {
    const row = await f.row(b.id);
    const admin = await f.admin();
    await admin.bookings.update({
      writeId: randomUUID(),
      id: b.id,
      saw: {
        startsAt: row?.starts_at as Date,
        fieldworkerId: row?.fieldworker_id as string | null,
        status: row?.status as 'scheduled',
      },
      changes,
    });
  },
  reschedule: (b: Booking) =>
    meanwhile.edit(b, {
      startsAt: new Date(b.startsAt.getTime() + 24 * HOUR),
      endsAt: new Date(b.endsAt.getTime() + 24 * HOUR),
    }),
  reassignToAlex: async (b: Booking) =>
    meanwhile.edit(b, { fieldworkerId: await f.userId('alex@example.com') }),
  start: (b: Booking) => meanwhile.edit(b, { status: 'in_progress' }),
  async complete(b: Booking) {
    await meanwhile.start(b);
    await meanwhile.edit(b, { status: 'completed' });
  },
  delete: async (b: Booking) => void (await pool.query('DELETE FROM bookings WHERE id = $1', [b.id])),
};

/** Everything a write could leave behind, to show that a refused or repeated one left nothing. */
async function traces(id: string) {
  return {
    row: await f.row(id),
    events: await f.events(id),
    cancellationEmails: await f.jobs(id, 'send_cancellation_email'),
    notifications: await f.notifications(id),
  };
}

describe('DESIGN §3: an offline cancel, reconciled with what happened meanwhile', () => {
  it('nothing happened: cancelled; the audit row keeps the device’s time and the server’s; one email, one notice', async () => {
    const b = await f.newBooking();
    const write = cancelWrite(b);
    const { writeId, clientAt } = write;
    const answer = await (await f.admin()).bookings.cancel(write);
    expect(answer).toEqual({
      outcome: 'cancelled',
      changedMeanwhile: [],
      txid: expect.stringMatching(/^\d+$/),
    });
    expect(await f.row(b.id)).toMatchObject({ status: 'cancelled', last_write_id: writeId });
    const cancelled = (await f.events(b.id)).filter((e) => e.kind === 'cancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({
      actor_role: 'admin',
      channel: 'admin_app',
      client_at: clientAt,
      write_id: writeId,
    });
    expect((cancelled[0]?.server_at.getTime() ?? 0) - clientAt.getTime()).toBeGreaterThanOrEqual(HOUR - 1000);
    expect(await f.jobs(b.id, 'send_cancellation_email')).toHaveLength(1);
    expect(await f.notifications(b.id)).toEqual([{ email: 'sam@example.com', kind: 'booking_cancelled' }]);
  });

  it.each([
    ['the customer', meanwhile.customerCancels, { role: 'customer', name: 'Grace Kim' }],
    ['another admin device', meanwhile.anotherDeviceCancels, { role: 'admin', name: 'Olivia Office' }],
  ])(
    'already cancelled by %s: a no-op that names who; no second event, email, notice or fee',
    async (_who, cancelFirst, cancelledBy) => {
      const b = await f.newBooking();
      await cancelFirst(b);
      const before = await traces(b.id);
      const answer = await offlineCancel(b, { feeId: null, name: 'Admin fee', feeMinor: 1500, taxMinor: 0 });
      expect(answer).toEqual({ outcome: 'already-cancelled', cancelledBy, txid: expect.any(String) });
      expect(await traces(b.id)).toEqual(before);
      expect(before.row).toMatchObject({ cancel_fee_name: null, cancel_fee_minor: null });
      expect(before.cancellationEmails).toHaveLength(1);
    },
  );

  it('rescheduled meanwhile: cancelled, and reported as rescheduled', async () => {
    const b = await f.newBooking();
    await meanwhile.reschedule(b);
    expect(await offlineCancel(b)).toMatchObject({ outcome: 'cancelled', changedMeanwhile: ['rescheduled'] });
    expect(await f.row(b.id)).toMatchObject({ status: 'cancelled' });
    expect(await f.jobs(b.id, 'send_cancellation_email')).toHaveLength(1);
    expect(await f.jobs(b.id, 'send_reminder_email')).toEqual([]);
  });

  it('reassigned meanwhile: cancelled, and the notice goes to the fieldworker assigned now, not the one the device showed', async () => {
    const b = await f.newBooking();
    await meanwhile.reassignToAlex(b);
    expect(await offlineCancel(b)).toMatchObject({ outcome: 'cancelled', changedMeanwhile: ['reassigned'] });
    const cancelNotices = (await f.notifications(b.id)).filter((n) => n.kind === 'booking_cancelled');
    expect(cancelNotices).toEqual([{ email: 'alex@example.com', kind: 'booking_cancelled' }]);
  });

  it.each([
    [
      'started',
      meanwhile.start,
      'CONFLICT',
      'This appointment has already started, so it can no longer be cancelled.',
    ],
    [
      'completed',
      meanwhile.complete,
      'CONFLICT',
      'This appointment has been completed, so it can no longer be cancelled.',
    ],
    ['deleted', meanwhile.delete, 'NOT_FOUND', NO_SUCH_BOOKING],
  ])('%s meanwhile: rejected with that reason, and nothing changed', async (_what, happen, code, message) => {
    const b = await f.newBooking();
    await happen(b);
    const before = await traces(b.id);
    const write = cancelWrite(b);
    await expect((await f.admin()).bookings.cancel(write)).rejects.toMatchObject({ code, message });
    expect(await traces(b.id)).toEqual(before);
    expect(before.row?.last_write_id ?? null).not.toBe(write.writeId);
    expect(before.cancellationEmails).toEqual([]);
  });

  it('the same write id sent ten times: applied once, every send answered alike', async () => {
    const b = await f.newBooking();
    const write = cancelWrite(b);
    const admin = await f.admin();
    const answers = await Promise.all(Array.from({ length: 10 }, () => admin.bookings.cancel(write)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ outcome: 'cancelled' });
    expect((await f.events(b.id)).filter((e) => e.kind === 'cancelled')).toHaveLength(1);
    expect(await f.jobs(b.id, 'send_cancellation_email')).toHaveLength(1);
    expect(await f.notifications(b.id)).toHaveLength(1);
  });

  it.each([
    ['changed', 'UPDATE fees SET amount_minor = 9900, tax_rate_bp = 0 WHERE id = $1'],
    ['deleted', 'DELETE FROM fees WHERE id = $1'],
  ])('a fee whose definition was %s since: the amount frozen on the device is kept', async (how, sql) => {
    const b = await f.newBooking();
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO fees (name, kind, amount_minor, tax_rate_bp) VALUES ('Late notice', 'flat', 2500, 800) RETURNING id`,
    );
    const feeId = rows[0]?.id as string;
    // What the dialog showed when the person pressed Cancel, offline: $25.00 + $2.00 tax.
    const shown = { feeId, name: 'Late notice', feeMinor: 2500, taxMinor: 200 };
    await pool.query(sql, [feeId]);
    expect(await offlineCancel(b, shown)).toMatchObject({ outcome: 'cancelled' });
    expect(await f.row(b.id)).toMatchObject({
      cancel_fee_id: how === 'deleted' ? null : feeId,
      cancel_fee_name: 'Late notice',
      cancel_fee_minor: 2500,
      cancel_fee_tax_minor: 200,
    });
    const [event] = (await f.events(b.id)).filter((e) => e.kind === 'cancelled');
    expect(event).toMatchObject({ fee_minor: 2500, fee_tax_minor: 200 });
  });
});

describe('the same idea for edits made offline', () => {
  const later = (b: Booking, hours: number) => ({
    startsAt: new Date(b.startsAt.getTime() + hours * HOUR),
    endsAt: new Date(b.endsAt.getTime() + hours * HOUR),
  });

  it('reschedule | the customer cancelled meanwhile: rejected, naming who, and nothing changed', async () => {
    const b = await f.newBooking();
    await meanwhile.customerCancels(b);
    const before = await traces(b.id);
    await expect(offlineEdit(b, later(b, 48))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This booking was cancelled by the customer meanwhile, so it was not changed.',
    });
    expect(await traces(b.id)).toEqual(before);
  });

  it('reschedule | someone reassigned meanwhile: applied and reported; the notice goes to the fieldworker now', async () => {
    const b = await f.newBooking();
    await meanwhile.reassignToAlex(b);
    const to = later(b, 48);
    expect(await offlineEdit(b, to)).toEqual({
      outcome: 'updated',
      changedMeanwhile: ['reassigned'],
      txid: expect.stringMatching(/^\d+$/),
    });
    // Last writer wins on the fields it sets, and only those: the start moves, Alex keeps it.
    expect(await f.row(b.id)).toMatchObject({
      starts_at: to.startsAt,
      fieldworker_id: await f.userId('alex@example.com'),
    });
    const rescheduled = (await f.notifications(b.id)).filter((n) => n.kind === 'booking_rescheduled');
    expect(rescheduled).toEqual([{ email: 'alex@example.com', kind: 'booking_rescheduled' }]);
  });

  it('reschedule | rescheduled meanwhile by someone else: applied, reported, the later write’s time kept', async () => {
    const b = await f.newBooking();
    await meanwhile.reschedule(b);
    const to = later(b, 72);
    expect(await offlineEdit(b, to)).toMatchObject({ outcome: 'updated', changedMeanwhile: ['rescheduled'] });
    expect(await f.row(b.id)).toMatchObject({ starts_at: to.startsAt });
  });

  it('reschedule | started meanwhile: rejected with that reason, and nothing changed', async () => {
    const b = await f.newBooking();
    await meanwhile.start(b);
    const before = await traces(b.id);
    await expect(offlineEdit(b, later(b, 48))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This booking has started meanwhile, so it can no longer be rescheduled or reassigned.',
    });
    expect(await traces(b.id)).toEqual(before);
  });

  it('status confirmed | started meanwhile: rejected, naming both statuses', async () => {
    const b = await f.newBooking();
    await meanwhile.start(b);
    await expect(offlineEdit(b, { status: 'confirmed' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'A booking that is in progress cannot be changed to confirmed.',
    });
    expect(await f.row(b.id)).toMatchObject({ status: 'in_progress' });
  });

  it('status in progress | started meanwhile: already so, unchanged, no second audit event', async () => {
    const b = await f.newBooking();
    await meanwhile.start(b);
    const before = await traces(b.id);
    expect(await offlineEdit(b, { status: 'in_progress' })).toEqual({
      outcome: 'unchanged',
      txid: expect.any(String),
    });
    expect(await traces(b.id)).toEqual(before);
  });

  it('notes | confirmed meanwhile: applied, and the status change reported', async () => {
    const b = await f.newBooking();
    await meanwhile.edit(b, { status: 'confirmed' });
    expect(await offlineEdit(b, { notes: 'Bring the tall ladder' })).toMatchObject({
      outcome: 'updated',
      changedMeanwhile: ['status'],
    });
    expect(await f.row(b.id)).toMatchObject({ status: 'confirmed', notes: 'Bring the tall ladder' });
  });

  it('any edit | deleted meanwhile: rejected as no such booking', async () => {
    const b = await f.newBooking();
    await meanwhile.delete(b);
    await expect(offlineEdit(b, { notes: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: NO_SUCH_BOOKING,
    });
  });

  it('the same edit sent ten times: applied once, every send answered alike', async () => {
    const b = await f.newBooking();
    const write = editWrite(b, later(b, 24));
    const admin = await f.admin();
    const answers = await Promise.all(Array.from({ length: 10 }, () => admin.bookings.update(write)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ outcome: 'updated' });
    expect((await f.events(b.id)).filter((e) => e.kind === 'rescheduled')).toHaveLength(1);
    expect(await f.notifications(b.id)).toEqual([{ email: 'sam@example.com', kind: 'booking_rescheduled' }]);
  });
});
