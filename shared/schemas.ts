// Input schemas shared by the apps and the server: the apps validate before sending, the
// server validates again on arrival. Messages are written for the person typing.
import { z } from 'zod';
import { BOOKING_STATUSES } from './booking-status.ts';

export const EmailAddress = z
  .string()
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  .email('Enter a valid email address, like name@example.com.');

export const StaffSignIn = z.object({
  email: EmailAddress,
  password: z.string().min(1, 'Enter your password.').max(200, 'That password is too long.'),
  /** Which app is signing in: an admin account opens the admin app, a fieldworker the field app. */
  app: z.enum(['admin', 'field']),
});

/** An emailed link's token: 32 random bytes, base64url. */
export const LinkToken = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'This link is incomplete. Open it straight from the email.');

export const BookingId = z.string().uuid('That is not a booking id.');

export const BookingListFilter = z
  .object({
    status: z.enum(BOOKING_STATUSES).optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    limit: z.number().int().min(1).max(500).default(200),
  })
  .default({ limit: 200 });

/** The business settings an admin may change; every field optional (a partial update). */
export const BusinessSettingsUpdate = z
  .object({
    name: z.string().trim().min(1, 'Enter the business name.').max(200),
    contactEmail: EmailAddress,
    contactPhone: z.string().trim().min(3, 'Enter a phone number customers can call.').max(50),
    timeZone: z.string().refine(isTimeZone, 'Choose a time zone from the list, like America/Chicago.'),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'Use a three-letter currency code, like USD.'),
    customerCancelEnabled: z.boolean(),
    customerCancelCutoffHours: z.number().int().min(0).max(720),
    cancelCommentRequired: z.boolean(),
    customerCancelFeeId: z.string().uuid().nullable(),
    customerFeeWindowHours: z.number().int().min(0).max(720),
    fieldworkerCancelEnabled: z.boolean(),
    reminderHours: z.number().int().min(1).max(720),
  })
  .partial()
  .strict();

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const CancelComment = z
  .string()
  .trim()
  .max(1000, 'Keep the comment under 1,000 characters.')
  .default('');

/** A cancellation as any app sends it; `writeId` makes a repeat harmless. */
export const CancelBookingInput = z.object({
  id: BookingId,
  writeId: z.string().uuid('Every change needs a write id (a UUID).'),
  comment: CancelComment,
  /** When the person decided, on their device. */
  clientAt: z.coerce.date().optional(),
  expectedStartsAt: z.coerce.date().optional(),
  expectedFieldworkerId: z.string().uuid().nullable().optional(),
  /** Staff only (ignored for customers): the fee picked in the dialog, as it was shown. */
  fee: z
    .object({
      feeId: z.string().uuid().nullable(),
      name: z.string().trim().min(1).max(200),
      feeMinor: z.number().int().min(0).max(100_000_000),
      taxMinor: z.number().int().min(0).max(100_000_000),
    })
    .nullable()
    .optional(),
});

/** "Schedule an appointment": the customer's preferred start, in the business's time zone. */
export const AppointmentRequest = z.object({
  writeId: z.string().uuid('Every change needs a write id (a UUID).'),
  /** The booking whose page the request was made from (and whose link token, if any, is used). */
  fromBookingId: BookingId,
  token: LinkToken.optional(),
  serviceId: z.string().uuid('Choose a service.'),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Choose a date.'),
  time: z.string().regex(/^\d{2}:\d{2}$/, 'Choose a time.'),
  note: z.string().trim().max(1000, 'Keep the note under 1,000 characters.').default(''),
});
