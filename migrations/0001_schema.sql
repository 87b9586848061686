-- Up Migration
-- The whole first schema. Money is integer minor units beside a currency code; times are
-- timestamptz (UTC), shown in the business's time zone. Migrations are append-only: once a
-- file has landed, change the schema in a new file.

-- One business per installation: a single row, pinned by a boolean primary key.
CREATE TABLE business_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  name text NOT NULL,
  contact_email text NOT NULL,
  contact_phone text NOT NULL,
  time_zone text NOT NULL,
  currency char(3) NOT NULL,
  -- Customer portal: "Allow customers to cancel bookings through the customer portal and email links".
  customer_cancel_enabled boolean NOT NULL DEFAULT false,
  -- Customers may cancel until this many hours before the start (0 = until it starts).
  customer_cancel_cutoff_hours integer NOT NULL DEFAULT 0 CHECK (customer_cancel_cutoff_hours BETWEEN 0 AND 720),
  cancel_comment_required boolean NOT NULL DEFAULT true,
  -- The fee (if any) a customer's cancellation costs when made within customer_fee_window_hours of the start.
  customer_cancel_fee_id uuid,
  customer_fee_window_hours integer NOT NULL DEFAULT 24 CHECK (customer_fee_window_hours BETWEEN 0 AND 720),
  fieldworker_cancel_enabled boolean NOT NULL DEFAULT false,
  reminder_hours integer NOT NULL DEFAULT 24 CHECK (reminder_hours BETWEEN 1 AND 720),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'fieldworker')),
  password_hash text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE customers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  email text NOT NULL,
  phone text,
  address text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_email_key ON customers (lower(email));

CREATE TABLE services (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
  price_minor integer NOT NULL CHECK (price_minor >= 0),
  active boolean NOT NULL DEFAULT true
);

CREATE TABLE fees (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('flat', 'percent')),
  amount_minor integer CHECK (amount_minor >= 0),
  percent_bp integer CHECK (percent_bp BETWEEN 0 AND 10000),
  tax_rate_bp integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'flat' AND amount_minor IS NOT NULL AND percent_bp IS NULL)
      OR (kind = 'percent' AND percent_bp IS NOT NULL AND amount_minor IS NULL))
);
ALTER TABLE business_settings
  ADD CONSTRAINT business_settings_customer_cancel_fee_fkey
  FOREIGN KEY (customer_cancel_fee_id) REFERENCES fees (id) ON DELETE SET NULL;

CREATE TABLE bookings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL REFERENCES customers (id),
  service_id uuid NOT NULL REFERENCES services (id),
  fieldworker_id uuid REFERENCES users (id),
  status text NOT NULL DEFAULT 'scheduled'
    CHECK (status IN ('requested', 'scheduled', 'confirmed', 'in_progress', 'completed', 'cancelled')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  address text NOT NULL,
  notes text NOT NULL DEFAULT '',
  price_minor integer NOT NULL CHECK (price_minor >= 0),
  currency char(3) NOT NULL,
  -- The client-made id of the last write that changed this row: the offline overlay drops
  -- its optimistic copy when the synced row carries its write id.
  last_write_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Cancellation, frozen when it happens (the fee keeps its amount even if the fee changes later).
  cancelled_at timestamptz,
  cancelled_by_role text CHECK (cancelled_by_role IN ('customer', 'admin', 'fieldworker', 'system')),
  cancelled_by_user_id uuid REFERENCES users (id),
  cancelled_by_customer_id uuid REFERENCES customers (id),
  cancel_channel text,
  cancel_comment text,
  cancel_fee_id uuid REFERENCES fees (id) ON DELETE SET NULL,
  cancel_fee_name text,
  cancel_fee_minor integer,
  cancel_fee_tax_minor integer,
  CHECK (ends_at > starts_at),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX bookings_customer_idx ON bookings (customer_id, starts_at);
CREATE INDEX bookings_fieldworker_idx ON bookings (fieldworker_id, starts_at);
CREATE INDEX bookings_starts_at_idx ON bookings (starts_at);

-- The audit trail: one row per thing that happened to a booking.
CREATE TABLE booking_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('created', 'status_changed', 'rescheduled', 'reassigned', 'cancelled')),
  from_status text,
  to_status text,
  actor_role text NOT NULL CHECK (actor_role IN ('customer', 'admin', 'fieldworker', 'system')),
  actor_user_id uuid REFERENCES users (id),
  actor_customer_id uuid REFERENCES customers (id),
  channel text NOT NULL CHECK (channel IN ('portal', 'email_link', 'admin_app', 'field_app', 'sql', 'system')),
  client_at timestamptz,
  server_at timestamptz NOT NULL DEFAULT now(),
  comment text,
  fee_id uuid,
  fee_name text,
  fee_minor integer,
  fee_tax_minor integer,
  write_id uuid,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX booking_events_booking_idx ON booking_events (booking_id, server_at);

CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  booking_id uuid REFERENCES bookings (id) ON DELETE CASCADE,
  kind text NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);

CREATE TABLE push_subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  endpoint text NOT NULL UNIQUE,
  p256dh text NOT NULL,
  auth text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_success_at timestamptz
);

-- Emailed links. Only the SHA-256 of the token is stored: a leaked table opens nothing.
CREATE TABLE link_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash bytea NOT NULL UNIQUE,
  purpose text NOT NULL CHECK (purpose IN ('sign_in', 'view_booking', 'cancel_booking')),
  customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  booking_id uuid REFERENCES bookings (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((purpose = 'sign_in') = (booking_id IS NULL))
);

-- Server-side sessions; the cookie holds a random token, the table its SHA-256.
CREATE TABLE sessions (
  token_hash bytea PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('admin', 'fieldworker', 'customer')),
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  customer_id uuid REFERENCES customers (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CHECK ((role = 'customer') = (customer_id IS NOT NULL AND user_id IS NULL)),
  CHECK ((role <> 'customer') = (user_id IS NOT NULL AND customer_id IS NULL))
);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE email_templates (
  kind text PRIMARY KEY CHECK (kind IN ('confirmation', 'reminder', 'cancellation', 'sign_in')),
  subject text NOT NULL,
  body_html text NOT NULL,
  body_text text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- What the built-in dev mailbox (an SMTP listener used when SMTP_URL is unset) received.
CREATE TABLE dev_mailbox_messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id text,
  mail_from text NOT NULL,
  mail_to text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- Idempotency for client writes: a write id is claimed once, in the same transaction as
-- the change; a repeat gets the first answer back, a different payload is refused.
CREATE TABLE write_claims (
  write_id uuid PRIMARY KEY,
  payload_hash text NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE write_claims, dev_mailbox_messages, email_templates, sessions, link_tokens,
  push_subscriptions, notifications, booking_events, bookings, business_settings, fees,
  services, customers, users;
