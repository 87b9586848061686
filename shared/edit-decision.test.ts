// Tests for the one edit decision: every outcome and rejection reason, the order of the checks,
// what changed meanwhile, the sentences people read, and properties where repetition and what
// the person saw matter. Every rejection reason the decision can give is produced by some case
// here (checked at the end); `unknown_fieldworker` is the server's, after a lookup.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedTransitions, BOOKING_STATUSES, type BookingStatus } from './booking-status.ts';
import {
  type BookingChanges,
  type BookingToEdit,
  decideBookingEdit,
  EDITABLE_STATUSES,
  type EditOutcome,
  type EditSaw,
} from './edit-decision.ts';
import { EDIT_REJECTIONS, type EditRejection, editRejection, NO_SUCH_BOOKING } from './outcomes.ts';

const HOUR = 3_600_000;
const NOW = new Date('2030-06-01T12:00:00.000Z');
const START = new Date('2030-06-10T09:00:00.000Z');
const END = new Date('2030-06-10T11:00:00.000Z');
const LATER = new Date('2030-06-11T14:00:00.000Z');
const LATER_END = new Date('2030-06-11T16:00:00.000Z');
const PAST = new Date('2030-05-20T09:00:00.000Z');
const INVALID = new Date(Number.NaN);

const booking = (status: BookingStatus = 'scheduled', over: Partial<BookingToEdit> = {}): BookingToEdit => ({
  status,
  startsAt: START,
  endsAt: END,
  fieldworkerId: 'fw-1',
  notes: 'Gate code 1234',
  cancelledBy: status === 'cancelled' ? { role: 'customer', name: 'Jordan Rivera' } : null,
  ...over,
});

/** What the person saw: by default the booking exactly as it is. */
const sawOf = (b: BookingToEdit, over: Partial<EditSaw> = {}): EditSaw => ({
  startsAt: b.startsAt,
  fieldworkerId: b.fieldworkerId,
  status: b.status,
  ...over,
});

const decide = (b: BookingToEdit | null, changes: BookingChanges, saw?: Partial<EditSaw>) =>
  decideBookingEdit({
    now: NOW,
    booking: b,
    saw: b ? sawOf(b, saw) : { startsAt: START, fieldworkerId: 'fw-1', status: 'scheduled', ...saw },
    changes,
  });

const produced = new Set<EditRejection>();
function reason(outcome: EditOutcome): EditRejection | null {
  if (outcome.kind !== 'rejected') return null;
  produced.add(outcome.reason);
  return outcome.reason;
}

describe('existence and cancellation come first', () => {
  it('a booking that is gone: not_found, with the sentence every missing booking gets', () => {
    const outcome = decide(null, { notes: 'x' });
    expect(reason(outcome)).toBe('not_found');
    if (outcome.kind === 'rejected') {
      expect(editRejection(outcome)).toEqual({ code: 'NOT_FOUND', message: NO_SUCH_BOOKING });
    }
  });

  it.each([
    ['customer', 'This booking was cancelled by the customer meanwhile, so it was not changed.'],
    ['admin', 'This booking was cancelled by the office meanwhile, so it was not changed.'],
    ['fieldworker', 'This booking was cancelled by the fieldworker meanwhile, so it was not changed.'],
    ['system', 'This booking was cancelled meanwhile, so it was not changed.'],
  ] as const)('cancelled by the %s meanwhile: rejected, saying who by role', (role, sentence) => {
    const b = booking('cancelled', { cancelledBy: { role, name: 'Someone' } });
    const outcome = decide(b, { startsAt: LATER, endsAt: LATER_END }, { status: 'scheduled' });
    expect(outcome).toEqual({
      kind: 'rejected',
      reason: 'cancelled',
      cancelledBy: { role, name: 'Someone' },
      meanwhile: true,
    });
    if (outcome.kind === 'rejected')
      expect(editRejection(outcome)).toEqual({ code: 'CONFLICT', message: sentence });
    reason(outcome);
  });

  it('already cancelled when the person edited it: rejected without "meanwhile"', () => {
    const outcome = decide(booking('cancelled'), { notes: 'Call first' });
    expect(outcome).toMatchObject({ kind: 'rejected', reason: 'cancelled', meanwhile: false });
    if (outcome.kind === 'rejected') {
      expect(editRejection(outcome).message).toBe(
        'This booking was cancelled by the customer, so it cannot be changed.',
      );
    }
  });

  it('cancelled with nobody recorded: still rejected, with no name to give', () => {
    const outcome = decide(
      booking('cancelled', { cancelledBy: null }),
      { notes: 'x' },
      { status: 'confirmed' },
    );
    expect(outcome).toMatchObject({ reason: 'cancelled', cancelledBy: null });
    if (outcome.kind === 'rejected') {
      expect(editRejection(outcome).message).toBe(
        'This booking was cancelled meanwhile, so it was not changed.',
      );
    }
  });

  it('a change that would change nothing on a cancelled booking is still told it was cancelled', () => {
    expect(reason(decide(booking('cancelled'), { notes: 'Gate code 1234' }, { status: 'scheduled' }))).toBe(
      'cancelled',
    );
  });
});

describe('started or completed: no longer rescheduled or reassigned', () => {
  it.each([
    ['in_progress', 'reschedule', { startsAt: LATER, endsAt: LATER_END }, 'started'],
    ['in_progress', 'reassign', { fieldworkerId: 'fw-2' }, 'started'],
    ['in_progress', 'unassign', { fieldworkerId: null }, 'started'],
    ['in_progress', 'move the end only', { endsAt: LATER_END }, 'started'],
    ['completed', 'reschedule', { startsAt: LATER, endsAt: LATER_END }, 'completed'],
    ['completed', 'reassign', { fieldworkerId: 'fw-2' }, 'completed'],
  ] as const)('%s, %s: %s', (status, _what, changes, expected) => {
    const outcome = decide(booking(status), changes, { status: 'scheduled' });
    expect(outcome).toEqual({ kind: 'rejected', reason: expected, meanwhile: true });
    reason(outcome);
  });

  it('the sentences say what happened, and "meanwhile" only when it happened after the person looked', () => {
    const started = decide(booking('in_progress'), { fieldworkerId: 'fw-2' }, { status: 'confirmed' });
    const completed = decide(booking('completed'), { fieldworkerId: 'fw-2' });
    if (started.kind !== 'rejected' || completed.kind !== 'rejected') throw new Error('rejections expected');
    expect(editRejection(started)).toEqual({
      code: 'CONFLICT',
      message: 'This booking has started meanwhile, so it can no longer be rescheduled or reassigned.',
    });
    expect(editRejection(completed).message).toBe(
      'This booking has been completed, so it can no longer be rescheduled or reassigned.',
    );
  });

  it.each([
    ['in_progress', 'notes', { notes: 'Took longer: rusted pipe' }],
    ['in_progress', 'finishing it', { status: 'completed' }],
    ['completed', 'notes', { notes: 'Invoice sent' }],
  ] as const)('%s, %s: applied', (status, _what, changes) => {
    expect(decide(booking(status), changes)).toMatchObject({ kind: 'applied', set: changes });
  });

  it('a start, end and fieldworker sent as they already are is no reschedule: unchanged', () => {
    expect(decide(booking('in_progress'), { startsAt: START, endsAt: END, fieldworkerId: 'fw-1' })).toEqual({
      kind: 'unchanged',
    });
  });

  it('started is named before an illegal status move in the same edit', () => {
    expect(
      reason(decide(booking('in_progress'), { startsAt: LATER, endsAt: LATER_END, status: 'scheduled' })),
    ).toBe('started');
  });
});

describe('status moves follow shared/booking-status.ts from the status the booking has now', () => {
  const cases = BOOKING_STATUSES.filter((s) => s !== 'cancelled').flatMap((from) =>
    EDITABLE_STATUSES.filter((to) => to !== from).map((to) => [from, to] as const),
  );

  it.each(cases)('%s → %s', (from, to) => {
    // A fieldworker on the booking and a start to come, so scheduling a request is not what refuses.
    const outcome = decide(booking(from), { status: to });
    if (allowedTransitions(from).includes(to)) {
      expect(outcome).toEqual({ kind: 'applied', set: { status: to }, changedMeanwhile: [] });
    } else {
      expect(outcome).toEqual({ kind: 'rejected', reason: 'status_not_allowed', from, to });
      reason(outcome);
    }
  });

  it('the sentence names both statuses by their labels', () => {
    const outcome = decide(booking('in_progress'), { status: 'scheduled' }, { status: 'confirmed' });
    if (outcome.kind !== 'rejected') throw new Error('rejection expected');
    expect(editRejection(outcome)).toEqual({
      code: 'CONFLICT',
      message: 'A booking that is in progress cannot be changed to scheduled.',
    });
  });

  it('judged from the status now, not the one the person saw: confirmed → scheduled while it had started', () => {
    expect(decide(booking('in_progress'), { status: 'scheduled' }, { status: 'confirmed' })).toMatchObject({
      reason: 'status_not_allowed',
      from: 'in_progress',
      to: 'scheduled',
    });
  });

  it('a status already reached meanwhile is no move: the rest of the edit applies', () => {
    expect(
      decide(booking('confirmed'), { status: 'confirmed', notes: 'Ring twice' }, { status: 'scheduled' }),
    ).toEqual({ kind: 'applied', set: { notes: 'Ring twice' }, changedMeanwhile: ['status'] });
  });

  it('cancelling is never an edit, whatever a caller slips through', () => {
    const sneaky = { status: 'cancelled' } as unknown as BookingChanges;
    expect(() => decide(booking(), sneaky)).toThrow(RangeError);
  });
});

describe('scheduling a request needs a fieldworker and a start still to come', () => {
  const request = (over: Partial<BookingToEdit> = {}) =>
    booking('requested', { fieldworkerId: null, ...over });

  it('no fieldworker on the request and none given: rejected', () => {
    const outcome = decide(request(), { status: 'scheduled' });
    expect(reason(outcome)).toBe('needs_fieldworker');
    if (outcome.kind === 'rejected') {
      expect(editRejection(outcome)).toEqual({
        code: 'BAD_REQUEST',
        message: 'Give the request a time and a fieldworker to schedule it.',
      });
    }
  });

  it('a fieldworker given with the status: applied, both set', () => {
    expect(decide(request(), { status: 'scheduled', fieldworkerId: 'fw-2' })).toEqual({
      kind: 'applied',
      set: { status: 'scheduled', fieldworkerId: 'fw-2' },
      changedMeanwhile: [],
    });
  });

  it('a fieldworker already on the request: applied', () => {
    expect(decide(request({ fieldworkerId: 'fw-1' }), { status: 'scheduled' })).toMatchObject({
      kind: 'applied',
    });
  });

  it('the fieldworker taken off in the same edit: rejected', () => {
    expect(
      reason(decide(request({ fieldworkerId: 'fw-1' }), { status: 'scheduled', fieldworkerId: null })),
    ).toBe('needs_fieldworker');
  });

  it("the customer's preferred time has passed and no new one is given: rejected", () => {
    const past = request({ startsAt: PAST, endsAt: new Date(PAST.getTime() + 2 * HOUR) });
    expect(reason(decide(past, { status: 'scheduled', fieldworkerId: 'fw-1' }))).toBe('needs_fieldworker');
  });

  it('a new time to come with a fieldworker: applied', () => {
    const past = request({ startsAt: PAST, endsAt: new Date(PAST.getTime() + 2 * HOUR) });
    expect(
      decide(past, { status: 'scheduled', fieldworkerId: 'fw-1', startsAt: LATER, endsAt: LATER_END }),
    ).toMatchObject({ kind: 'applied', set: { startsAt: LATER, endsAt: LATER_END } });
  });

  it('a request can be given a time and a fieldworker without scheduling it yet', () => {
    expect(decide(request(), { fieldworkerId: 'fw-1', startsAt: LATER, endsAt: LATER_END })).toMatchObject({
      kind: 'applied',
    });
  });
});

describe('the end stays after the start', () => {
  it('a new start past the end the booking keeps: rejected', () => {
    const outcome = decide(booking(), { startsAt: LATER });
    expect(reason(outcome)).toBe('ends_before_start');
    if (outcome.kind === 'rejected') {
      expect(editRejection(outcome)).toEqual({
        code: 'BAD_REQUEST',
        message: 'The end must be after the start.',
      });
    }
  });

  it('an end at the start exactly: rejected', () => {
    expect(reason(decide(booking(), { endsAt: START }))).toBe('ends_before_start');
  });

  it('a start moved within the window: applied', () => {
    const earlier = new Date(START.getTime() - HOUR);
    expect(decide(booking(), { startsAt: earlier })).toEqual({
      kind: 'applied',
      set: { startsAt: earlier },
      changedMeanwhile: [],
    });
  });
});

describe('only what differs is written, and what changed meanwhile is reported', () => {
  it('every field as it already is: unchanged (no write, no audit noise)', () => {
    const b = booking();
    expect(
      decide(b, { startsAt: START, endsAt: END, fieldworkerId: 'fw-1', notes: b.notes, status: 'scheduled' }),
    ).toEqual({ kind: 'unchanged' });
  });

  it('a start equal to the millisecond, as another Date object, is no change', () => {
    expect(decide(booking(), { startsAt: new Date(START.getTime()) })).toEqual({ kind: 'unchanged' });
  });

  it('the same start with new notes: only the notes are set', () => {
    expect(decide(booking(), { startsAt: START, notes: 'Dog in the yard' })).toEqual({
      kind: 'applied',
      set: { notes: 'Dog in the yard' },
      changedMeanwhile: [],
    });
  });

  it.each([
    ['rescheduled', { startsAt: LATER }, ['rescheduled']],
    ['reassigned', { fieldworkerId: 'fw-2' }, ['reassigned']],
    ['unassigned', { fieldworkerId: null }, ['reassigned']],
    ['confirmed by the customer', { status: 'scheduled' as const }, ['status']],
    [
      'all three',
      { startsAt: LATER, fieldworkerId: 'fw-2', status: 'scheduled' as const },
      ['rescheduled', 'reassigned', 'status'],
    ],
  ] as const)('%s meanwhile: applied, and reported', (_what, saw, expected) => {
    // The booking is confirmed now, at START, with fw-1; the person saw something else.
    const outcome = decide(booking('confirmed'), { notes: 'Bring a ladder' }, saw);
    expect(outcome).toEqual({
      kind: 'applied',
      set: { notes: 'Bring a ladder' },
      changedMeanwhile: expected,
    });
  });

  it('reschedule offline while someone reassigned: applied, last writer wins on the start only', () => {
    const outcome = decide(booking(), { startsAt: LATER, endsAt: LATER_END }, { fieldworkerId: 'fw-2' });
    expect(outcome).toEqual({
      kind: 'applied',
      set: { startsAt: LATER, endsAt: LATER_END },
      changedMeanwhile: ['reassigned'],
    });
  });
});

describe('bad input is a bug: RangeError, never a quiet decision', () => {
  it.each([
    ['now', { now: INVALID }],
    ['saw.startsAt', { saw: { startsAt: INVALID, fieldworkerId: null, status: 'scheduled' as const } }],
    ['changes.startsAt', { changes: { startsAt: INVALID } }],
    ['changes.endsAt', { changes: { endsAt: INVALID } }],
    ['booking.startsAt', { booking: booking('scheduled', { startsAt: INVALID }) }],
    ['booking.endsAt', { booking: booking('scheduled', { endsAt: INVALID }) }],
  ])('an invalid %s', (_name, over) => {
    const b = booking();
    expect(() =>
      decideBookingEdit({ now: NOW, booking: b, saw: sawOf(b), changes: { notes: 'x' }, ...over }),
    ).toThrow(RangeError);
  });
});

// --- properties ---

const T = [PAST, START, END, LATER, LATER_END];
const instantArb = fc.constantFrom(...T);
const fieldworkerArb = fc.constantFrom('fw-1', 'fw-2', null);
const bookingArb: fc.Arbitrary<BookingToEdit> = fc
  .record({
    status: fc.constantFrom(...BOOKING_STATUSES),
    startsAt: instantArb,
    hours: fc.integer({ min: 1, max: 8 }),
    fieldworkerId: fieldworkerArb,
    notes: fc.constantFrom('', 'Gate code 1234'),
    cancelledBy: fc.option(
      fc.record({
        role: fc.constantFrom('customer', 'admin') as fc.Arbitrary<'customer' | 'admin'>,
        name: fc.constant('X'),
      }),
      { nil: null },
    ),
  })
  .map(({ hours, ...b }) => ({ ...b, endsAt: new Date(b.startsAt.getTime() + hours * HOUR) }));
const changesArb: fc.Arbitrary<BookingChanges> = fc.record(
  {
    startsAt: instantArb,
    endsAt: instantArb,
    fieldworkerId: fieldworkerArb,
    notes: fc.constantFrom('', 'Gate code 1234', 'Ring twice'),
    status: fc.constantFrom(...EDITABLE_STATUSES),
  },
  { requiredKeys: [] },
);
const sawArb: fc.Arbitrary<EditSaw> = fc.record({
  startsAt: instantArb,
  fieldworkerId: fieldworkerArb,
  status: fc.constantFrom(...BOOKING_STATUSES),
});
const nowArb = fc.constantFrom(NOW, new Date(LATER.getTime() + 30 * 24 * HOUR));

describe('properties', () => {
  it('the same edit applied twice changes nothing the second time (a replay is harmless)', () => {
    fc.assert(
      fc.property(nowArb, bookingArb, sawArb, changesArb, (now, b, saw, changes) => {
        const first = decideBookingEdit({ now, booking: b, saw, changes });
        if (first.kind !== 'applied') return;
        const after: BookingToEdit = { ...b, ...first.set } as BookingToEdit;
        expect(decideBookingEdit({ now, booking: after, saw, changes })).toEqual({ kind: 'unchanged' });
      }),
    );
  });

  it('what the person saw never decides whether an edit applies, only what is reported', () => {
    fc.assert(
      fc.property(nowArb, bookingArb, sawArb, changesArb, (now, b, saw, changes) => {
        const strip = (o: EditOutcome) => {
          if (o.kind === 'applied') return { kind: o.kind, set: o.set };
          if (o.kind === 'rejected' && 'meanwhile' in o) return { ...o, meanwhile: null };
          return o;
        };
        const asSeen = decideBookingEdit({ now, booking: b, saw: sawOf(b), changes });
        const offline = decideBookingEdit({ now, booking: b, saw, changes });
        expect(strip(offline)).toEqual(strip(asSeen));
        if (asSeen.kind === 'applied') expect(asSeen.changedMeanwhile).toEqual([]);
      }),
    );
  });

  it('an applied edit never breaks a rule: no cancelled booking, no move off the machine, nothing started moved', () => {
    fc.assert(
      fc.property(nowArb, bookingArb, sawArb, changesArb, (now, b, saw, changes) => {
        const outcome = decideBookingEdit({ now, booking: b, saw, changes });
        if (outcome.kind !== 'applied') return;
        const { set } = outcome;
        expect(Object.keys(set).length).toBeGreaterThan(0);
        expect(b.status).not.toBe('cancelled');
        if (set.status) expect(allowedTransitions(b.status)).toContain(set.status);
        if (b.status === 'in_progress' || b.status === 'completed') {
          expect([set.startsAt, set.endsAt, set.fieldworkerId]).toEqual([undefined, undefined, undefined]);
        }
        const startsAt = set.startsAt ?? b.startsAt;
        const endsAt = set.endsAt ?? b.endsAt;
        expect(endsAt.getTime()).toBeGreaterThan(startsAt.getTime());
        // Only fields the person changed, each to the value they chose.
        for (const [field, value] of Object.entries(set)) {
          expect(changes[field as keyof BookingChanges]).toEqual(value);
        }
      }),
    );
  });
});

describe('coverage', () => {
  it('every rejection reason of the decision is produced by some case above', () => {
    const decided = EDIT_REJECTIONS.filter((r) => r !== 'unknown_fieldworker');
    expect([...produced].sort()).toEqual([...decided].sort());
  });

  it('every rejection reason has a sentence', () => {
    for (const r of EDIT_REJECTIONS) {
      const refusal =
        r === 'cancelled'
          ? { reason: r, cancelledBy: null, meanwhile: true }
          : r === 'started' || r === 'completed'
            ? { reason: r, meanwhile: false }
            : r === 'status_not_allowed'
              ? { reason: r, from: 'completed' as const, to: 'scheduled' as const }
              : { reason: r };
      expect(editRejection(refusal).message).toMatch(/^[A-Z].+\.$/);
    }
  });
});
