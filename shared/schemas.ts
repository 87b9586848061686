// Input schemas shared by the apps and the server: the apps validate before sending, the
// server validates again on arrival. Messages are written for the person typing. Every
// string a person types goes through `typedText`, every date or time through the rules in
// input-rules.ts, so bad input is a readable 400 and never a 500 or another value.
import { z } from 'zod';
import { BOOKING_STATUSES } from './booking-status.ts';
import { CalendarDate, Instant, TimeOfDay, typedText } from './input-rules.ts';

export const EmailAddress = typedText()
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  .email('Enter a valid email address, like name@example.com.');

export const StaffSignIn = z.object({
  email: EmailAddress,
  // Taken as typed, control characters and all: a password is only ever hashed, never stored.
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

/** The client-made id every data-changing mutation carries: claimed once, a repeat gets the first answer. */
export const WriteId = z.string().uuid('Every change needs a write id (a UUID).');

export const BookingListFilter = z
  .object({
    status: z.enum(BOOKING_STATUSES).optional(),
    from: Instant.optional(),
    to: Instant.optional(),
    limit: z.number().int().min(1).max(500).default(200),
  })
  .default({ limit: 200 });

/** The business settings an admin may change; every field but the write id optional (a partial update). */
export const BusinessSettingsUpdate = z
  .object({
    name: typedText()
      .trim()
      .min(1, 'Enter the business name.')
      .max(200, 'Keep the business name under 200 characters.'),
    contactEmail: EmailAddress,
    contactPhone: typedText()
      .trim()
      .min(3, 'Enter a phone number customers can call.')
      .max(50, 'Keep the phone number under 50 characters.'),
    timeZone: z
      .string()
      .max(100, 'Choose a time zone from the list, like America/Chicago.')
      .refine(isTimeZone, 'Choose a time zone from the list, like America/Chicago.'),
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
  .extend({ writeId: WriteId })
  .strict();

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const CancelComment = typedText({ lines: 'many' })
  .trim()
  .max(1000, 'Keep the comment under 1,000 characters.')
  .default('');

/** A cancellation as any app sends it; `writeId` makes a repeat harmless. */
export const CancelBookingInput = z.object({
  id: BookingId,
  writeId: WriteId,
  comment: CancelComment,
  /** When the person decided, on their device. */
  clientAt: Instant.optional(),
  expectedStartsAt: Instant.optional(),
  expectedFieldworkerId: z.string().uuid().nullable().optional(),
  /** Staff only (ignored for customers): the fee picked in the dialog, as it was shown. */
  fee: z
    .object({
      feeId: z.string().uuid().nullable(),
      name: typedText()
        .trim()
        .min(1, 'Give the fee a name.')
        .max(200, 'Keep the fee name under 200 characters.'),
      feeMinor: z.number().int().min(0).max(100_000_000),
      taxMinor: z.number().int().min(0).max(100_000_000),
    })
    .nullable()
    .optional(),
});

/** "Schedule an appointment": the customer's preferred start, in the business's time zone. */
export const AppointmentRequest = z.object({
  writeId: WriteId,
  /** The booking whose page the request was made from (and whose link token, if any, is used). */
  fromBookingId: BookingId,
  token: LinkToken.optional(),
  serviceId: z.string().uuid('Choose a service.'),
  date: CalendarDate,
  time: TimeOfDay,
  note: typedText({ lines: 'many' }).trim().max(1000, 'Keep the note under 1,000 characters.').default(''),
});
