// Bookings: reading them per role, locking one for the cancel or edit decision, writing a
// cancellation or an edit, a new booking from the office, and a customer's appointment
// request. The booking triggers (migrations/0002) then write the audit event and queue the
// emails; nothing is sent here. Every write sets `last_write_id`, so an app's overlay row
// goes when the synced row carrying its write id comes back.
import type { BookingStatus } from '../../shared/booking-status.ts';
import type { BookingToCancel, Canceller, FrozenFee } from '../../shared/cancel-decision.ts';
import type { BookingChanges, BookingToEdit } from '../../shared/edit-decision.ts';
import type { ActorRole, Channel } from '../../shared/vocabulary.ts';
import { quoteIdent } from '../shape-service/identifiers.ts';
import type { Queryable } from './queryable.ts';

interface DecidingRow {
  status: BookingStatus;
  customer_id: string;
  fieldworker_id: string | null;
  starts_at: Date;
  ends_at: Date;
  notes: string;
  price_minor: number;
  currency: string;
  cancelled_by_role: ActorRole | null;
  cancelled_by_name: string | null;
}

/** One booking as a decision needs it, with who cancelled it; `lock` holds it for this transaction. */
async function loadDecidingRow(db: Queryable, id: string, lock: boolean): Promise<DecidingRow | null> {
  const { rows } = await db.query<DecidingRow>(
    `SELECT b.status, b.customer_id, b.fieldworker_id, b.starts_at, b.ends_at, b.notes, b.price_minor,
            b.currency, b.cancelled_by_role, coalesce(cu.name, cc.name) AS cancelled_by_name
       FROM bookings b
       LEFT JOIN users cu ON cu.id = b.cancelled_by_user_id
       LEFT JOIN customers cc ON cc.id = b.cancelled_by_customer_id
      WHERE b.id = $1
      ${lock ? 'FOR UPDATE OF b' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

const cancelledBy = (b: DecidingRow) =>
  b.cancelled_by_role ? { role: b.cancelled_by_role, name: b.cancelled_by_name ?? '' } : null;

/** The booking as the cancel decision needs it; `lock` holds it for this transaction. */
export async function loadBookingToCancel(
  db: Queryable,
  id: string,
  options: { lock: boolean },
): Promise<BookingToCancel | null> {
  const b = await loadDecidingRow(db, id, options.lock);
  if (!b) return null;
  return {
    status: b.status,
    customerId: b.customer_id,
    fieldworkerId: b.fieldworker_id,
    startsAt: b.starts_at,
    priceMinor: b.price_minor,
    currency: b.currency,
    cancelledBy: cancelledBy(b),
  };
}

/** The booking as the edit decision needs it; `lock` holds it for this transaction. */
export async function loadBookingToEdit(
  db: Queryable,
  id: string,
  options: { lock: boolean },
): Promise<BookingToEdit | null> {
  const b = await loadDecidingRow(db, id, options.lock);
  if (!b) return null;
  return {
    status: b.status,
    startsAt: b.starts_at,
    endsAt: b.ends_at,
    fieldworkerId: b.fieldworker_id,
    notes: b.notes,
    cancelledBy: cancelledBy(b),
  };
}

const EDITED_COLUMNS: Readonly<Record<keyof BookingChanges, string>> = {
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  fieldworkerId: 'fieldworker_id',
  notes: 'notes',
  status: 'status',
};

/**
 * Writes a decided edit: only the columns it changes, so the triggers record exactly what
 * changed (the actor must be set in this transaction: server/db/actor.ts). `updated_at` is
 * the before-write trigger's.
 */
export async function writeBookingEdit(
  db: Queryable,
  edit: { readonly bookingId: string; readonly set: BookingChanges; readonly writeId: string },
): Promise<void> {
  const params: unknown[] = [edit.bookingId, edit.writeId];
  const assignments = ['last_write_id = $2'];
  for (const [field, column] of Object.entries(EDITED_COLUMNS) as [keyof BookingChanges, string][]) {
    const value = edit.set[field];
    if (value === undefined) continue;
    params.push(value);
    assignments.push(`${column} = $${params.length}`);
  }
  await db.query(`UPDATE bookings SET ${assignments.join(', ')} WHERE id = $1`, params);
}

/**
 * Whether the ids a new booking or an edit names are usable: a customer, a service still
 * offered, an active fieldworker. An id not asked about (null) counts as usable.
 */
export async function bookingReferences(
  db: Queryable,
  refs: { customerId?: string | null; serviceId?: string | null; fieldworkerId?: string | null },
): Promise<{ customer: boolean; service: boolean; fieldworker: boolean }> {
  const { rows } = await db.query<{ customer: boolean; service: boolean; fieldworker: boolean }>(
    `SELECT $1::uuid IS NULL OR EXISTS (SELECT 1 FROM customers WHERE id = $1) AS customer,
            $2::uuid IS NULL OR EXISTS (SELECT 1 FROM services WHERE id = $2 AND active) AS service,
            $3::uuid IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = $3 AND role = 'fieldworker' AND active)
              AS fieldworker`,
    [refs.customerId ?? null, refs.serviceId ?? null, refs.fieldworkerId ?? null],
  );
  const row = rows[0];
  if (!row) throw new Error('bookingReferences returned no row');
  return row;
}

export interface NewBooking {
  readonly id: string;
  readonly customerId: string;
  readonly serviceId: string;
  readonly fieldworkerId: string | null;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly address: string;
  readonly notes: string;
  readonly priceMinor: number;
  readonly currency: string;
  readonly writeId: string;
}

/**
 * Inserts a scheduled booking with the id made on the device. False when a booking with that
 * id exists already: it is never overwritten. The trigger writes the 'created' event and
 * queues the confirmation email and the reminder.
 */
export async function insertScheduledBooking(db: Queryable, b: NewBooking): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO bookings (id, customer_id, service_id, fieldworker_id, status, starts_at, ends_at, address, notes,
                           price_minor, currency, last_write_id)
     VALUES ($1, $2, $3, $4, 'scheduled', $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (id) DO NOTHING`,
    [
      b.id,
      b.customerId,
      b.serviceId,
      b.fieldworkerId,
      b.startsAt,
      b.endsAt,
      b.address,
      b.notes,
      b.priceMinor,
      b.currency,
      b.writeId,
    ],
  );
  return rowCount === 1;
}

export interface Cancellation {
  readonly bookingId: string;
  readonly canceller: Canceller;
  readonly channel: Channel;
  readonly comment: string;
  readonly fee: FrozenFee | null;
  readonly writeId: string;
}

/** Writes a decided cancellation (the actor must be set in this transaction: server/db/actor.ts). */
export async function writeCancellation(db: Queryable, c: Cancellation): Promise<void> {
  await db.query(
    `UPDATE bookings SET status = 'cancelled', cancelled_at = now(), cancelled_by_role = $2,
       cancelled_by_user_id = $3, cancelled_by_customer_id = $4, cancel_channel = $5, cancel_comment = $6,
       cancel_fee_id = (SELECT id FROM fees WHERE id = $7), cancel_fee_name = $8, cancel_fee_minor = $9,
       cancel_fee_tax_minor = $10, last_write_id = $11
     WHERE id = $1`,
    [
      c.bookingId,
      c.canceller.role,
      c.canceller.role === 'customer' ? null : c.canceller.userId,
      c.canceller.role === 'customer' ? c.canceller.customerId : null,
      c.channel,
      c.comment || null,
      c.fee?.feeId ?? null,
      c.fee?.name ?? null,
      c.fee?.quote.feeMinor ?? null,
      c.fee?.quote.taxMinor ?? null,
      c.writeId,
    ],
  );
}

/** Which bookings a staff member reads: all for an admin, their own for a fieldworker. */
export type BookingScope = { readonly all: true } | { readonly fieldworkerId: string };

export interface BookingFilter {
  readonly id?: string | undefined;
  readonly status?: BookingStatus | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  readonly limit: number;
}

/** A booking as staff read it: what every staff role's shape holds, and more for an admin. */
export interface StaffBookingRow {
  id: string;
  status: BookingStatus;
  starts_at: Date;
  ends_at: Date;
  address: string;
  service_name: string;
  /** Admins only, as every column their shape holds and a fieldworker's does not. */
  customer_name?: string;
  fieldworker_name?: string | null;
  [column: string]: unknown;
}

/**
 * Bookings with exactly `columns` of the bookings table and the `joined` display names
 * (`customer_name`, `service_name`, `fieldworker_name`), soonest first. The router chooses
 * both from the shape catalog, so a role never reads more than its shape holds.
 */
export async function listBookings(
  db: Queryable,
  scope: BookingScope,
  filter: BookingFilter,
  select: { readonly columns: readonly string[]; readonly joined: readonly JoinedName[] },
): Promise<StaffBookingRow[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if ('fieldworkerId' in scope) add('b.fieldworker_id = ?', scope.fieldworkerId);
  if (filter.id) add('b.id = ?', filter.id);
  if (filter.status) add('b.status = ?', filter.status);
  if (filter.from) add('b.starts_at >= ?', filter.from);
  if (filter.to) add('b.starts_at < ?', filter.to);
  params.push(filter.limit);
  const columns = [
    ...select.columns.map((c) => `b.${quoteIdent(c)}`),
    ...select.joined.map((j) => JOINED[j]),
  ];
  const { rows } = await db.query<StaffBookingRow>(
    `SELECT ${columns.join(', ')}
       FROM bookings b
       JOIN customers c ON c.id = b.customer_id
       JOIN services s ON s.id = b.service_id
       LEFT JOIN users u ON u.id = b.fieldworker_id
      WHERE ${where.length ? where.join(' AND ') : 'true'}
      ORDER BY b.starts_at LIMIT $${params.length}`,
    params,
  );
  return rows;
}

/** Display names joined onto a booking, each from the shape (table and column) it comes from. */
export const JOINED_NAME_SOURCES = {
  customer_name: { shape: 'customers', column: 'name' },
  service_name: { shape: 'services', column: 'name' },
  fieldworker_name: { shape: 'users', column: 'name' },
} as const;
export type JoinedName = keyof typeof JOINED_NAME_SOURCES;

const JOINED: Record<JoinedName, string> = {
  customer_name: 'c.name AS customer_name',
  service_name: 's.name AS service_name',
  fieldworker_name: 'u.name AS fieldworker_name',
};

export interface PortalBookingRow {
  id: string;
  status: BookingStatus;
  starts_at: Date;
  ends_at: Date;
  address: string;
  price_minor: number;
  currency: string;
  service_id: string;
  service_name: string;
  fieldworker_name: string | null;
  customer_id: string;
  cancelled_at: Date | null;
  cancelled_by_customer_id: string | null;
  cancel_comment: string | null;
  cancel_fee_minor: number | null;
  cancel_fee_tax_minor: number | null;
}

// A customer sees their booking, the fieldworker's name (the portal shows the first name),
// the comment sent with a cancellation, and not who on the staff cancelled it.
const PORTAL_SELECT = `SELECT b.id, b.status, b.starts_at, b.ends_at, b.address, b.price_minor, b.currency,
    b.service_id, s.name AS service_name, u.name AS fieldworker_name, b.customer_id, b.cancelled_at,
    b.cancelled_by_customer_id, b.cancel_comment, b.cancel_fee_minor, b.cancel_fee_tax_minor
  FROM bookings b JOIN services s ON s.id = b.service_id LEFT JOIN users u ON u.id = b.fieldworker_id`;

export async function customerBookings(db: Queryable, customerId: string): Promise<PortalBookingRow[]> {
  const { rows } = await db.query<PortalBookingRow>(
    `${PORTAL_SELECT} WHERE b.customer_id = $1 ORDER BY b.starts_at`,
    [customerId],
  );
  return rows;
}

export async function customerBooking(
  db: Queryable,
  customerId: string,
  id: string,
): Promise<PortalBookingRow | null> {
  const { rows } = await db.query<PortalBookingRow>(
    `${PORTAL_SELECT} WHERE b.id = $1 AND b.customer_id = $2`,
    [id, customerId],
  );
  return rows[0] ?? null;
}

/** What a requested appointment is made of: the business's zone and currency, the service, an address. */
export async function appointmentTerms(
  db: Queryable,
  request: { serviceId: string; customerId: string; fromBookingId: string },
): Promise<{
  time_zone: string;
  currency: string;
  duration_minutes: number;
  price_minor: number;
  address: string | null;
} | null> {
  const { rows } = await db.query(
    `SELECT bs.time_zone, bs.currency, s.duration_minutes, s.price_minor,
            coalesce((SELECT address FROM bookings WHERE id = $3 AND customer_id = $2), c.address) AS address
       FROM business_settings bs, services s, customers c
      WHERE s.id = $1 AND s.active AND c.id = $2`,
    [request.serviceId, request.customerId, request.fromBookingId],
  );
  return rows[0] ?? null;
}

export async function insertRequestedBooking(
  db: Queryable,
  b: {
    customerId: string;
    serviceId: string;
    startsAt: Date;
    endsAt: Date;
    address: string;
    note: string;
    priceMinor: number;
    currency: string;
    writeId: string;
  },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO bookings (customer_id, service_id, status, starts_at, ends_at, address, notes, price_minor,
                           currency, last_write_id)
     VALUES ($1, $2, 'requested', $3, $4, $5, $6, $7, $8, $9)
     RETURNING id`,
    [b.customerId, b.serviceId, b.startsAt, b.endsAt, b.address, b.note, b.priceMinor, b.currency, b.writeId],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('INSERT INTO bookings returned no id');
  return id;
}

/** The services a customer can ask for. */
export async function activeServices(
  db: Queryable,
): Promise<{ id: string; name: string; durationMinutes: number; priceMinor: number }[]> {
  const { rows } = await db.query(
    `SELECT id, name, duration_minutes AS "durationMinutes", price_minor AS "priceMinor"
       FROM services WHERE active ORDER BY name`,
  );
  return rows;
}
