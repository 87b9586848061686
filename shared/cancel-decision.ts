// The one cancellation decision, for every caller: a customer in the portal or from an email
// link, an admin, a fieldworker; online, or replayed from an offline queue long after the
// person pressed Cancel (DESIGN §3, "Reconciling offline cancellations"). The server decides
// with it inside the transaction that holds the booking locked; the emails use it to decide
// whether to offer a cancel link; the apps use it to decide whether to show the button.
//
// Pure: `now`, who cancels, the booking as locked, the business's policy and the write go in;
// a closed, tagged outcome comes out. No I/O, no clock reads. Write-id repeats are not decided
// here: the write path answers a repeat with the first answer before anything is decided.

import { type BookingStatus, isCancellableStatus } from './booking-status.ts';
import { type FeeQuote, type FeeRule, quoteFee } from './fees.ts';
import { isInvisible } from './input-rules.ts';
import type { CancelRejection } from './outcomes.ts';
import type { ActorRole } from './vocabulary.ts';

export type Canceller =
  /** `via`: a signed-in session, or the holder of an emailed link (a view link only views). */
  | { role: 'customer'; customerId: string; via: 'session' | 'cancel_link' | 'view_link' }
  | { role: 'admin'; userId: string }
  | { role: 'fieldworker'; userId: string };

export interface CancelledBy {
  readonly role: ActorRole;
  readonly name: string;
}

/** The booking as the server holds it, locked for the deciding transaction. */
export interface BookingToCancel {
  readonly status: BookingStatus;
  readonly customerId: string;
  readonly fieldworkerId: string | null;
  readonly startsAt: Date;
  readonly priceMinor: number;
  readonly currency: string;
  readonly cancelledBy: CancelledBy | null;
}

/** The business's settings (Settings › Customer Portal › Flags & Permissions). */
export interface CancelPolicy {
  readonly customerCancelEnabled: boolean;
  /** Customers may cancel online until this many hours before the start; 0 = until it starts. */
  readonly customerCancelCutoffHours: number;
  readonly customerCommentRequired: boolean;
  readonly fieldworkerCancelEnabled: boolean;
  /** What a customer's cancellation costs within `windowHours` of the start, if anything. */
  readonly customerFee: CustomerFeeSetting | null;
}

export interface CustomerFeeSetting {
  readonly feeId: string;
  readonly name: string;
  readonly rule: FeeRule;
  /** 0 = never charged. */
  readonly windowHours: number;
}

/** A fee as it was when the person decided; kept as is, never looked up again. */
export interface FrozenFee {
  readonly feeId: string | null;
  readonly name: string;
  readonly quote: FeeQuote;
}

/** The fee an admin picked in the dialog, with the amounts the dialog showed. */
export interface StaffFeeChoice {
  readonly feeId: string | null;
  readonly name: string;
  readonly feeMinor: number;
  readonly taxMinor: number;
}

/** The cancellation as the person made it, with what they saw when they decided. */
export interface CancelWrite {
  readonly comment: string;
  /** When the person pressed Cancel on their device; for the audit row, never trusted for rules. */
  readonly clientAt: Date | null;
  /** What the person saw: a reschedule or reassignment since is reported, not refused. */
  readonly sawStartsAt?: Date | undefined;
  readonly sawFieldworkerId?: string | null | undefined;
  /** Staff: the fee chosen in the dialog, frozen as shown (only admins may charge one). */
  readonly staffFee?: StaffFeeChoice | null | undefined;
  /** Customers: the fee total the dialog showed (null: none); another fee now is refused. */
  readonly agreedFeeTotalMinor?: number | null | undefined;
}

export interface CancelDecisionInput {
  /** The server's clock on receipt. */
  readonly now: Date;
  readonly canceller: Canceller;
  /** null: no such booking (or deleted). */
  readonly booking: BookingToCancel | null;
  readonly policy: CancelPolicy;
  /** null: a preview — may this person cancel now, and what would it cost? */
  readonly write: CancelWrite | null;
}

export type MeanwhileChange = 'rescheduled' | 'reassigned';

export type CancelOutcome =
  | {
      readonly kind: 'applied';
      /** Frozen now: a customer's from the business's fee, an admin's as the dialog showed it. */
      readonly fee: FrozenFee | null;
      readonly changedMeanwhile: readonly MeanwhileChange[];
    }
  /** Someone cancelled first: a no-op, with no second email, push, fee or audit event. */
  | { readonly kind: 'already-cancelled'; readonly cancelledBy: CancelledBy | null }
  /** `fee`: with fee_changed, the fee that applies now. */
  | { readonly kind: 'rejected'; readonly reason: CancelRejection; readonly fee?: FeeQuote | null };

const HOUR_MS = 3_600_000;
const reject = (reason: CancelRejection, fee?: FeeQuote | null): CancelOutcome =>
  fee === undefined ? { kind: 'rejected', reason } : { kind: 'rejected', reason, fee };

/**
 * Decide a cancellation. Order matters and is part of the contract:
 * 1. existence and ownership (someone else's booking answers exactly like a missing one),
 * 2. already cancelled (a no-op, whoever cancelled and whatever the rules say now),
 * 3. started or completed,
 * 4. who may cancel now (the business's switches, the customer's cutoff, link purpose),
 * 5. the write itself: comment, fee.
 * Admins may cancel any booking that has not started, even past its start time.
 */
export function decideCancellation(input: CancelDecisionInput): CancelOutcome {
  const { now, canceller, booking, policy, write } = input;
  assertValidDate('now', now);
  if (write?.clientAt) assertValidDate('write.clientAt', write.clientAt);
  if (write?.sawStartsAt) assertValidDate('write.sawStartsAt', write.sawStartsAt);
  assertHours('customerCancelCutoffHours', policy.customerCancelCutoffHours);

  if (!booking || !owns(canceller, booking)) return reject('not_found');
  assertValidDate('booking.startsAt', booking.startsAt);

  switch (booking.status) {
    case 'cancelled':
      return { kind: 'already-cancelled', cancelledBy: booking.cancelledBy };
    case 'in_progress':
      return reject('started');
    case 'completed':
      return reject('completed');
  }
  // Whatever reaches here must be cancellable; a status added to the machine must be placed above.
  if (!isCancellableStatus(booking.status)) {
    throw new RangeError(`unknown booking status ${JSON.stringify(booking.status)}`);
  }

  const refusal = mayCancelNow(canceller, booking, policy, now);
  if (refusal) return reject(refusal);

  const customerFee = canceller.role === 'customer' ? customerFeeNow(policy, booking, now) : null;
  if (write === null) {
    return {
      kind: 'applied',
      fee: customerFee,
      changedMeanwhile: [],
    };
  }

  const commentRequired =
    canceller.role === 'fieldworker' || (canceller.role === 'customer' && policy.customerCommentRequired);
  if (commentRequired && isInvisible(write.comment)) return reject('comment_required');

  let fee: FrozenFee | null;
  if (canceller.role === 'customer') {
    fee = customerFee;
    if (write.agreedFeeTotalMinor !== undefined) {
      const total = fee?.quote.totalMinor ?? null;
      if (total !== write.agreedFeeTotalMinor) {
        return fee ? reject('fee_changed', fee.quote) : reject('fee_no_longer_applies');
      }
    }
  } else {
    fee = write.staffFee ? frozen(write.staffFee, booking.currency) : null;
    // Only the office charges fees, and never more than the job's price (tax aside): an
    // amount beyond the price is a typo or worse. A fee since deleted keeps its frozen amounts.
    if (fee && canceller.role !== 'admin') return reject('fee_not_allowed');
    if (fee && fee.quote.feeMinor > booking.priceMinor) return reject('fee_over_price');
  }

  const changedMeanwhile: MeanwhileChange[] = [];
  if (write.sawStartsAt && write.sawStartsAt.getTime() !== booking.startsAt.getTime()) {
    changedMeanwhile.push('rescheduled');
  }
  if (write.sawFieldworkerId !== undefined && write.sawFieldworkerId !== booking.fieldworkerId) {
    changedMeanwhile.push('reassigned');
  }
  return { kind: 'applied', fee, changedMeanwhile };
}

function owns(canceller: Canceller, booking: BookingToCancel): boolean {
  switch (canceller.role) {
    case 'customer':
      return booking.customerId === canceller.customerId;
    case 'fieldworker':
      // An unassigned booking (fieldworkerId null) belongs to no fieldworker.
      return booking.fieldworkerId === canceller.userId;
    case 'admin':
      return true;
  }
}

function mayCancelNow(
  canceller: Canceller,
  booking: BookingToCancel,
  policy: CancelPolicy,
  now: Date,
): CancelRejection | null {
  switch (canceller.role) {
    case 'customer': {
      if (!policy.customerCancelEnabled) return 'customer_cancel_disabled';
      const start = booking.startsAt.getTime();
      // The status may lag the clock (nobody pressed Start yet): time decides for customers.
      if (now.getTime() >= start) return 'started';
      if (now.getTime() > start - policy.customerCancelCutoffHours * HOUR_MS) return 'too_close_to_start';
      // Last: when nobody could cancel online anyway, that is the more useful thing to say.
      if (canceller.via === 'view_link') return 'view_link_cannot_cancel';
      return null;
    }
    case 'fieldworker':
      return policy.fieldworkerCancelEnabled ? null : 'fieldworker_cancel_disabled';
    case 'admin':
      return null;
  }
}

function customerFeeNow(policy: CancelPolicy, booking: BookingToCancel, now: Date): FrozenFee | null {
  const setting = policy.customerFee;
  if (!setting || !customerFeeApplies(setting.windowHours, booking.startsAt, now)) return null;
  const quote = quoteFee(setting.rule, booking.priceMinor, booking.currency);
  // Nothing to pay (a free booking, a 0 % rule) is no fee: nothing to show, agree to, or record.
  if (quote.totalMinor === 0) return null;
  return { feeId: setting.feeId, name: setting.name, quote };
}

/**
 * Does a customer's cancellation at `now` carry the fee? Yes when it falls inside the last
 * `feeWindowHours` before the start; 0 = never. Exactly at the window's edge is still free,
 * matching the cutoff rule ("cancel at least 24 hours ahead" includes 24 hours to the millisecond).
 */
export function customerFeeApplies(feeWindowHours: number, startsAt: Date, now: Date): boolean {
  assertHours('feeWindowHours', feeWindowHours);
  assertValidDate('startsAt', startsAt);
  assertValidDate('now', now);
  if (feeWindowHours === 0) return false;
  return now.getTime() > startsAt.getTime() - feeWindowHours * HOUR_MS;
}

function frozen(choice: StaffFeeChoice, currency: string): FrozenFee {
  const quote = {
    feeMinor: choice.feeMinor,
    taxMinor: choice.taxMinor,
    totalMinor: choice.feeMinor + choice.taxMinor,
    currency,
  };
  return { feeId: choice.feeId, name: choice.name, quote };
}

// An Invalid Date compares false with everything and would quietly allow a cancel: fail instead.
function assertValidDate(name: string, value: Date): void {
  if (Number.isNaN(value.getTime())) throw new RangeError(`${name} is an invalid Date`);
}

function assertHours(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number of hours, got ${value}`);
  }
}
