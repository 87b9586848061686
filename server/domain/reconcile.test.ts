// Tests for offline cancellation reconciliation: each row of DESIGN §3's table as cases, the order
// of the checks, and properties over repeated and interleaved deliveries of write ids.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookingStatus } from '../../shared/booking-status.ts';
import { BOOKING_STATUSES } from '../../shared/booking-status.ts';
import type {
  CancelledBy,
  FrozenFee,
  OfflineCancelWrite,
  ReconcileOutcome,
  ReconcileRejection,
  ServerBooking,
} from './reconcile.ts';
import { RECONCILE_REJECTION_MESSAGES, reconcileOfflineCancel } from './reconcile.ts';

const NOW = new Date('2030-06-08T12:00:00.000Z');
const DECIDED = new Date('2030-06-08T10:15:00.000Z');
const STARTS = new Date('2030-06-10T09:00:00.000Z');
const LATER = new Date('2030-06-11T14:00:00.000Z');

const FEE: FrozenFee = {
  feeId: 'fee-late',
  name: 'Late cancellation',
  quote: { feeMinor: 2500, taxMinor: 500, totalMinor: 3000, currency: 'USD' },
};

const write = (over: Partial<OfflineCancelWrite> = {}): OfflineCancelWrite => ({
  writeId: 'w-1',
  payloadHash: 'hash-a',
  decidedAt: DECIDED,
  expectedStartsAt: STARTS,
  expectedFieldworkerId: 'fw-1',
  fee: null,
  ...over,
});

const row = (status: BookingStatus = 'scheduled', over: Partial<ServerBooking> = {}): ServerBooking => ({
  status,
  fieldworkerId: 'fw-1',
  startsAt: STARTS,
  cancelledBy: null,
  ...over,
});

const apply = (over: Partial<Extract<ReconcileOutcome, { kind: 'apply' }>> = {}): ReconcileOutcome => ({
  kind: 'apply',
  notifyFieldworkerId: 'fw-1',
  changedMeanwhile: [],
  fee: null,
  decidedAt: DECIDED,
  receivedAt: NOW,
  ...over,
});

const rejected = (reason: ReconcileRejection): ReconcileOutcome => ({ kind: 'rejected', reason });

describe('reconcileOfflineCancel: DESIGN §3, row by row', () => {
  it.each(['requested', 'scheduled', 'confirmed'] as const)(
    'cancel, nothing changed on a %s booking: applied, both times kept for the audit',
    (status) => {
      expect(
        reconcileOfflineCancel({ now: NOW, write: write(), booking: row(status), priorClaim: null }),
      ).toEqual(apply());
    },
  );

  it.each<{ by: CancelledBy | null }>([
    { by: { role: 'customer', name: 'Dana Customer' } },
    { by: { role: 'admin', name: 'Office' } },
    { by: { role: 'fieldworker', name: 'Sam on another phone' } },
    { by: { role: 'system', name: 'System' } },
    { by: null },
  ])('cancel, already cancelled by $by.role: a no-op that names who cancelled first', ({ by }) => {
    const booking = row('cancelled', { cancelledBy: by });
    expect(
      reconcileOfflineCancel({ now: NOW, write: write({ fee: FEE }), booking, priorClaim: null }),
    ).toEqual({
      kind: 'already-cancelled',
      cancelledBy: by,
    });
  });

  it.each<{ name: string; booking: ServerBooking; expected: ReconcileOutcome }>([
    {
      name: 'rescheduled',
      booking: row('scheduled', { startsAt: LATER }),
      expected: apply({ changedMeanwhile: ['rescheduled'] }),
    },
    {
      name: 'reassigned',
      booking: row('confirmed', { fieldworkerId: 'fw-2' }),
      expected: apply({ notifyFieldworkerId: 'fw-2', changedMeanwhile: ['reassigned'] }),
    },
    {
      name: 'rescheduled and reassigned',
      booking: row('scheduled', { startsAt: LATER, fieldworkerId: 'fw-2' }),
      expected: apply({ notifyFieldworkerId: 'fw-2', changedMeanwhile: ['rescheduled', 'reassigned'] }),
    },
    {
      name: 'unassigned',
      booking: row('scheduled', { fieldworkerId: null }),
      expected: apply({ notifyFieldworkerId: null, changedMeanwhile: ['reassigned'] }),
    },
    {
      name: 'moved by one millisecond',
      booking: row('scheduled', { startsAt: new Date(STARTS.getTime() + 1) }),
      expected: apply({ changedMeanwhile: ['rescheduled'] }),
    },
  ])('cancel, $name meanwhile: applied, notifying the fieldworker assigned now', ({ booking, expected }) => {
    expect(reconcileOfflineCancel({ now: NOW, write: write(), booking, priorClaim: null })).toEqual(expected);
  });

  it('cancel of an unassigned booking, assigned meanwhile: the new fieldworker is notified', () => {
    const outcome = reconcileOfflineCancel({
      now: NOW,
      write: write({ expectedFieldworkerId: null }),
      booking: row('scheduled', { fieldworkerId: 'fw-3' }),
      priorClaim: null,
    });
    expect(outcome).toEqual(apply({ notifyFieldworkerId: 'fw-3', changedMeanwhile: ['reassigned'] }));
  });

  it('an equal start time in another Date object is not a reschedule', () => {
    const booking = row('scheduled', { startsAt: new Date(STARTS.toISOString()) });
    expect(reconcileOfflineCancel({ now: NOW, write: write(), booking, priorClaim: null })).toEqual(apply());
  });

  it.each<{ name: string; booking: ServerBooking | null; reason: ReconcileRejection }>([
    { name: 'started', booking: row('in_progress'), reason: 'started' },
    { name: 'completed', booking: row('completed'), reason: 'completed' },
    { name: 'deleted', booking: null, reason: 'deleted' },
  ])('cancel, $name meanwhile: rejected with that reason', ({ booking, reason }) => {
    expect(
      reconcileOfflineCancel({ now: NOW, write: write({ fee: FEE }), booking, priorClaim: null }),
    ).toEqual(rejected(reason));
  });

  it('cancel, same write_id sent again with the same payload: replay', () => {
    const outcome = reconcileOfflineCancel({
      now: NOW,
      write: write(),
      booking: row('cancelled'),
      priorClaim: { payloadHash: 'hash-a' },
    });
    expect(outcome).toEqual({ kind: 'replay' });
  });

  it('same write_id with a different payload: rejected as reused', () => {
    const outcome = reconcileOfflineCancel({
      now: NOW,
      write: write({ payloadHash: 'hash-b' }),
      booking: row('scheduled'),
      priorClaim: { payloadHash: 'hash-a' },
    });
    expect(outcome).toEqual(rejected('write_id_reused'));
  });

  it('cancel with a fee whose definition has since changed or been deleted: the frozen fee is kept', () => {
    // Today's settings might say 4000 or nothing at all; the quote the user saw is what counts.
    const frozen: FrozenFee = {
      feeId: 'fee-deleted-since',
      name: 'Old late fee',
      quote: { feeMinor: 1999, taxMinor: 400, totalMinor: 2399, currency: 'USD' },
    };
    const outcome = reconcileOfflineCancel({
      now: NOW,
      write: write({ fee: frozen }),
      booking: row(),
      priorClaim: null,
    });
    expect(outcome).toEqual(apply({ fee: frozen }));
    expect(outcome.kind === 'apply' && outcome.fee).toBe(frozen);
  });

  it('a fee never configured in settings (feeId null) is kept too', () => {
    const adHoc: FrozenFee = { ...FEE, feeId: null, name: 'Custom' };
    const outcome = reconcileOfflineCancel({
      now: NOW,
      write: write({ fee: adHoc }),
      booking: row(),
      priorClaim: null,
    });
    expect(outcome).toEqual(apply({ fee: adHoc }));
  });
});

describe('reconcileOfflineCancel: order of checks', () => {
  it.each<{ booking: ServerBooking | null }>([
    { booking: null },
    { booking: row('cancelled') },
    { booking: row('in_progress') },
    { booking: row('completed') },
    { booking: row('scheduled', { startsAt: LATER, fieldworkerId: 'fw-2' }) },
  ])('a prior claim decides before the booking is looked at ($booking.status)', ({ booking }) => {
    expect(
      reconcileOfflineCancel({ now: NOW, write: write(), booking, priorClaim: { payloadHash: 'hash-a' } }),
    ).toEqual({
      kind: 'replay',
    });
    expect(
      reconcileOfflineCancel({ now: NOW, write: write(), booking, priorClaim: { payloadHash: 'x' } }),
    ).toEqual(rejected('write_id_reused'));
  });

  it('the client clock does not matter: a decision "after" the start still applies on a scheduled row', () => {
    const late = write({ decidedAt: new Date(STARTS.getTime() + 3_600_000) });
    const outcome = reconcileOfflineCancel({ now: NOW, write: late, booking: row(), priorClaim: null });
    expect(outcome).toEqual(apply({ decidedAt: late.decidedAt }));
  });
});

describe('reconcileOfflineCancel: bad input', () => {
  const invalid = new Date(Number.NaN);
  it.each([
    { name: 'invalid now', now: invalid, w: write(), booking: row() },
    { name: 'invalid decidedAt', now: NOW, w: write({ decidedAt: invalid }), booking: row() },
    { name: 'invalid expectedStartsAt', now: NOW, w: write({ expectedStartsAt: invalid }), booking: row() },
    {
      name: 'invalid startsAt on the row',
      now: NOW,
      w: write(),
      booking: row('scheduled', { startsAt: invalid }),
    },
    { name: 'unknown status', now: NOW, w: write(), booking: row('archived' as BookingStatus) },
  ])('throws RangeError on $name', ({ now, w, booking }) => {
    expect(() => reconcileOfflineCancel({ now, write: w, booking, priorClaim: null })).toThrow(RangeError);
  });
});

// A model of the server around the rule: it claims a write_id with its first answer, answers a
// replay with that stored answer, and cancels the row on apply, as the real transaction does.
class ModelServer {
  booking: ServerBooking | null;
  readonly claims = new Map<string, { payloadHash: string; answer: ReconcileOutcome }>();
  applies = 0;

  constructor(booking: ServerBooking | null) {
    this.booking = booking;
  }

  receive(w: OfflineCancelWrite): { outcome: ReconcileOutcome; answer: ReconcileOutcome } {
    const claim = this.claims.get(w.writeId);
    const outcome = reconcileOfflineCancel({
      now: NOW,
      write: w,
      booking: this.booking,
      priorClaim: claim ? { payloadHash: claim.payloadHash } : null,
    });
    if (outcome.kind === 'replay') {
      if (!claim) throw new Error('replay without a claim');
      return { outcome, answer: claim.answer };
    }
    if (!claim) this.claims.set(w.writeId, { payloadHash: w.payloadHash, answer: outcome });
    if (outcome.kind === 'apply' && this.booking) {
      this.applies += 1;
      this.booking = {
        ...this.booking,
        status: 'cancelled',
        cancelledBy: { role: 'admin', name: w.writeId },
      };
    }
    return { outcome, answer: outcome };
  }
}

describe('reconcileOfflineCancel properties', () => {
  const cancellableArb = fc.constantFrom<BookingStatus>('requested', 'scheduled', 'confirmed');
  const bookingArb: fc.Arbitrary<ServerBooking | null> = fc.option(
    fc.record({
      status: fc.constantFrom(...BOOKING_STATUSES),
      fieldworkerId: fc.option(fc.constantFrom('fw-1', 'fw-2'), { nil: null }),
      startsAt: fc.constantFrom(STARTS, LATER),
      cancelledBy: fc.constant(null),
    }),
    { nil: null },
  );

  it('applying the same write id N times gives one apply, and every repeat gets the first answer', () => {
    fc.assert(
      fc.property(cancellableArb, fc.integer({ min: 1, max: 10 }), (status, n) => {
        const server = new ModelServer(row(status));
        const answers = Array.from({ length: n }, () => server.receive(write({ fee: FEE })));
        expect(server.applies).toBe(1);
        expect(answers.filter((a) => a.outcome.kind === 'replay')).toHaveLength(n - 1);
        for (const a of answers) expect(a.answer).toEqual(answers[0]?.answer);
      }),
    );
  });

  it('several devices cancelling, each resending, in any order: exactly one apply, no second cancel', () => {
    const scenarioArb = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
      .chain((repeats) => {
        const deliveries = repeats.flatMap((count, device) => Array.from({ length: count }, () => device));
        return fc.tuple(
          fc.constant(repeats.length),
          fc.shuffledSubarray(deliveries, { minLength: deliveries.length, maxLength: deliveries.length }),
        );
      });
    fc.assert(
      fc.property(cancellableArb, scenarioArb, (status, [devices, order]) => {
        const server = new ModelServer(row(status));
        const writes = Array.from({ length: devices }, (_, d) =>
          write({ writeId: `w-${d}`, payloadHash: `h-${d}` }),
        );
        const firstSeen = new Set<number>();
        const kinds = order.map((d) => {
          const w = writes[d];
          if (!w) throw new Error(`no write for device ${d}`);
          const { outcome } = server.receive(w);
          const first = !firstSeen.has(d);
          firstSeen.add(d);
          // Only a first delivery is ever decided afresh; every resend is a replay.
          expect(outcome.kind === 'replay').toBe(!first);
          return outcome.kind;
        });
        expect(server.applies).toBe(1);
        expect(kinds[0]).toBe('apply');
        expect(kinds.filter((k) => k === 'already-cancelled')).toHaveLength(devices - 1);
      }),
    );
  });

  it('with a prior claim the booking never matters: same hash replays, another hash is reused', () => {
    fc.assert(
      fc.property(bookingArb, fc.string(), fc.string(), (booking, claimed, sent) => {
        const outcome = reconcileOfflineCancel({
          now: NOW,
          write: write({ payloadHash: sent }),
          booking,
          priorClaim: { payloadHash: claimed },
        });
        expect(outcome).toEqual(claimed === sent ? { kind: 'replay' } : rejected('write_id_reused'));
      }),
    );
  });

  it('an applied cancel notifies the current fieldworker, keeps the fee, and lists exactly what moved', () => {
    fc.assert(
      fc.property(
        bookingArb,
        fc.option(fc.constantFrom('fw-1', 'fw-2'), { nil: null }),
        fc.constantFrom(STARTS, LATER),
        fc.option(fc.constant(FEE), { nil: null }),
        (booking, expectedFieldworkerId, expectedStartsAt, fee) => {
          const w = write({ expectedFieldworkerId, expectedStartsAt, fee });
          const outcome = reconcileOfflineCancel({ now: NOW, write: w, booking, priorClaim: null });
          if (outcome.kind !== 'apply') return;
          expect(booking).not.toBeNull();
          if (!booking) return;
          expect(['requested', 'scheduled', 'confirmed']).toContain(booking.status);
          expect(outcome.notifyFieldworkerId).toBe(booking.fieldworkerId);
          expect(outcome.fee).toBe(fee);
          expect(outcome.changedMeanwhile.includes('rescheduled')).toBe(
            booking.startsAt !== expectedStartsAt,
          );
          expect(outcome.changedMeanwhile.includes('reassigned')).toBe(
            booking.fieldworkerId !== expectedFieldworkerId,
          );
        },
      ),
    );
  });
});

describe('RECONCILE_REJECTION_MESSAGES', () => {
  it('has a distinct full sentence for every rejection reason', () => {
    expect(Object.keys(RECONCILE_REJECTION_MESSAGES).sort()).toEqual(
      ['completed', 'deleted', 'started', 'write_id_reused'].sort(),
    );
    const messages = Object.values(RECONCILE_REJECTION_MESSAGES);
    expect(new Set(messages).size).toBe(messages.length);
    for (const m of messages) expect(m).toMatch(/^[A-Z].*\.$/);
  });

  it.each([
    ['started', /started/],
    ['completed', /completed/],
    ['deleted', /deleted/],
    ['write_id_reused', /already used/],
  ] as const)('%s says why', (reason, pattern) => {
    expect(RECONCILE_REJECTION_MESSAGES[reason]).toMatch(pattern);
  });
});
