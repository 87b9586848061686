// The server's decision for a cancellation made offline and sent later (DESIGN §3, "Reconciling
// offline cancellations"): the client's write and the server's row go in, a closed outcome comes out.

import type { BookingStatus } from '../../shared/booking-status.ts';
import type { FeeQuote } from '../../shared/fees.ts';

/** A fee as the client quoted it when the user decided; kept as is, never looked up again. */
export interface FrozenFee {
  readonly feeId: string | null;
  readonly name: string;
  readonly quote: FeeQuote;
}

export interface CancelledBy {
  readonly role: 'customer' | 'admin' | 'fieldworker' | 'system';
  readonly name: string;
}

/** The booking row as the server has it now. */
export interface ServerBooking {
  readonly status: BookingStatus;
  readonly fieldworkerId: string | null;
  readonly startsAt: Date;
  readonly cancelledBy: CancelledBy | null;
}

/** The queued cancellation, with what the client believed about the booking when it decided. */
export interface OfflineCancelWrite {
  readonly writeId: string;
  readonly payloadHash: string;
  /** The client's clock at the decision; for the audit row only, never trusted for rules. */
  readonly decidedAt: Date;
  readonly expectedStartsAt: Date;
  readonly expectedFieldworkerId: string | null;
  readonly fee: FrozenFee | null;
}

export interface ReconcileOptions {
  /** The server's time on receipt. */
  readonly now: Date;
  readonly write: OfflineCancelWrite;
  /** null = the booking has been deleted. */
  readonly booking: ServerBooking | null;
  /** This write_id already claimed on the server, with the payload it was claimed for. */
  readonly priorClaim: { readonly payloadHash: string } | null;
}

export type MeanwhileChange = 'rescheduled' | 'reassigned';

export type ReconcileRejection = 'started' | 'completed' | 'deleted' | 'write_id_reused';

export type ReconcileOutcome =
  | {
      kind: 'apply';
      /** The fieldworker assigned now, not the one the client saw; null when unassigned. */
      notifyFieldworkerId: string | null;
      changedMeanwhile: MeanwhileChange[];
      fee: FrozenFee | null;
      /** Both times go to the audit row: the client's decision and the server's receipt. */
      decidedAt: Date;
      receivedAt: Date;
    }
  /** Same write_id, same payload: answer with the first answer, change nothing. */
  | { kind: 'replay' }
  /** Someone cancelled first: a no-op, with no second email, push, fee or audit event. */
  | { kind: 'already-cancelled'; cancelledBy: CancelledBy | null }
  | { kind: 'rejected'; reason: ReconcileRejection };

/**
 * Decide what an offline cancellation does. Order matters: the write_id claim first (a repeat must
 * get the same answer even if the booking changed since), then deletion, then status.
 * N.b. the caller claims the write_id in the same transaction as acting on the outcome; this only decides.
 */
export function reconcileOfflineCancel(options: ReconcileOptions): ReconcileOutcome {
  const { now, write, booking, priorClaim } = options;
  assertValidDate('now', now);
  assertValidDate('write.decidedAt', write.decidedAt);
  assertValidDate('write.expectedStartsAt', write.expectedStartsAt);

  if (priorClaim !== null) {
    return priorClaim.payloadHash === write.payloadHash
      ? { kind: 'replay' }
      : { kind: 'rejected', reason: 'write_id_reused' };
  }
  if (booking === null) return { kind: 'rejected', reason: 'deleted' };
  assertValidDate('booking.startsAt', booking.startsAt);

  switch (booking.status) {
    case 'cancelled':
      return { kind: 'already-cancelled', cancelledBy: booking.cancelledBy };
    case 'in_progress':
      return { kind: 'rejected', reason: 'started' };
    case 'completed':
      return { kind: 'rejected', reason: 'completed' };
    case 'requested':
    case 'scheduled':
    case 'confirmed':
      break;
    default: {
      const unknown: never = booking.status;
      throw new RangeError(`unknown booking status ${JSON.stringify(unknown)}`);
    }
  }

  const changedMeanwhile: MeanwhileChange[] = [];
  if (booking.startsAt.getTime() !== write.expectedStartsAt.getTime()) changedMeanwhile.push('rescheduled');
  if (booking.fieldworkerId !== write.expectedFieldworkerId) changedMeanwhile.push('reassigned');

  return {
    kind: 'apply',
    notifyFieldworkerId: booking.fieldworkerId,
    changedMeanwhile,
    // Frozen at decision time: what the user agreed to is what is charged, whatever the fee settings now say.
    fee: write.fee,
    decidedAt: write.decidedAt,
    receivedAt: now,
  };
}

/** One sentence per rejection, shown beside the write marked *Not applied*. */
export const RECONCILE_REJECTION_MESSAGES: Readonly<Record<ReconcileRejection, string>> = {
  started: 'The appointment had already started when your cancellation reached us, so it was not cancelled.',
  completed:
    'The appointment had already been completed when your cancellation reached us, so it was not cancelled.',
  deleted: 'This booking was deleted before your cancellation reached us.',
  write_id_reused:
    'This cancellation could not be applied because its change id was already used for a different change.',
};

// An Invalid Date would compare unequal to everything and report a reschedule that never happened.
function assertValidDate(name: string, value: Date): void {
  if (Number.isNaN(value.getTime())) throw new RangeError(`${name} is an invalid Date`);
}
