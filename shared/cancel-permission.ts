// Who may cancel a booking, and when: one decision shared by the customer portal, the admin app,
// the fieldworker app and the server, so a button shown is a cancel the server will accept.

import type { BookingStatus } from './booking-status.ts';
import { isCancellableStatus } from './booking-status.ts';

export type Actor =
  | { role: 'customer'; customerId: string }
  | { role: 'admin'; userId: string }
  | { role: 'fieldworker'; userId: string };

/** The business's settings (Settings › Customer Portal › Flags & Permissions). */
export interface CancelPolicy {
  customerCancelEnabled: boolean;
  /** Customers may cancel online until this many hours before the start; 0 = until it starts. */
  customerCancelCutoffHours: number;
  fieldworkerCancelEnabled: boolean;
}

export interface BookingForCancel {
  status: BookingStatus;
  customerId: string;
  fieldworkerId: string | null;
  startsAt: Date;
}

export type CancelDeniedReason =
  | 'not_yours'
  | 'already_cancelled'
  | 'started'
  | 'completed'
  | 'customer_cancel_disabled'
  | 'too_close_to_start'
  | 'fieldworker_cancel_disabled';

export type CancelDecision = { allowed: true } | { allowed: false; reason: CancelDeniedReason };

const HOUR_MS = 3_600_000;

const ALLOWED: CancelDecision = { allowed: true };
const deny = (reason: CancelDeniedReason): CancelDecision => ({ allowed: false, reason });

/**
 * May `actor` cancel `booking` at `now`? Ownership is checked before anything else, so someone
 * else's booking answers 'not_yours' whatever its status: nothing about it leaks.
 * Admins may cancel any not-yet-started booking, even past its start time (the office knows best).
 */
export function decideCancel(
  actor: Actor,
  booking: BookingForCancel,
  policy: CancelPolicy,
  now: Date,
): CancelDecision {
  assertValidDate('now', now);
  assertValidDate('booking.startsAt', booking.startsAt);
  assertHours('customerCancelCutoffHours', policy.customerCancelCutoffHours);

  if (actor.role === 'customer' && booking.customerId !== actor.customerId) return deny('not_yours');
  // An unassigned booking (fieldworkerId null) belongs to no fieldworker.
  if (actor.role === 'fieldworker' && booking.fieldworkerId !== actor.userId) return deny('not_yours');

  switch (booking.status) {
    case 'cancelled':
      return deny('already_cancelled');
    case 'in_progress':
      return deny('started');
    case 'completed':
      return deny('completed');
  }
  // Anything that reaches here is cancellable; a new status added to the machine must be placed above.
  if (!isCancellableStatus(booking.status)) {
    throw new RangeError(`status ${booking.status} is neither cancellable nor handled in decideCancel`);
  }

  switch (actor.role) {
    case 'customer': {
      if (!policy.customerCancelEnabled) return deny('customer_cancel_disabled');
      const start = booking.startsAt.getTime();
      // The status may lag the clock (nobody pressed Start yet): time decides for customers.
      if (now.getTime() >= start) return deny('started');
      if (now.getTime() > start - policy.customerCancelCutoffHours * HOUR_MS)
        return deny('too_close_to_start');
      return ALLOWED;
    }
    case 'admin':
      return ALLOWED;
    case 'fieldworker':
      return policy.fieldworkerCancelEnabled ? ALLOWED : deny('fieldworker_cancel_disabled');
    default: {
      const unknown: never = actor;
      throw new RangeError(`unknown actor role in ${JSON.stringify(unknown)}`);
    }
  }
}

/** One sentence per reason, for a customer or a staff member to read. */
export const CANCEL_DENIED_MESSAGES: Readonly<Record<CancelDeniedReason, string>> = {
  // Deliberately says nothing about the booking itself: it may belong to someone else.
  not_yours: 'You can only cancel your own bookings.',
  already_cancelled: 'This booking has already been cancelled.',
  started: 'This appointment has already started, so it can no longer be cancelled.',
  completed: 'This appointment has been completed, so it can no longer be cancelled.',
  customer_cancel_disabled: 'Bookings cannot be cancelled online. Please contact us to cancel.',
  too_close_to_start:
    'This appointment is too close to its start time to cancel online. Please contact us to cancel.',
  fieldworker_cancel_disabled: 'Fieldworkers cannot cancel bookings. Please ask the office to cancel it.',
};

/**
 * Does a customer's cancellation at `now` carry the fee? Yes when it falls inside the last
 * `feeWindowHours` before the start; 0 = never. Exactly at the window's edge is still free,
 * matching the cutoff rule ("cancel at least 24 hours ahead" includes 24 hours to the millisecond).
 * N.b. a late cancellation past the start also falls inside the window; whether it is allowed at
 * all is decideCancel's business, not this function's.
 */
export function customerFeeApplies(feeWindowHours: number, startsAt: Date, now: Date): boolean {
  assertHours('feeWindowHours', feeWindowHours);
  assertValidDate('startsAt', startsAt);
  assertValidDate('now', now);
  if (feeWindowHours === 0) return false;
  return now.getTime() > startsAt.getTime() - feeWindowHours * HOUR_MS;
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
