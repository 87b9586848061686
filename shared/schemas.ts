// Input schemas shared by the apps and the server: the apps validate before sending, the
// server validates again on arrival. Messages are written for the person typing. Every
// string a person types goes through `typedText`, every date or time through the rules in
// input-rules.ts, so bad input is a readable 400 and never a 500 or another value.
import { z } from 'zod';
import { BOOKING_STATUSES, STATUS_LABELS } from './booking-status.ts';
import { EDITABLE_STATUSES } from './edit-decision.ts';
import { CalendarDate, Instant, TimeOfDay, typedText } from './input-rules.ts';
import { END_AFTER_START } from './outcomes.ts';
import { STAFF_ROLES } from './vocabulary.ts';

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
/** Whole hours before a booking's start, at most 30 days, said in words when refused. */
function hoursBeforeStart(what: string, min: number) {
  const sentence = `Enter ${what} in whole hours, from ${min} to 720 (30 days).`;
  return z.number({ error: sentence }).int(sentence).min(min, sentence).max(720, sentence);
}

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
    address: typedText({ lines: 'many' }).trim().max(300, 'Keep the address under 300 characters.'),
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
    customerCancelCutoffHours: hoursBeforeStart('the cutoff', 0),
    cancelCommentRequired: z.boolean(),
    customerCancelFeeId: z.string().uuid('Choose a fee from the list, or No fee.').nullable(),
    customerFeeWindowHours: hoursBeforeStart('the fee window', 0),
    fieldworkerCancelEnabled: z.boolean(),
    reminderHours: hoursBeforeStart('the reminder', 1),
    unseenCancelAlertMinutes: z
      .number({ error: 'Enter the minutes as a whole number, from 1 to 1440 (a day).' })
      .int('Enter the minutes as a whole number, from 1 to 1440 (a day).')
      .min(1, 'Enter the minutes as a whole number, from 1 to 1440 (a day).')
      .max(1440, 'Enter the minutes as a whole number, from 1 to 1440 (a day).'),
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

/** Notes on a booking, for the office and the fieldworker. */
export const BookingNotes = typedText({ lines: 'many' })
  .trim()
  .max(2000, 'Keep the notes under 2,000 characters.');

const JobAddress = typedText()
  .trim()
  .min(1, 'Enter the address of the job.')
  .max(500, 'Keep the address under 500 characters.');

const FieldworkerChoice = z
  .string({ error: 'Choose a fieldworker, or leave the booking unassigned.' })
  .uuid('Choose a fieldworker from the list.')
  .nullable();

/** A customer's details, as the office types them (with a new booking, or on Customers). */
const CustomerFields = z.object({
  id: z.string().uuid('That is not a customer id.'),
  name: typedText()
    .trim()
    .min(1, "Enter the customer's name.")
    .max(200, 'Keep the name under 200 characters.'),
  email: EmailAddress,
  phone: typedText().trim().max(50, 'Keep the phone number under 50 characters.').default(''),
  address: typedText().trim().max(500, 'Keep the address under 500 characters.').default(''),
});

/** A customer added with a new booking: the id is made on the device, like the booking's. */
const NewCustomer = CustomerFields.extend({ kind: z.literal('new') });

/** A customer added or edited on the admin app's Customers screen (a new one's id is made there). */
export const SaveCustomerInput = CustomerFields.extend({ writeId: WriteId }).strict();

/** A new booking from the admin app, made on the device (offline too): its id is the client's. */
export const NewBookingInput = z
  .object({
    writeId: WriteId,
    id: z.string().uuid('That is not a booking id.'),
    /** When the person pressed Create, on their device. */
    clientAt: Instant.optional(),
    customer: z.discriminatedUnion(
      'kind',
      [z.object({ kind: z.literal('existing'), id: z.string().uuid('Choose a customer.') }), NewCustomer],
      { error: 'Choose a customer, or add a new one.' },
    ),
    serviceId: z.string({ error: 'Choose a service.' }).uuid('Choose a service.'),
    startsAt: Instant,
    endsAt: Instant,
    address: JobAddress,
    fieldworkerId: FieldworkerChoice,
    priceMinor: z
      .number({ error: 'Enter the price.' })
      .int('Enter the price in whole cents.')
      .min(0, 'The price cannot be negative.')
      .max(100_000_000, 'That price is too high.'),
    notes: BookingNotes.default(''),
  })
  .refine((b) => b.endsAt.getTime() > b.startsAt.getTime(), { message: END_AFTER_START, path: ['endsAt'] });

const CANCEL_IN_DIALOG = `To cancel a booking, choose ${STATUS_LABELS.cancelled} and confirm in the dialog.`;

/**
 * An edit from the admin app: the changes, and what the person saw (so the server can tell
 * what changed meanwhile, DESIGN §3). Cancelling is `bookings.cancel`, never an edit.
 */
export const EditBookingInput = z.object({
  writeId: WriteId,
  id: BookingId,
  /** When the person made the change, on their device. */
  clientAt: Instant.optional(),
  saw: z.object({
    startsAt: Instant,
    fieldworkerId: z.string().uuid().nullable(),
    status: z.enum(BOOKING_STATUSES),
  }),
  changes: z
    .object({
      startsAt: Instant,
      endsAt: Instant,
      fieldworkerId: FieldworkerChoice,
      // No default here: an edit that leaves the notes alone must not blank them.
      notes: BookingNotes,
      status: z.enum(EDITABLE_STATUSES, {
        error: (issue) => (issue.input === 'cancelled' ? CANCEL_IN_DIALOG : 'Choose a status from the list.'),
      }),
    })
    .partial()
    .refine((c) => Object.values(c).some((v) => v !== undefined), {
      message: 'Change the time, the fieldworker, the notes or the status.',
    })
    .refine((c) => !c.startsAt || !c.endsAt || c.endsAt.getTime() > c.startsAt.getTime(), {
      message: END_AFTER_START,
      path: ['endsAt'],
    }),
});

/** A cancellation fee as an admin creates or edits it (Settings › Financial Settings › Tax and fees). */
export const SaveFeeInput = z
  .object({
    writeId: WriteId,
    /** Made by the app for a new fee; an existing fee's id to edit it. */
    id: z.string().uuid('That is not a fee id.'),
    name: typedText()
      .trim()
      .min(1, 'Give the fee a name, like Late cancellation.')
      .max(200, 'Keep the fee name under 200 characters.'),
    kind: z.enum(['flat', 'percent'], { error: 'Choose a flat amount or a percent of the price.' }),
    /** A flat fee's amount, in minor units (cents). */
    amountMinor: z
      .number({ error: 'Enter the fee’s amount, like 25.00.' })
      .int('Enter the fee’s amount, like 25.00.')
      .min(0, 'A fee cannot be less than nothing.')
      .max(100_000_000, 'That amount is too large.')
      .nullable(),
    /** A percent fee's rate, in basis points (1250 = 12.5 %). */
    percentBp: z
      .number({ error: 'Enter the percent of the price, like 10 or 12.5.' })
      .int('Use at most two decimals for the percent, like 12.5.')
      .min(1, 'Enter a percent above 0.')
      .max(10_000, 'A fee cannot be more than 100 % of the price.')
      .nullable(),
    taxRateBp: z
      .number({ error: 'Enter the tax rate in percent, like 8 (0 for none).' })
      .int('Use at most two decimals for the tax rate, like 8.25.')
      .min(0, 'A tax rate cannot be below 0 %.')
      .max(10_000, 'A tax rate cannot be above 100 %.'),
  })
  .strict()
  .superRefine((fee, ctx) => {
    if (fee.kind === 'flat' && fee.amountMinor === null)
      ctx.addIssue({ code: 'custom', path: ['amountMinor'], message: 'Enter the fee’s amount, like 25.00.' });
    if (fee.kind === 'percent' && fee.percentBp === null)
      ctx.addIssue({
        code: 'custom',
        path: ['percentBp'],
        message: 'Enter the percent of the price, like 10 or 12.5.',
      });
  });
export type SaveFeeInput = z.infer<typeof SaveFeeInput>;

/** A fee switched off (no longer offered) or on again; its past charges keep their frozen amounts. */
export const SetFeeActiveInput = z
  .object({ writeId: WriteId, id: z.string().uuid('That is not a fee id.'), active: z.boolean() })
  .strict();

// ---- Staff (the admin app's Staff screen) --------------------------------------------------

const StaffId = z.string().uuid('That is not a staff member’s id.');
const StaffRoleChoice = z.enum(STAFF_ROLES, { error: 'Choose admin or fieldworker.' });

/** Someone invited to the staff: they get an emailed link to set their own password. */
export const InviteStaffInput = z
  .object({
    writeId: WriteId,
    email: EmailAddress,
    name: typedText()
      .trim()
      .min(1, 'Enter the person’s name.')
      .max(200, 'Keep the name under 200 characters.'),
    role: StaffRoleChoice,
  })
  .strict();

export const ChangeStaffRoleInput = z
  .object({ writeId: WriteId, id: StaffId, role: StaffRoleChoice })
  .strict();

/** Deactivated (cannot sign in, signed out everywhere at once) or active again. */
export const SetStaffActiveInput = z.object({ writeId: WriteId, id: StaffId, active: z.boolean() }).strict();

/** A password reset link emailed to a staff member. */
export const SendPasswordLinkInput = z.object({ writeId: WriteId, id: StaffId }).strict();

// ---- Web push (the fieldworker app's notifications) -----------------------------------------

const Base64Url = (what: string, min: number, max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, `The subscription's ${what} key is not base64url.`)
    .min(min, `The subscription's ${what} key is too short.`)
    .max(max, `The subscription's ${what} key is too long.`);

/** This device's push subscription (PushSubscription.toJSON()), one per device and person. */
export const PushSubscribeInput = z
  .object({
    writeId: WriteId,
    /** Made once by the app on this device and kept: a new subscription from it replaces the old. */
    deviceId: z.string().uuid('That is not a device id.'),
    endpoint: z
      .string()
      .url('The subscription has no valid endpoint.')
      .max(2000, 'The endpoint is too long.'),
    keys: z.object({ p256dh: Base64Url('p256dh', 80, 100), auth: Base64Url('auth', 16, 32) }).strict(),
  })
  .strict();

export const PushUnsubscribeInput = z
  .object({ writeId: WriteId, deviceId: z.string().uuid('That is not a device id.') })
  .strict();

// ---- Notifications (the staff apps' lists) ---------------------------------------------------

/** Notifications marked read on a device (offline too: the time is the device's). */
export const MarkNotificationsReadInput = z
  .object({
    writeId: WriteId,
    ids: z
      .array(z.string().uuid('That is not a notification id.'))
      .min(1, 'Choose a notification to mark read.')
      .max(500, 'Mark at most 500 notifications read at once.'),
    readAt: Instant,
  })
  .strict();

/** A fieldworker saw a cancellation of their job ("Got it"), on their phone's clock, offline too. */
export const AcknowledgeCancellationInput = z
  .object({ writeId: WriteId, id: BookingId, seenAt: Instant })
  .strict();
