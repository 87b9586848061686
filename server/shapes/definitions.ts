// The fixed shapes of the apps, per role: DESIGN §3's table as data. The gatekeeper takes
// table, where, params and columns from here and never from a request, so an app cannot
// widen what it sees. Columns are listed, never "all": a column added to a table later is not
// synced until it is added here, rather than leaking by default.
import type { Session } from '../auth/sessions.ts';
import type { ShapeParams } from './shape-definition.ts';

export const SHAPE_NAMES = [
  'bookings',
  'notifications',
  'customers',
  'services',
  'fees',
  'settings',
  'email_templates',
  'booking_events',
  'users',
] as const;
export type ShapeName = (typeof SHAPE_NAMES)[number];

const BOOKING_COLUMNS = [
  'id',
  'customer_id',
  'service_id',
  'fieldworker_id',
  'status',
  'starts_at',
  'ends_at',
  'address',
  'notes',
  'price_minor',
  'currency',
  'last_write_id',
  'created_at',
  'updated_at',
  'cancelled_at',
  'cancelled_by_role',
  'cancelled_by_user_id',
  'cancelled_by_customer_id',
  'cancel_channel',
  'cancel_comment',
  'cancel_fee_id',
  'cancel_fee_name',
  'cancel_fee_minor',
  'cancel_fee_tax_minor',
];

/**
 * What a fieldworker's job needs from their own bookings: when, where, what, the notes for
 * the job, and whether (and why) it was cancelled — not prices, fees, or who in the office or
 * which customer account did the cancelling.
 */
const FIELDWORKER_BOOKING_COLUMNS = [
  'id',
  'customer_id',
  'service_id',
  'fieldworker_id',
  'status',
  'starts_at',
  'ends_at',
  'address',
  'notes',
  'last_write_id',
  'created_at',
  'updated_at',
  'cancelled_at',
  'cancelled_by_role',
  'cancel_comment',
];

const NOTIFICATION_COLUMNS = [
  'id',
  'user_id',
  'booking_id',
  'kind',
  'title',
  'body',
  'created_at',
  'read_at',
];
const SERVICE_COLUMNS = ['id', 'name', 'description', 'duration_minutes', 'price_minor', 'active'];
/** The services as anyone may know them. */
const PUBLIC_SERVICE_COLUMNS = ['id', 'name', 'description', 'duration_minutes', 'active'];

/** Admin-only reference tables: every row, every column that is not a secret. */
const ADMIN_TABLES: Record<string, { table: string; columns: string[] }> = {
  customers: { table: 'customers', columns: ['id', 'name', 'email', 'phone', 'address', 'created_at'] },
  services: { table: 'services', columns: SERVICE_COLUMNS },
  fees: {
    table: 'fees',
    columns: [
      'id',
      'name',
      'kind',
      'amount_minor',
      'percent_bp',
      'tax_rate_bp',
      'active',
      'created_at',
      'updated_at',
    ],
  },
  settings: {
    table: 'business_settings',
    columns: [
      'id',
      'name',
      'contact_email',
      'contact_phone',
      'time_zone',
      'currency',
      'customer_cancel_enabled',
      'customer_cancel_cutoff_hours',
      'cancel_comment_required',
      'customer_cancel_fee_id',
      'customer_fee_window_hours',
      'fieldworker_cancel_enabled',
      'reminder_hours',
      'updated_at',
    ],
  },
  email_templates: {
    table: 'email_templates',
    columns: ['kind', 'subject', 'body_html', 'body_text', 'updated_at'],
  },
  booking_events: {
    table: 'booking_events',
    columns: [
      'id',
      'booking_id',
      'kind',
      'from_status',
      'to_status',
      'actor_role',
      'actor_user_id',
      'actor_customer_id',
      'channel',
      'client_at',
      'server_at',
      'comment',
      'fee_id',
      'fee_name',
      'fee_minor',
      'fee_tax_minor',
      'write_id',
      'details',
    ],
  },
  // No password_hash, ever.
  users: { table: 'users', columns: ['id', 'email', 'name', 'role', 'active', 'created_at'] },
};

export type ShapeChoice =
  | { readonly ok: true; readonly shape: ShapeParams }
  | { readonly ok: false; readonly reason: 'unknown' | 'forbidden' };

/** The shape `name` means for this session, or why there is none. */
export function shapeForSession(name: string, session: Session): ShapeChoice {
  if (!(SHAPE_NAMES as readonly string[]).includes(name)) return { ok: false, reason: 'unknown' };
  if (session.role === 'customer') return { ok: false, reason: 'forbidden' };
  const me = { 1: session.userId };
  if (name === 'notifications') {
    return {
      ok: true,
      shape: { table: 'notifications', where: 'user_id = $1', params: me, columns: NOTIFICATION_COLUMNS },
    };
  }
  if (session.role === 'fieldworker') {
    if (name === 'bookings') {
      return {
        ok: true,
        shape: {
          table: 'bookings',
          where: 'fieldworker_id = $1',
          params: me,
          columns: FIELDWORKER_BOOKING_COLUMNS,
        },
      };
    }
    if (name === 'services')
      return { ok: true, shape: { table: 'services', columns: PUBLIC_SERVICE_COLUMNS } };
    return { ok: false, reason: 'forbidden' };
  }
  if (name === 'bookings') return { ok: true, shape: { table: 'bookings', columns: BOOKING_COLUMNS } };
  const fixed = ADMIN_TABLES[name];
  return fixed
    ? { ok: true, shape: { table: fixed.table, columns: fixed.columns } }
    : { ok: false, reason: 'unknown' };
}
