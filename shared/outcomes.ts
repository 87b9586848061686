// Outcome codes and the sentences people read for them, once for the server and the apps:
// the apps show the very words the server means. Four families:
// - why a cancellation was not applied (the reason codes of shared/cancel-decision.ts),
// - why an edit or a new booking was not applied (shared/edit-decision.ts, bookings.create),
// - what a write id claim can answer (shared by every data-changing mutation),
// - errors Postgres raises with the product's own SQLSTATE codes (BK001…) or that a person
//   can trip with a constraint, keyed by SQLSTATE (and constraint name where one code covers many).
import { type BookingStatus, STATUS_LABELS } from './booking-status.ts';
import { describeCharge, type FeeQuote } from './fees.ts';
import type { ActorRole } from './vocabulary.ts';

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
/** customers.save: the email typed is another customer's (any case). */
export const EMAIL_BELONGS_TO_ANOTHER = 'That email address belongs to another customer.';

/** The Staff screen's refusals (server/db/staff.ts). */
export const STAFF_REFUSALS = {
  notFound: 'There is no staff member with that id.',
  ownRole: 'You cannot change your own role. Ask another admin to do it.',
  ownAccount: 'You cannot deactivate your own account. Ask another admin to do it.',
  lastAdmin: (name: string) => `${name} is the last active admin. Make someone else an admin first.`,
  inactive: (name: string) => `${name} is deactivated. Reactivate them before sending a password link.`,
} as const;

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
    message: ({ from, to }) => statusChangeRefused(from, to),
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

/** A status move the machine (shared/booking-status.ts) does not allow, in the labels people see. */
export function statusChangeRefused(from: string | undefined, to: string | undefined): string {
  return `A booking that is ${label(from)} cannot be changed to ${label(to)}.`;
}

function label(status: string | undefined): string {
  const known = status !== undefined && status in STATUS_LABELS;
  return known ? STATUS_LABELS[status as BookingStatus].toLowerCase() : 'in that status';
}

/** Why an edit of a booking (shared/edit-decision.ts) was not applied. */
export const EDIT_REJECTIONS = [
  'not_found',
  'cancelled',
  'started',
  'completed',
  'status_not_allowed',
  'needs_fieldworker',
  'ends_before_start',
  'unknown_fieldworker',
] as const;
export type EditRejection = (typeof EDIT_REJECTIONS)[number];

/**
 * A refused edit with what its sentence needs. `meanwhile`: the booking was not in that status
 * when the person made the change (an offline edit met a change on the server).
 */
export type EditRefusal =
  | { readonly reason: 'not_found' | 'needs_fieldworker' | 'ends_before_start' | 'unknown_fieldworker' }
  | {
      readonly reason: 'cancelled';
      readonly cancelledBy: { readonly role: ActorRole } | null;
      readonly meanwhile: boolean;
    }
  | { readonly reason: 'started' | 'completed'; readonly meanwhile: boolean }
  | { readonly reason: 'status_not_allowed'; readonly from: BookingStatus; readonly to: BookingStatus };

/** Who cancelled, as the office reads it in a sentence (names are on the booking's history). */
const CANCELLED_BY: Readonly<Record<ActorRole, string>> = {
  customer: ' by the customer',
  admin: ' by the office',
  fieldworker: ' by the fieldworker',
  system: '',
};

export const END_AFTER_START = 'The end must be after the start.';
export const UNKNOWN_FIELDWORKER = 'That fieldworker is not on the team any more. Choose another.';

/** The tRPC code and sentence for a refused edit. */
export function editRejection(refusal: EditRefusal): { code: ErrorCode; message: string } {
  switch (refusal.reason) {
    case 'not_found':
      return { code: 'NOT_FOUND', message: NO_SUCH_BOOKING };
    case 'cancelled': {
      const by = refusal.cancelledBy ? CANCELLED_BY[refusal.cancelledBy.role] : '';
      return {
        code: 'CONFLICT',
        message: refusal.meanwhile
          ? `This booking was cancelled${by} meanwhile, so it was not changed.`
          : `This booking was cancelled${by}, so it cannot be changed.`,
      };
    }
    case 'started':
    case 'completed': {
      const what = refusal.reason === 'started' ? 'has started' : 'has been completed';
      const when = refusal.meanwhile ? ' meanwhile' : '';
      return {
        code: 'CONFLICT',
        message: `This booking ${what}${when}, so it can no longer be rescheduled or reassigned.`,
      };
    }
    case 'status_not_allowed':
      return { code: 'CONFLICT', message: statusChangeRefused(refusal.from, refusal.to) };
    case 'needs_fieldworker':
      return { code: 'BAD_REQUEST', message: 'Give the request a time and a fieldworker to schedule it.' };
    case 'ends_before_start':
      return { code: 'BAD_REQUEST', message: END_AFTER_START };
    case 'unknown_fieldworker':
      return { code: 'BAD_REQUEST', message: UNKNOWN_FIELDWORKER };
  }
}

/** Why a new booking (bookings.create) was not made. */
export const CREATE_REJECTIONS = [
  'booking_exists',
  'customer_email_taken',
  'unknown_customer',
  'unknown_service',
  'unknown_fieldworker',
] as const;
export type CreateRejection = (typeof CREATE_REJECTIONS)[number];

const CREATE_REJECTION_TEXT: Readonly<Record<CreateRejection, { code: ErrorCode; message: string }>> = {
  // Another write already made a booking with this id: a second one is never made over it.
  booking_exists: { code: 'CONFLICT', message: 'That booking already exists.' },
  customer_email_taken: {
    code: 'CONFLICT',
    message: 'A customer with that email already exists: search for them instead.',
  },
  unknown_customer: {
    code: 'BAD_REQUEST',
    message: 'That customer is no longer on file. Choose another, or add them as a new customer.',
  },
  unknown_service: { code: 'BAD_REQUEST', message: 'Choose one of the services offered.' },
  unknown_fieldworker: { code: 'BAD_REQUEST', message: UNKNOWN_FIELDWORKER },
};

/** The tRPC code and sentence for a new booking that was not made. */
export function createRejection(reason: CreateRejection): { code: ErrorCode; message: string } {
  return CREATE_REJECTION_TEXT[reason];
}
