// Every read of the fieldworker app, in one place: SQL against the replica's views (this
// fieldworker's bookings, notifications and the services, and what the business tells them),
// each selecting only what its screen shows. `pending_write_id` is non-null while a change to
// the row waits to be sent. Times arrive as Dates (timestamptz).
import type { BookingStatus } from '../../shared/booking-status.ts';
import { createLiveRow, createLiveRows } from '../lib/replica/live.ts';

type Instant = Date | string;

export interface FieldBusinessRow {
  name: string;
  contact_phone: string;
  time_zone: string;
  fieldworker_cancel_enabled: boolean;
}

export const useFieldBusiness = () =>
  createLiveRow<FieldBusinessRow>(() => ({
    sql: 'SELECT name, contact_phone, time_zone, fieldworker_cancel_enabled FROM business_settings LIMIT 1',
  }));

export interface ScheduleRow {
  id: string;
  status: BookingStatus;
  starts_at: Instant;
  ends_at: Instant;
  address: string;
  service_name: string | null;
  cancelled_at: Instant | null;
  pending_write_id: string | null;
}

/** The jobs from `from` (the start of today, on the business's clock) on, cancelled ones too, by start. */
export const useSchedule = (from: () => string | null) =>
  createLiveRows<ScheduleRow>(() => {
    const since = from();
    return since
      ? {
          sql: `SELECT b.id, b.status, b.starts_at, b.ends_at, b.address, s.name AS service_name, b.cancelled_at,
                       b.pending_write_id
                  FROM bookings b LEFT JOIN services s ON s.id = b.service_id
                 WHERE b.ends_at >= $1 ORDER BY b.starts_at, b.id LIMIT 500`,
          params: [since],
        }
      : null;
  });

export interface FieldBookingRow extends ScheduleRow {
  notes: string;
  customer_first_name: string;
  customer_phone: string | null;
  cancel_seen_at: Instant | null;
  cancelled_by_role: string | null;
  cancel_comment: string | null;
  fieldworker_id: string | null;
  service_description: string | null;
}

export const useFieldBooking = (id: () => string) =>
  createLiveRow<FieldBookingRow>(() => ({
    sql: `SELECT b.id, b.status, b.starts_at, b.ends_at, b.address, b.notes, b.cancelled_at, b.cancelled_by_role,
                 b.cancel_comment, b.cancel_seen_at, b.customer_first_name, b.customer_phone, b.fieldworker_id,
                 b.pending_write_id, s.name AS service_name,
                 s.description AS service_description
            FROM bookings b LEFT JOIN services s ON s.id = b.service_id WHERE b.id = $1`,
    params: [id()],
  }));

export interface NotificationRow {
  id: string;
  kind: string;
  title: string;
  body: string;
  booking_id: string | null;
  created_at: Instant;
  read_at: Instant | null;
  pending_write_id: string | null;
  /** For a cancellation still on this fieldworker's schedule: whether they said "Got it". */
  awaiting_got_it: boolean;
}

/** Newest first. */
export const useNotifications = () =>
  createLiveRows<NotificationRow>(() => ({
    sql: `SELECT n.id, n.kind, n.title, n.body, n.booking_id, n.created_at, n.read_at, n.pending_write_id,
                 (n.kind = 'booking_cancelled' AND b.status = 'cancelled' AND b.cancel_seen_at IS NULL) IS TRUE
                   AS awaiting_got_it
            FROM notifications n LEFT JOIN bookings b ON b.id = n.booking_id
           ORDER BY n.created_at DESC, n.id LIMIT 200`,
  }));

export const useUnreadCount = () =>
  createLiveRow<{ n: number }>(() => ({
    sql: 'SELECT count(*)::int AS n FROM notifications WHERE read_at IS NULL',
  }));
