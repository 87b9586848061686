// The changes a person makes to bookings, as local writes: each validated with the schema the
// server validates with (shared/schemas.ts), queued with the row as it will look, so the screen
// shows it at once, and what the person saw (start, fieldworker, status) so the server can
// reconcile it with what happened meanwhile (DESIGN §3).
import type { z } from 'zod';
import { type BookingStatus, STATUS_LABELS } from '../../../shared/booking-status.ts';
import {
  AcknowledgeCancellationInput,
  CancelBookingInput,
  EditBookingInput,
  NewBookingInput,
} from '../../../shared/schemas.ts';
import type { Replica } from '../replica/open-replica.ts';
import { InvalidInput, overlayRow, validate } from './local-rows.ts';
import { type OverlayRow, queueWrite } from './queue.ts';

/** A booking as the replica's `bookings` view holds it (the admin's columns; a fieldworker's are fewer). */
export type BookingRow = Record<string, unknown> & {
  id: string;
  status: BookingStatus;
  starts_at: string | Date;
  fieldworker_id: string | null;
  pending_write_id: string | null;
};

async function currentBooking(replica: Replica, id: string): Promise<BookingRow> {
  const [row] = await replica.query<BookingRow>('SELECT * FROM bookings WHERE id = $1', [id]);
  if (!row) throw new InvalidInput('That booking is not on this device any more.');
  return row;
}

const iso = (at: string | Date) => new Date(at).toISOString();
const now = () => new Date().toISOString();

export interface FrozenFee {
  readonly feeId: string | null;
  readonly name: string;
  readonly feeMinor: number;
  readonly taxMinor: number;
}

/** Cancel: the fee is frozen as the dialog showed it; a repeat of the write is harmless. */
export async function cancelBookingLocally(
  replica: Replica,
  bookingId: string,
  form: { comment: string; fee: FrozenFee | null },
): Promise<string> {
  const booking = await currentBooking(replica, bookingId);
  const writeId = crypto.randomUUID();
  const clientAt = now();
  const { writeId: _id, ...input } = validate(CancelBookingInput, {
    id: bookingId,
    writeId,
    comment: form.comment,
    clientAt,
    expectedStartsAt: iso(booking.starts_at),
    expectedFieldworkerId: booking.fieldworker_id,
    ...(replica.meta.role === 'admin' ? { fee: form.fee } : {}),
  });
  const fee = replica.meta.role === 'admin' ? form.fee : null;
  return queueWrite(replica, {
    writeId,
    procedure: 'bookings.cancel',
    input,
    entity: { table: 'bookings', id: bookingId },
    summary: 'Cancel the booking',
    overlays: [
      {
        table: 'bookings',
        row: overlayRow(replica, 'bookings', {
          ...booking,
          status: 'cancelled',
          cancelled_at: clientAt,
          cancelled_by_role: replica.meta.role,
          cancelled_by_user_id: replica.meta.userId,
          cancel_channel: replica.meta.role === 'admin' ? 'admin_app' : 'field_app',
          cancel_comment: input.comment,
          cancel_fee_id: fee?.feeId ?? null,
          cancel_fee_name: fee?.name ?? null,
          cancel_fee_minor: fee?.feeMinor ?? null,
          cancel_fee_tax_minor: fee?.taxMinor ?? null,
          updated_at: clientAt,
        }),
      },
    ],
  });
}

export interface BookingChanges {
  startsAt?: string;
  endsAt?: string;
  fieldworkerId?: string | null;
  notes?: string;
  status?: Exclude<BookingStatus, 'cancelled'>;
}

/** Reschedule, reassign, change notes or status (not cancel: that has its own dialog and write). */
export async function editBookingLocally(
  replica: Replica,
  bookingId: string,
  changes: BookingChanges,
): Promise<string> {
  const booking = await currentBooking(replica, bookingId);
  const writeId = crypto.randomUUID();
  const clientAt = now();
  const { writeId: _id, ...input } = validate(EditBookingInput, {
    id: bookingId,
    writeId,
    clientAt,
    saw: { startsAt: iso(booking.starts_at), fieldworkerId: booking.fieldworker_id, status: booking.status },
    changes,
  });
  const c = input.changes;
  const what = [
    c.startsAt !== undefined ? 'reschedule' : null,
    c.fieldworkerId !== undefined ? 'reassign' : null,
    c.status !== undefined ? `mark ${STATUS_LABELS[c.status as BookingStatus]}` : null,
    c.notes !== undefined ? 'edit the notes' : null,
  ].filter(Boolean);
  return queueWrite(replica, {
    writeId,
    procedure: 'bookings.update',
    input,
    entity: { table: 'bookings', id: bookingId },
    summary: capitalise(`${what.join(', ')} the booking`),
    overlays: [
      {
        table: 'bookings',
        row: overlayRow(replica, 'bookings', {
          ...booking,
          ...(c.startsAt !== undefined ? { starts_at: c.startsAt } : {}),
          ...(c.endsAt !== undefined ? { ends_at: c.endsAt } : {}),
          ...(c.fieldworkerId !== undefined ? { fieldworker_id: c.fieldworkerId } : {}),
          ...(c.notes !== undefined ? { notes: c.notes } : {}),
          ...(c.status !== undefined ? { status: c.status } : {}),
          updated_at: clientAt,
        }),
      },
    ],
  });
}

export type NewBookingForm = Omit<z.input<typeof NewBookingInput>, 'writeId' | 'id' | 'clientAt'>;

/** A new booking (and, when asked, a new customer), with ids made here so the screens can open it. */
export async function createBookingLocally(
  replica: Replica,
  form: NewBookingForm,
  currency: string,
): Promise<{ writeId: string; bookingId: string }> {
  const writeId = crypto.randomUUID();
  const bookingId = crypto.randomUUID();
  const clientAt = now();
  const { writeId: _id, ...input } = validate(NewBookingInput, { ...form, id: bookingId, writeId, clientAt });
  const customer = input.customer;
  const overlays: OverlayRow[] = [
    {
      table: 'bookings',
      row: overlayRow(replica, 'bookings', {
        id: bookingId,
        customer_id: customer.id,
        service_id: input.serviceId,
        fieldworker_id: input.fieldworkerId,
        status: 'scheduled',
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        address: input.address,
        notes: input.notes,
        price_minor: input.priceMinor,
        currency,
        created_at: clientAt,
        updated_at: clientAt,
      }),
    },
  ];
  if (customer.kind === 'new') {
    overlays.push({
      table: 'customers',
      row: overlayRow(replica, 'customers', {
        id: customer.id,
        name: customer.name,
        email: customer.email,
        phone: customer.phone,
        address: customer.address,
        created_at: clientAt,
      }),
    });
  }
  await queueWrite(replica, {
    writeId,
    procedure: 'bookings.create',
    input,
    entity: { table: 'bookings', id: bookingId },
    summary: 'Create the booking',
    overlays,
  });
  return { writeId, bookingId };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// For the browser console and bench:admin: a cancellation exactly as the cancel dialog makes it
// (a production build's modules cannot be imported into the page from outside).
(globalThis as { bookingWrites?: unknown }).bookingWrites = { cancelBookingLocally };

/** "Got it": the fieldworker saw this job's cancellation (and its notification is read), offline too. */
export async function acknowledgeCancellationLocally(replica: Replica, bookingId: string): Promise<string> {
  const booking = await currentBooking(replica, bookingId);
  const writeId = crypto.randomUUID();
  const seenAt = now();
  const { writeId: _id, ...input } = validate(AcknowledgeCancellationInput, {
    writeId,
    id: bookingId,
    seenAt,
  });
  const notices = await replica.query<Record<string, unknown>>(
    `SELECT * FROM notifications WHERE booking_id = $1 AND kind = 'booking_cancelled' AND read_at IS NULL`,
    [bookingId],
  );
  return queueWrite(replica, {
    writeId,
    procedure: 'bookings.acknowledgeCancellation',
    input,
    entity: { table: 'bookings', id: bookingId },
    summary: 'Say you saw the cancellation',
    overlays: [
      { table: 'bookings', row: overlayRow(replica, 'bookings', { ...booking, cancel_seen_at: seenAt }) },
      ...notices.map((n) => ({
        table: 'notifications' as const,
        row: overlayRow(replica, 'notifications', { ...n, read_at: seenAt }),
      })),
    ],
  });
}
