// Outcome codes and the sentences people read for them, once for the server and the apps:
// the apps show the very words the server means. Three families:
// - why a cancellation was not applied (the reason codes of shared/cancel-decision.ts),
// - what a write id claim can answer (shared by every data-changing mutation),
// - errors Postgres raises with the product's own SQLSTATE codes (BK001…) or that a person
//   can trip with a constraint, keyed by SQLSTATE (and constraint name where one code covers many).
import { type BookingStatus, STATUS_LABELS } from './booking-status.ts';
import { describeCharge, type FeeQuote } from './fees.ts';

/** How an outcome travels over tRPC: the error code the server throws with its sentence. */
export type ErrorCode = 'BAD_REQUEST' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'PRECONDITION_FAILED';

export const CANCEL_REJECTIONS = [
  'not_found',
  'started',
  'completed',
  'view_link_cannot_cancel',
  'customer_cancel_disabled',
  'too_close_to_start',
  'fieldworker_cancel_disabled',
  'comment_required',
  'fee_not_allowed',
  'fee_over_price',
  'fee_changed',
  'fee_no_longer_applies',
] as const;
export type CancelRejection = (typeof CANCEL_REJECTIONS)[number];

/** Someone else's booking and one that does not exist get the same answer: nothing leaks. */
export const NO_SUCH_BOOKING = 'There is no booking with that id for you.';

const CANCEL_REJECTION_TEXT: Readonly<Record<CancelRejection, { code: ErrorCode; message: string }>> = {
  not_found: { code: 'NOT_FOUND', message: NO_SUCH_BOOKING },
  started: {
    code: 'CONFLICT',
    message: 'This appointment has already started, so it can no longer be cancelled.',
  },
  completed: {
    code: 'CONFLICT',
    message: 'This appointment has been completed, so it can no longer be cancelled.',
  },
  view_link_cannot_cancel: {
    code: 'FORBIDDEN',
    message:
      'This link only shows the booking. To cancel, use the Cancel booking link from the email, or sign in.',
  },
  customer_cancel_disabled: {
    code: 'FORBIDDEN',
    message: 'Bookings cannot be cancelled online. Please contact us to cancel.',
  },
  too_close_to_start: {
    code: 'FORBIDDEN',
    message: 'This appointment is too close to its start time to cancel online. Please contact us to cancel.',
  },
  fieldworker_cancel_disabled: {
    code: 'FORBIDDEN',
    message: 'Fieldworkers cannot cancel bookings. Please ask the office to cancel it.',
  },
  comment_required: { code: 'BAD_REQUEST', message: 'Please tell us why you are cancelling.' },
  fee_not_allowed: { code: 'BAD_REQUEST', message: 'Only the office can charge a cancellation fee.' },
  fee_over_price: {
    code: 'BAD_REQUEST',
    message: "A cancellation fee cannot be more than the booking's price.",
  },
  // The fee shown when the person agreed differs from the fee now: they agree to exactly what they saw.
  fee_changed: {
    code: 'CONFLICT',
    message: 'The cancellation fee has changed. Please check it and press Cancel again.',
  },
  fee_no_longer_applies: {
    code: 'CONFLICT',
    message: 'The cancellation fee no longer applies. Please check and press Cancel again.',
  },
};

/** The tRPC code and sentence for a rejected cancellation; `fee` is the fee that applies now. */
export function cancelRejection(
  reason: CancelRejection,
  fee?: FeeQuote | null,
): { code: ErrorCode; message: string } {
  const text = CANCEL_REJECTION_TEXT[reason];
  if (reason === 'fee_changed' && fee) {
    const now = describeCharge(fee.feeMinor, fee.taxMinor, fee.currency);
    return {
      code: text.code,
      message: `The cancellation fee is now ${now}. Please check it and press Cancel again.`,
    };
  }
  return text;
}

/** A cancellation that met a booking someone had cancelled first: nothing more happens. */
export const ALREADY_CANCELLED = 'This booking has already been cancelled.';

/** The same write id sent with another change: refused, never applied as either. */
export const WRITE_ID_REUSED =
  'This change could not be applied because its change id was already used for a different change.';

/** What the product's own SQLSTATE codes and the constraints a person can trip mean. */
export interface SqlErrorText {
  readonly code: ErrorCode;
  readonly message: string | ((detail: Readonly<Record<string, string>>) => string);
}

export const SQL_ERRORS: Readonly<Record<string, SqlErrorText>> = {
  // Raised by the bookings trigger for a status change shared/booking-status.ts does not allow.
  BK001: {
    code: 'CONFLICT',
    message: ({ from, to }) => `A booking that is ${label(from)} cannot be changed to ${label(to)}.`,
  },
  // unique_violation, per constraint: the emails that identify a person.
  '23505:users_email_key': { code: 'CONFLICT', message: 'That email address is already in use.' },
  '23505:customers_email_key': { code: 'CONFLICT', message: 'That email address is already in use.' },
  // Input that slipped past validation but that Postgres cannot store.
  '22021': { code: 'BAD_REQUEST', message: 'The text contains characters that cannot be stored.' },
  '22P05': { code: 'BAD_REQUEST', message: 'The text contains characters that cannot be stored.' },
  '22008': { code: 'BAD_REQUEST', message: 'That date is outside the range we can store.' },
  '22007': { code: 'BAD_REQUEST', message: 'That is not a date we can read.' },
};

function label(status: string | undefined): string {
  const known = status !== undefined && status in STATUS_LABELS;
  return known ? STATUS_LABELS[status as BookingStatus].toLowerCase() : 'in that status';
}
