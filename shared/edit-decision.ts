// The one decision for an edit of a booking by the office: reschedule, reassign, notes, status
// (cancelling is not an edit: it has its own dialog, write and decision, shared/cancel-decision.ts).
// DESIGN §3's reconcile idea applied to edits made offline: the edit is applied when it still
// can be, reported when the booking changed meanwhile, and rejected with a reason when the
// booking can no longer take it.
//
// Pure: `now`, the booking as locked, what the person saw and the changes they made go in; a
// closed, tagged outcome comes out. No I/O, no clock reads. Write-id repeats are not decided
// here: the write path answers a repeat with the first answer before anything is decided.
// Whether a fieldworker id names someone on the team is a lookup, so the server checks it
// after an `applied` outcome (reason `unknown_fieldworker`).

import { allowedTransitions, BOOKING_STATUSES, type BookingStatus } from './booking-status.ts';
import type { CancelledBy } from './cancel-decision.ts';
import type { EditRefusal } from './outcomes.ts';

/** The statuses an edit may set: every one but cancelled. */
export type EditableStatus = Exclude<BookingStatus, 'cancelled'>;
export const EDITABLE_STATUSES = BOOKING_STATUSES.filter((s): s is EditableStatus => s !== 'cancelled');

/** The booking as the server holds it, locked for the deciding transaction. */
export interface BookingToEdit {
  readonly status: BookingStatus;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly fieldworkerId: string | null;
  readonly notes: string;
  readonly cancelledBy: CancelledBy | null;
}

/** What the person saw when they made the change (the booking on their device). */
export interface EditSaw {
  readonly startsAt: Date;
  readonly fieldworkerId: string | null;
  readonly status: BookingStatus;
}

/** The fields an edit sets; an absent field is left as it is. */
export interface BookingChanges {
  readonly startsAt?: Date | undefined;
  readonly endsAt?: Date | undefined;
  readonly fieldworkerId?: string | null | undefined;
  readonly notes?: string | undefined;
  readonly status?: EditableStatus | undefined;
}

export interface EditDecisionInput {
  /** The server's clock on receipt. */
  readonly now: Date;
  /** null: no such booking (or deleted). */
  readonly booking: BookingToEdit | null;
  readonly saw: EditSaw;
  readonly changes: BookingChanges;
}

/** What differs between what the person saw and the booking as it is now. */
export type EditMeanwhile = 'rescheduled' | 'reassigned' | 'status';

export type EditOutcome =
  /** `set`: only the fields that differ from the booking now (last writer wins on those). */
  | {
      readonly kind: 'applied';
      readonly set: BookingChanges;
      readonly changedMeanwhile: readonly EditMeanwhile[];
    }
  /** Every field is already what the change sets: nothing to write, no audit event. */
  | { readonly kind: 'unchanged' }
  | ({ readonly kind: 'rejected' } & EditRefusal);

/**
 * Decide an edit. Order matters and is part of the contract:
 * 1. existence,
 * 2. cancelled (nothing more changes on a cancelled booking),
 * 3. started or completed: no longer rescheduled or reassigned (notes and finishing still are),
 * 4. the status move, from the status the booking has NOW (shared/booking-status.ts),
 * 5. scheduling a request needs a fieldworker and a start still to come,
 * 6. the end after the start,
 * 7. nothing differs: unchanged; else applied, with what changed meanwhile.
 */
export function decideBookingEdit(input: EditDecisionInput): EditOutcome {
  const { now, booking, saw, changes } = input;
  assertValidDate('now', now);
  assertValidDate('saw.startsAt', saw.startsAt);
  if (changes.startsAt) assertValidDate('changes.startsAt', changes.startsAt);
  if (changes.endsAt) assertValidDate('changes.endsAt', changes.endsAt);
  // The type forbids it; a caller that slips it through must not turn an edit into a cancellation.
  if ((changes.status as string | undefined) === 'cancelled') {
    throw new RangeError('cancelling is bookings.cancel, never an edit');
  }

  if (!booking) return { kind: 'rejected', reason: 'not_found' };
  assertValidDate('booking.startsAt', booking.startsAt);
  assertValidDate('booking.endsAt', booking.endsAt);
  const meanwhile = saw.status !== booking.status;

  if (booking.status === 'cancelled') {
    return { kind: 'rejected', reason: 'cancelled', cancelledBy: booking.cancelledBy, meanwhile };
  }

  const set = differences(booking, changes);
  const reschedules = set.startsAt !== undefined || set.endsAt !== undefined;
  const reassigns = set.fieldworkerId !== undefined;
  if ((booking.status === 'in_progress' || booking.status === 'completed') && (reschedules || reassigns)) {
    return {
      kind: 'rejected',
      reason: booking.status === 'in_progress' ? 'started' : 'completed',
      meanwhile,
    };
  }

  if (set.status !== undefined && !allowedTransitions(booking.status).includes(set.status)) {
    return { kind: 'rejected', reason: 'status_not_allowed', from: booking.status, to: set.status };
  }

  const startsAt = changes.startsAt ?? booking.startsAt;
  const endsAt = changes.endsAt ?? booking.endsAt;
  const fieldworkerId = changes.fieldworkerId !== undefined ? changes.fieldworkerId : booking.fieldworkerId;
  // A request carries the customer's preferred time: it counts as the time only while it is still to come.
  const schedulesRequest =
    booking.status === 'requested' && (set.status === 'scheduled' || set.status === 'confirmed');
  if (schedulesRequest && (fieldworkerId === null || startsAt.getTime() <= now.getTime())) {
    return { kind: 'rejected', reason: 'needs_fieldworker' };
  }

  if (endsAt.getTime() <= startsAt.getTime()) return { kind: 'rejected', reason: 'ends_before_start' };

  if (Object.keys(set).length === 0) return { kind: 'unchanged' };
  return { kind: 'applied', set, changedMeanwhile: changedMeanwhile(saw, booking) };
}

/** The changes whose value differs from the booking's: an equal value is no change. */
function differences(booking: BookingToEdit, changes: BookingChanges): BookingChanges {
  const set: {
    startsAt?: Date;
    endsAt?: Date;
    fieldworkerId?: string | null;
    notes?: string;
    status?: EditableStatus;
  } = {};
  if (changes.startsAt && changes.startsAt.getTime() !== booking.startsAt.getTime()) {
    set.startsAt = changes.startsAt;
  }
  if (changes.endsAt && changes.endsAt.getTime() !== booking.endsAt.getTime()) set.endsAt = changes.endsAt;
  if (changes.fieldworkerId !== undefined && changes.fieldworkerId !== booking.fieldworkerId) {
    set.fieldworkerId = changes.fieldworkerId;
  }
  if (changes.notes !== undefined && changes.notes !== booking.notes) set.notes = changes.notes;
  if (changes.status !== undefined && changes.status !== booking.status) set.status = changes.status;
  return set;
}

function changedMeanwhile(saw: EditSaw, booking: BookingToEdit): EditMeanwhile[] {
  const changed: EditMeanwhile[] = [];
  if (saw.startsAt.getTime() !== booking.startsAt.getTime()) changed.push('rescheduled');
  if (saw.fieldworkerId !== booking.fieldworkerId) changed.push('reassigned');
  if (saw.status !== booking.status) changed.push('status');
  return changed;
}

// An Invalid Date compares false with everything and would quietly pass every check: fail instead.
function assertValidDate(name: string, value: Date): void {
  if (Number.isNaN(value.getTime())) throw new RangeError(`${name} is an invalid Date`);
}
