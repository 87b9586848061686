// Every read of the admin screens, in one place: SQL against the replica's views (named like the
// server's tables, plus `pending_write_id`: non-null while a change to the row waits to be sent)
// and the `pending_writes` queue. Each query selects only what its screen shows, and joins the
// names it needs, so a screen renders rows as they come. Times arrive as Dates (timestamptz).
import { createRoot } from 'solid-js';
import type { BookingStatus } from '../../shared/booking-status.ts';
import { useReplica } from '../lib/replica/context.tsx';
import { createLiveRow, createLiveRows, type LiveQuery, type LiveRows } from '../lib/replica/live.ts';
import type { Replica } from '../lib/replica/open-replica.ts';
import type { FeeRow } from './format.ts';
import type { CancellationRow } from './report/cancellation-report.ts';

type Instant = Date | string;

// ---- Shared by every screen ---------------------------------------------------------------

const sharedQueries = new WeakMap<Replica, Map<string, LiveRows<unknown>>>();

/**
 * Rows most screens need and that seldom change (the business, the staff, the catalogues): one
 * live query per replica, kept for the page's life and shared by every screen, because setting
 * up a live query costs far more than reading its rows, and would be paid on every navigation.
 */
function sharedRows<T>(name: string, query: LiveQuery): LiveRows<T> {
  const replica = useReplica();
  let byName = sharedQueries.get(replica);
  if (!byName) {
    byName = new Map();
    sharedQueries.set(replica, byName);
  }
  let live = byName.get(name);
  if (!live) {
    // Its own root: it outlives the screen that first asked for it.
    live = createRoot(() => createLiveRows<unknown>(() => query, replica));
    byName.set(name, live);
  }
  return live as LiveRows<T>;
}

// ---- The business -------------------------------------------------------------------------

export interface BusinessRow {
  name: string;
  time_zone: string;
  currency: string;
}

/** The business's time zone and currency: every time and amount on the screens follows them. */
export function useBusiness() {
  const live = sharedRows<BusinessRow>('business', {
    sql: 'SELECT name, time_zone, currency FROM business_settings LIMIT 1',
  });
  return {
    row: (): BusinessRow | null | undefined => {
      const rows = live.rows();
      return rows === undefined ? undefined : (rows[0] ?? null);
    },
    error: live.error,
  };
}

export interface PortalSettingsRow {
  currency: string;
  customer_cancel_enabled: boolean;
  customer_cancel_cutoff_hours: number;
  cancel_comment_required: boolean;
  customer_cancel_fee_id: string | null;
  customer_fee_window_hours: number;
  fieldworker_cancel_enabled: boolean;
  unseen_cancel_alert_minutes: number;
}

export interface BusinessDetailsRow {
  name: string;
  contact_email: string;
  contact_phone: string;
  address: string;
  time_zone: string;
  currency: string;
  reminder_hours: number;
}

/** What Settings › Business edits. */
export const useBusinessDetails = () =>
  createLiveRow<BusinessDetailsRow>(() => ({
    sql: `SELECT name, contact_email, contact_phone, address, time_zone, currency, reminder_hours
            FROM business_settings LIMIT 1`,
  }));

/** What Settings › Customer Portal › Flags & Permissions edits. */
export const usePortalSettings = () =>
  createLiveRow<PortalSettingsRow>(() => ({
    sql: `SELECT currency, customer_cancel_enabled, customer_cancel_cutoff_hours, cancel_comment_required,
                 customer_cancel_fee_id, customer_fee_window_hours, fieldworker_cancel_enabled,
                 unseen_cancel_alert_minutes
            FROM business_settings LIMIT 1`,
  }));

// ---- People and catalogues ----------------------------------------------------------------

export interface FieldworkerRow {
  id: string;
  name: string;
  active: boolean;
}

/** Every fieldworker (a filter must find bookings of one who has left); `active` says who may get new jobs. */
export const useFieldworkers = () =>
  sharedRows<FieldworkerRow>('fieldworkers', {
    sql: `SELECT id, name, active FROM users WHERE role = 'fieldworker' ORDER BY active DESC, name, id`,
  });

export interface StaffRow {
  id: string;
  name: string;
  email: string;
  role: 'admin' | 'fieldworker';
  active: boolean;
  /** Bookings not yet started, cancelled or completed that are assigned to them. */
  upcoming: number;
}

/** Everyone on the staff, active first, admins before fieldworkers, with their upcoming bookings. */
export const useStaffList = () =>
  createLiveRows<StaffRow>(() => ({
    sql: `SELECT u.id, u.name, u.email, u.role, u.active,
                 (SELECT count(*) FROM bookings b
                   WHERE b.fieldworker_id = u.id AND b.starts_at > now()
                     AND b.status NOT IN ('cancelled', 'completed'))::int AS upcoming
            FROM users u ORDER BY u.active DESC, u.role, u.name, u.id`,
  }));

export interface ServiceRow {
  id: string;
  name: string;
  duration_minutes: number;
  price_minor: number;
}

export const useActiveServices = () =>
  sharedRows<ServiceRow>('services', {
    sql: 'SELECT id, name, duration_minutes, price_minor FROM services WHERE active ORDER BY name, id',
  });

export const useActiveFees = () =>
  sharedRows<FeeRow>('fees', {
    sql: `SELECT id, name, kind, amount_minor, percent_bp, tax_rate_bp FROM fees WHERE active ORDER BY name, id`,
  });

/** Every fee, switched off ones too, for Settings › Financial Settings › Tax and fees. */
export const useAllFees = () =>
  createLiveRows<FeeRow & { active: boolean }>(() => ({
    sql: `SELECT id, name, kind, amount_minor, percent_bp, tax_rate_bp, active FROM fees ORDER BY active DESC, name, id`,
  }));

export interface EmailTemplateRow {
  kind: string;
  subject: string;
  body_html: string;
  body_text: string;
}

/** The business's email templates, for Settings › Email templates. */
export const useEmailTemplates = () =>
  createLiveRows<EmailTemplateRow>(() => ({
    sql: 'SELECT kind, subject, body_html, body_text FROM email_templates ORDER BY kind',
  }));

export interface FailedEmailRow {
  id: string;
  booking_id: string | null;
  kind: string;
  recipient: string;
  last_error: string | null;
  failed_at: Instant;
  customer_name: string | null;
  customer_email: string | null;
  service_name: string | null;
  starts_at: Instant | null;
}

/** Emails marked failed, newest first, with the booking and the customer's address as it is now. */
export const useFailedEmails = () =>
  createLiveRows<FailedEmailRow>(() => ({
    sql: `SELECT f.id, f.booking_id, f.kind, f.recipient, f.last_error, f.failed_at,
                 c.name AS customer_name, c.email AS customer_email, s.name AS service_name, b.starts_at
            FROM sent_messages f
            LEFT JOIN bookings b ON b.id = f.booking_id
            LEFT JOIN customers c ON c.id = b.customer_id
            LEFT JOIN services s ON s.id = b.service_id
           ORDER BY f.failed_at DESC, f.id`,
  }));

export interface CustomerRow {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  address: string | null;
}

/** Customers whose name, email or phone contains `search` (case aside), with their booking count; all when empty. */
export const useCustomerList = (search: () => string) =>
  createLiveRows<CustomerRow & { bookings: number }>(() => ({
    // strpos, not LIKE: a typed % or _ is a character to find, not a wildcard.
    sql: `WITH q AS (SELECT lower($1::text) AS text)
          SELECT c.id, c.name, c.email, c.phone, c.address,
                 (SELECT count(*)::int FROM bookings b WHERE b.customer_id = c.id) AS bookings
            FROM customers c, q
           WHERE q.text = '' OR strpos(lower(c.name), q.text) > 0 OR strpos(lower(c.email), q.text) > 0
              OR strpos(lower(coalesce(c.phone, '')), q.text) > 0
           ORDER BY c.name, c.email, c.id LIMIT 100`,
    params: [search().trim()],
  }));

/** One customer's bookings, soonest last, for the Customers screen. */
export const useCustomerBookings = (customerId: () => string | null) =>
  createLiveRows<{ id: string; starts_at: Instant; status: BookingStatus; service_name: string | null }>(
    () => {
      const id = customerId();
      if (!id) return null;
      return {
        sql: `SELECT b.id, b.starts_at, b.status, s.name AS service_name
              FROM bookings b LEFT JOIN services s ON s.id = b.service_id
             WHERE b.customer_id = $1 ORDER BY b.starts_at DESC, b.id LIMIT 50`,
        params: [id],
      };
    },
  );

/** Customers whose name or email contains `search` (case aside); nothing until something is typed. */
export const useCustomerSearch = (search: () => string) =>
  createLiveRows<CustomerRow>(() => {
    const text = search().trim();
    if (!text) return null;
    return {
      // strpos, not LIKE: a typed % or _ is a character to find, not a wildcard.
      sql: `WITH q AS (SELECT lower($1::text) AS text)
            SELECT c.id, c.name, c.email, c.phone, c.address FROM customers c, q
             WHERE strpos(lower(c.name), q.text) > 0 OR strpos(lower(c.email), q.text) > 0
             ORDER BY c.name, c.email, c.id LIMIT 8`,
      params: [text],
    };
  });

// ---- All bookings -------------------------------------------------------------------------

export interface BookingListFilters {
  /** null: any. */
  readonly status: BookingStatus | null;
  /** Instants (UTC ISO): from inclusive, before exclusive; null: open. */
  readonly from: string | null;
  readonly before: string | null;
  /** A fieldworker's id, 'unassigned', or null: any. */
  readonly fieldworker: string | null;
  /** Part of the customer's name or email; null: any. */
  readonly customer: string | null;
}

export interface BookingListRow {
  id: string;
  starts_at: Instant;
  status: BookingStatus;
  pending_write_id: string | null;
  customer_name: string | null;
  service_name: string | null;
  fieldworker_name: string | null;
}

export const UNASSIGNED = 'unassigned';

/**
 * The list, filtered in SQL and sorted by start (read a window at a time: createLiveWindow).
 * N.b. it reads no `pending_writes`: any touch of a table a live query reads reruns it whole,
 * and the sender touches the queue often (Not applied writes are listed by the frame instead).
 */
export function bookingListQuery(f: BookingListFilters): LiveQuery {
  return {
    // Each parameter once and in order, named in `f`: PGlite's live queries inline parameters
    // with format()'s sequential %L, so a `$n` used twice would take the next one's value.
    sql: `WITH f AS (SELECT $1::text AS status, $2::timestamptz AS from_at, $3::timestamptz AS before_at,
                            $4::text AS fieldworker, lower($5::text) AS customer)
          SELECT b.id, b.starts_at, b.status, b.pending_write_id,
                 c.name AS customer_name, s.name AS service_name, u.name AS fieldworker_name
            FROM bookings b
            CROSS JOIN f
            LEFT JOIN customers c ON c.id = b.customer_id
            LEFT JOIN services s ON s.id = b.service_id
            LEFT JOIN users u ON u.id = b.fieldworker_id
           WHERE (f.status IS NULL OR b.status = f.status)
             AND (f.from_at IS NULL OR b.starts_at >= f.from_at)
             AND (f.before_at IS NULL OR b.starts_at < f.before_at)
             AND (f.fieldworker IS NULL
                  OR (f.fieldworker = '${UNASSIGNED}' AND b.fieldworker_id IS NULL)
                  OR b.fieldworker_id::text = f.fieldworker)
             AND (f.customer IS NULL
                  OR strpos(lower(c.name), f.customer) > 0
                  OR strpos(lower(c.email), f.customer) > 0)
           ORDER BY b.starts_at, b.id`,
    params: [f.status, f.from, f.before, f.fieldworker, f.customer],
  };
}

// ---- Requests -----------------------------------------------------------------------------

export interface RequestRow {
  id: string;
  starts_at: Instant;
  ends_at: Instant;
  address: string;
  notes: string;
  fieldworker_id: string | null;
  pending_write_id: string | null;
  customer_name: string | null;
  customer_email: string | null;
  customer_phone: string | null;
  service_name: string | null;
  duration_minutes: number | null;
}

/** Bookings customers asked for with Schedule an appointment, soonest first. */
export const useRequests = () =>
  createLiveRows<RequestRow>(() => ({
    sql: `SELECT b.id, b.starts_at, b.ends_at, b.address, b.notes, b.fieldworker_id, b.pending_write_id,
                 c.name AS customer_name, c.email AS customer_email, c.phone AS customer_phone,
                 s.name AS service_name, s.duration_minutes
            FROM bookings b
            LEFT JOIN customers c ON c.id = b.customer_id
            LEFT JOIN services s ON s.id = b.service_id
           WHERE b.status = 'requested'
           ORDER BY b.starts_at, b.id`,
  }));

// ---- Cancellations a fieldworker has not seen -----------------------------------------------

export interface UnseenCancellationRow {
  id: string;
  starts_at: Instant;
  cancelled_at: Instant;
  address: string;
  service_name: string | null;
  fieldworker_name: string | null;
}

/**
 * Cancellations of jobs starting within 24 hours of `now` that their fieldworker has not said
 * they saw, cancelled longer ago than the business's setting: the office should phone them.
 * `now` is a parameter, so the list follows the clock as the caller ticks it.
 */
export const useUnseenCancellations = (now: () => Date) =>
  createLiveRows<UnseenCancellationRow>(() => ({
    sql: `SELECT b.id, b.starts_at, b.cancelled_at, b.address, s.name AS service_name, u.name AS fieldworker_name
            FROM bookings b
            JOIN business_settings bs ON true
            LEFT JOIN services s ON s.id = b.service_id
            LEFT JOIN users u ON u.id = b.fieldworker_id
           WHERE b.status = 'cancelled' AND b.fieldworker_id IS NOT NULL AND b.cancel_seen_at IS NULL
             AND b.starts_at > $1::timestamptz AND b.starts_at <= $1::timestamptz + interval '24 hours'
             AND b.cancelled_at <= $1::timestamptz - make_interval(mins => bs.unseen_cancel_alert_minutes)
           ORDER BY b.starts_at, b.id`,
    params: [now().toISOString()],
  }));

// ---- One booking --------------------------------------------------------------------------

export interface BookingDetailRow {
  id: string;
  status: BookingStatus;
  starts_at: Instant;
  ends_at: Instant;
  address: string;
  notes: string;
  price_minor: number;
  currency: string;
  fieldworker_id: string | null;
  pending_write_id: string | null;
  cancelled_at: Instant | null;
  cancelled_by_role: string | null;
  cancel_channel: string | null;
  cancel_comment: string | null;
  cancel_fee_name: string | null;
  cancel_fee_minor: number | null;
  cancel_fee_tax_minor: number | null;
  /** When the fieldworker said they saw the cancellation ("Got it"); null: not yet. */
  cancel_seen_at: Instant | null;
  cancelled_by_name: string | null;
  customer_name: string | null;
  customer_email: string | null;
  customer_phone: string | null;
  service_name: string | null;
  fieldworker_name: string | null;
}

export const useBooking = (id: () => string | null) =>
  createLiveRow<BookingDetailRow>(() => {
    const bookingId = id();
    if (!bookingId) return null;
    return {
      sql: `SELECT b.id, b.status, b.starts_at, b.ends_at, b.address, b.notes, b.price_minor, b.currency,
                   b.fieldworker_id, b.pending_write_id,
                   b.cancelled_at, b.cancelled_by_role, b.cancel_channel, b.cancel_comment,
                   b.cancel_fee_name, b.cancel_fee_minor, b.cancel_fee_tax_minor, b.cancel_seen_at,
                   coalesce(cu.name, cc.name) AS cancelled_by_name,
                   c.name AS customer_name, c.email AS customer_email, c.phone AS customer_phone,
                   s.name AS service_name, u.name AS fieldworker_name
              FROM bookings b
              LEFT JOIN customers c ON c.id = b.customer_id
              LEFT JOIN services s ON s.id = b.service_id
              LEFT JOIN users u ON u.id = b.fieldworker_id
              LEFT JOIN users cu ON cu.id = b.cancelled_by_user_id
              LEFT JOIN customers cc ON cc.id = b.cancelled_by_customer_id
             WHERE b.id = $1::uuid`,
      params: [bookingId],
    };
  });

export interface BookingEventRow {
  /** bigint, as text: ids only label rows. */
  id: string;
  kind: 'created' | 'status_changed' | 'rescheduled' | 'reassigned' | 'cancelled';
  from_status: BookingStatus | null;
  to_status: BookingStatus | null;
  actor_role: string;
  actor_name: string | null;
  channel: string;
  client_at: Instant | null;
  server_at: Instant;
  comment: string | null;
  fee_name: string | null;
  fee_minor: number | null;
  fee_tax_minor: number | null;
  /** Rescheduled: the start before and after (ISO text). */
  moved_from: string | null;
  moved_to: string | null;
  /** Reassigned: the fieldworkers before and after (null: nobody). */
  reassigned_from: string | null;
  reassigned_to: string | null;
}

/** The booking's audit trail, as the server wrote it, oldest first. */
export const useBookingEvents = (id: () => string | null) =>
  createLiveRows<BookingEventRow>(() => {
    const bookingId = id();
    if (!bookingId) return null;
    return {
      sql: `SELECT e.id::text AS id, e.kind, e.from_status, e.to_status, e.actor_role, e.channel,
                   e.client_at, e.server_at, e.comment, e.fee_name, e.fee_minor, e.fee_tax_minor,
                   coalesce(au.name, ac.name) AS actor_name,
                   CASE WHEN e.kind = 'rescheduled' THEN e.details->>'from' END AS moved_from,
                   CASE WHEN e.kind = 'rescheduled' THEN e.details->>'to' END AS moved_to,
                   fu.name AS reassigned_from, tu.name AS reassigned_to
              FROM booking_events e
              LEFT JOIN users au ON au.id = e.actor_user_id
              LEFT JOIN customers ac ON ac.id = e.actor_customer_id
              LEFT JOIN users fu ON e.kind = 'reassigned' AND fu.id::text = e.details->>'from'
              LEFT JOIN users tu ON e.kind = 'reassigned' AND tu.id::text = e.details->>'to'
             WHERE e.booking_id = $1::uuid
             ORDER BY e.server_at, e.id`,
      params: [bookingId],
    };
  });

export interface BookingWriteRow {
  write_id: string;
  summary: string;
  state: 'queued' | 'applied' | 'rejected';
  last_error: string | null;
  created_at: Instant;
  /** The server's answer once applied: `changedMeanwhile` says what had changed on the server. */
  answer: { outcome?: string; changedMeanwhile?: string[] } | null;
}

/** This device's writes about one booking, in the order they were made (and are sent). */
export const useBookingWrites = (id: () => string | null) =>
  createLiveRows<BookingWriteRow>(() => {
    const bookingId = id();
    if (!bookingId) return null;
    return {
      sql: `SELECT write_id, summary, state, last_error, created_at, answer FROM pending_writes
             WHERE entity_table = 'bookings' AND entity_id = $1 ORDER BY seq`,
      params: [bookingId],
    };
  });

// ---- Reports › Cancellations ---------------------------------------------------------------

/**
 * The bookings cancelled from `from` (inclusive) to `before` (exclusive), instants in UTC ISO,
 * with the names the report counts by; oldest first. Only cancelled rows in the range cross to
 * the tab: the counting is the report's (report/cancellation-report.ts). A cancellation made on
 * this device and not yet sent is in it too, as on every screen.
 */
export const useCancellationRows = (range: () => { from: string; before: string } | null) =>
  createLiveRows<CancellationRow>(() => {
    const r = range();
    if (!r) return null;
    return {
      sql: `SELECT b.id, b.cancelled_at, b.starts_at, b.cancel_channel, b.cancelled_by_role, b.cancel_comment,
                   b.cancel_fee_name, b.cancel_fee_minor, b.cancel_fee_tax_minor, b.currency,
                   s.name AS service_name, u.name AS fieldworker_name
              FROM bookings b
              LEFT JOIN services s ON s.id = b.service_id
              LEFT JOIN users u ON u.id = b.fieldworker_id
             WHERE b.status = 'cancelled' AND b.cancelled_at >= $1::timestamptz AND b.cancelled_at < $2::timestamptz
             ORDER BY b.cancelled_at, b.id`,
      params: [r.from, r.before],
    };
  });
