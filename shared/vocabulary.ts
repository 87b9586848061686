// The product's words, once. Both sides (server, apps, and the SQL in migrations/ by value)
// use these names; shared/ holds no I/O.
//
// Glossary
// - booking: one job for one customer at one time and place; its status follows
//   shared/booking-status.ts, and only the transitions listed there are allowed (Postgres
//   refuses the others with SQLSTATE BK001).
// - actor: who made a change — a customer, an admin, a fieldworker, or the system (a plain
//   SQL change or a job); recorded on the booking's audit event with the channel it came by.
// - channel: where a change came from (portal, email link, admin app, field app, SQL, system).
// - shape: a fixed slice of one table (rows and columns) that a role may sync; the catalog is
//   shared/shape-catalog.ts, the server's gatekeeper decides it, a client never widens it.
// - replica: an app's local PGlite copy of its shapes, in the browser.
// - overlay: the `*_local` tables of a replica holding changes made on the device and not yet
//   seen back from the server; a view merges them over the synced rows.
// - pending write: a change queued on the device (`pending_writes`), sent in order when online.
// - write id: the UUID a client makes for one change; the server claims it in the same
//   transaction as the change, so a repeat gets the first answer and a reuse is refused.
// - txid: the Postgres transaction id of a write, returned to the client; the overlay row is
//   dropped when a synced row from that transaction (or carrying that write id) arrives.
// - outcome: the closed answer of a rule (applied | already-cancelled | rejected with a
//   reason code); codes and their sentences live in shared/outcomes.ts.
// - job: a unit of work in graphile-worker's durable queue (an email to send), queued by
//   Postgres triggers in the same transaction as the change.
// - link token: the random secret in an emailed link (sign in, view a booking, cancel a
//   booking); only its SHA-256 is stored.

/** Who can sign in, and how they sign in: staff with a password, customers with an emailed link. */
export const ROLES = ['admin', 'fieldworker', 'customer'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ['admin', 'fieldworker'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who a change is recorded as made by: a role, or the system (plain SQL, jobs). */
export const ACTOR_ROLES = [...ROLES, 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

export const CHANNELS = ['portal', 'email_link', 'admin_app', 'field_app', 'sql', 'system'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The emails the product sends; each has an editable template. */
export const EMAIL_KINDS = ['confirmation', 'reminder', 'cancellation', 'sign_in'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** The emails about one booking (the sign-in link is about no booking). */
export type BookingEmailKind = Exclude<EmailKind, 'sign_in'>;

export const EMAIL_KIND_LABELS: Readonly<Record<EmailKind, string>> = {
  confirmation: 'Booking confirmation',
  reminder: 'Reminder',
  cancellation: 'Cancellation',
  sign_in: 'Sign-in link',
};

/** The emails to staff: fixed words (no template), sent through the same ledger. */
export const STAFF_EMAIL_KINDS = ['staff_invite', 'password_reset'] as const;
export type StaffEmailKind = (typeof STAFF_EMAIL_KINDS)[number];

/** Every kind of email the ledger (sent_messages) records. */
export type SentEmailKind = EmailKind | StaffEmailKind;

export const SENT_EMAIL_LABELS: Readonly<Record<SentEmailKind, string>> = {
  ...EMAIL_KIND_LABELS,
  staff_invite: 'Staff invitation',
  password_reset: 'Password reset link',
};
