-- Up Migration
-- Postgres triggers drive every email and notification (DESIGN §4): a change to a booking,
-- whether it came through the API or a plain SQL UPDATE, writes its audit event, the
-- fieldworker's notification and its jobs in the same transaction.
--
-- Who made a change is read from transaction-local settings the API sets
-- (set_config('app.actor_role', …, true) and friends, see server/db/actor.ts); a change
-- with none of them is recorded as role 'system', channel 'sql'.

-- The ledger of sent messages: graphile-worker runs a job at least once, so each email task
-- claims its row here (unique per booking, kind and event) and skips what was sent already.
-- Its id is the stable Message-ID of the email.
CREATE TABLE sent_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id uuid REFERENCES bookings (id) ON DELETE CASCADE,
  customer_id uuid REFERENCES customers (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('confirmation', 'reminder', 'cancellation', 'sign_in')),
  event_key text NOT NULL,
  recipient text NOT NULL,
  subject text NOT NULL DEFAULT '',
  -- pending → sending (one run holds it until lease_until) → sent | failed; back to pending on a retryable error.
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  lease_until timestamptz,
  lease_job_id text,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  failed_at timestamptz,
  UNIQUE NULLS NOT DISTINCT (booking_id, kind, event_key)
);
CREATE INDEX sent_messages_failed_idx ON sent_messages (failed_at DESC) WHERE status = 'failed';

-- The job workers this installation has run, so a server that starts after one was killed
-- can free the jobs that worker left locked (graphile-worker would wait hours otherwise).
-- A live worker holds a session advisory lock on hashtext('job-worker:' || worker_id).
CREATE TABLE job_workers (
  worker_id text PRIMARY KEY,
  started_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION app_setting(name text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('app.' || name, true), '')
$$;

-- Defaults a plain SQL cancellation needs (the API fills these itself), and a clean slate
-- when a booking leaves 'cancelled', so a later cancel never inherits an old actor or fee.
CREATE FUNCTION bookings_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    NEW.updated_at := now();
    IF OLD.status = 'cancelled' AND NEW.status <> 'cancelled' THEN
      NEW.cancelled_at := NULL;
      NEW.cancelled_by_role := NULL;
      NEW.cancelled_by_user_id := NULL;
      NEW.cancelled_by_customer_id := NULL;
      NEW.cancel_channel := NULL;
      NEW.cancel_comment := NULL;
      NEW.cancel_fee_id := NULL;
      NEW.cancel_fee_name := NULL;
      NEW.cancel_fee_minor := NULL;
      NEW.cancel_fee_tax_minor := NULL;
    END IF;
  END IF;
  IF NEW.status = 'cancelled' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'cancelled') THEN
    NEW.cancelled_at := coalesce(NEW.cancelled_at, now());
    NEW.cancelled_by_role := coalesce(NEW.cancelled_by_role, app_setting('actor_role'), 'system');
    NEW.cancelled_by_user_id := coalesce(NEW.cancelled_by_user_id, app_setting('actor_user_id')::uuid);
    NEW.cancelled_by_customer_id := coalesce(NEW.cancelled_by_customer_id, app_setting('actor_customer_id')::uuid);
    NEW.cancel_channel := coalesce(NEW.cancel_channel, app_setting('channel'), 'sql');
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER bookings_before_write BEFORE INSERT OR UPDATE ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_before_write();

-- The reminder job: one per booking (job_key), at starts_at − reminder_hours; replaced on
-- reschedule, removed when the booking can no longer happen or the time has passed.
CREATE FUNCTION schedule_booking_reminder(b bookings) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  remind_at timestamptz;
BEGIN
  SELECT b.starts_at - make_interval(hours => s.reminder_hours) INTO remind_at FROM business_settings s;
  IF b.status IN ('scheduled', 'confirmed') AND remind_at > now() THEN
    PERFORM graphile_worker.add_job(
      'send_reminder_email',
      json_build_object('bookingId', b.id, 'eventKey', floor(extract(epoch FROM b.starts_at))::bigint::text),
      run_at := remind_at,
      job_key := 'reminder:' || b.id);
  ELSE
    PERFORM graphile_worker.remove_job('reminder:' || b.id);
  END IF;
END $$;

CREATE FUNCTION notify_fieldworker(user_id uuid, b bookings, kind text, title text, body text)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO notifications (user_id, booking_id, kind, title, body)
  SELECT user_id, b.id, kind, title, body WHERE user_id IS NOT NULL
$$;

CREATE FUNCTION bookings_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor_role text := coalesce(app_setting('actor_role'), 'system');
  actor_user uuid := app_setting('actor_user_id')::uuid;
  actor_customer uuid := app_setting('actor_customer_id')::uuid;
  channel text := coalesce(app_setting('channel'), 'sql');
  client_at timestamptz := app_setting('client_at')::timestamptz;
  write_id uuid := app_setting('write_id')::uuid;
  event_id bigint;
  service_name text;
  when_text text;
BEGIN
  SELECT s.name INTO service_name FROM services s WHERE s.id = NEW.service_id;
  SELECT to_char(NEW.starts_at AT TIME ZONE b.time_zone, 'Dy Mon FMDD, FMHH12:MI AM') INTO when_text
    FROM business_settings b;

  IF TG_OP = 'INSERT' THEN
    INSERT INTO booking_events (booking_id, kind, to_status, actor_role, actor_user_id, actor_customer_id,
                                channel, client_at, write_id)
    VALUES (NEW.id, 'created', NEW.status, actor_role, actor_user, actor_customer, channel, client_at, write_id);
    -- Demo data is seeded as bookings made before: no confirmation emails for it.
    IF NEW.status IN ('scheduled', 'confirmed') AND app_setting('seeding') IS NULL THEN
      PERFORM graphile_worker.add_job('send_confirmation_email',
        json_build_object('bookingId', NEW.id, 'eventKey', 'created'), job_key := 'confirmation:' || NEW.id);
    END IF;
    PERFORM schedule_booking_reminder(NEW);
    RETURN NULL;
  END IF;

  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF NEW.status = 'cancelled' THEN
      INSERT INTO booking_events (booking_id, kind, from_status, to_status, actor_role, actor_user_id,
                                  actor_customer_id, channel, client_at, comment, fee_id, fee_name, fee_minor,
                                  fee_tax_minor, write_id)
      VALUES (NEW.id, 'cancelled', OLD.status, NEW.status, NEW.cancelled_by_role, NEW.cancelled_by_user_id,
              NEW.cancelled_by_customer_id, NEW.cancel_channel, client_at, NEW.cancel_comment, NEW.cancel_fee_id,
              NEW.cancel_fee_name, NEW.cancel_fee_minor, NEW.cancel_fee_tax_minor, write_id)
      RETURNING id INTO event_id;
      PERFORM graphile_worker.add_job('send_cancellation_email',
        json_build_object('bookingId', NEW.id, 'eventKey', event_id::text),
        job_key := 'cancellation:' || NEW.id || ':' || event_id);
      PERFORM notify_fieldworker(NEW.fieldworker_id, NEW, 'booking_cancelled', 'Booking cancelled',
        service_name || ' on ' || when_text || ' at ' || NEW.address || ' was cancelled.');
    ELSE
      INSERT INTO booking_events (booking_id, kind, from_status, to_status, actor_role, actor_user_id,
                                  actor_customer_id, channel, client_at, write_id)
      VALUES (NEW.id, 'status_changed', OLD.status, NEW.status, actor_role, actor_user, actor_customer, channel,
              client_at, write_id);
      -- A request the office has now scheduled is confirmed to the customer.
      IF OLD.status = 'requested' AND NEW.status IN ('scheduled', 'confirmed') THEN
        PERFORM graphile_worker.add_job('send_confirmation_email',
          json_build_object('bookingId', NEW.id, 'eventKey', 'created'), job_key := 'confirmation:' || NEW.id);
      END IF;
    END IF;
  END IF;

  IF NEW.starts_at IS DISTINCT FROM OLD.starts_at OR NEW.ends_at IS DISTINCT FROM OLD.ends_at THEN
    INSERT INTO booking_events (booking_id, kind, actor_role, actor_user_id, actor_customer_id, channel,
                                client_at, write_id, details)
    VALUES (NEW.id, 'rescheduled', actor_role, actor_user, actor_customer, channel, client_at, write_id,
            jsonb_build_object('from', OLD.starts_at, 'to', NEW.starts_at));
    IF NEW.status <> 'cancelled' THEN
      PERFORM notify_fieldworker(NEW.fieldworker_id, NEW, 'booking_rescheduled', 'Booking rescheduled',
        service_name || ' at ' || NEW.address || ' is now on ' || when_text || '.');
    END IF;
  END IF;

  IF NEW.fieldworker_id IS DISTINCT FROM OLD.fieldworker_id THEN
    INSERT INTO booking_events (booking_id, kind, actor_role, actor_user_id, actor_customer_id, channel,
                                client_at, write_id, details)
    VALUES (NEW.id, 'reassigned', actor_role, actor_user, actor_customer, channel, client_at, write_id,
            jsonb_build_object('from', OLD.fieldworker_id, 'to', NEW.fieldworker_id));
    IF NEW.status <> 'cancelled' THEN
      PERFORM notify_fieldworker(NEW.fieldworker_id, NEW, 'booking_assigned', 'New booking for you',
        service_name || ' on ' || when_text || ' at ' || NEW.address || ' is now yours.');
      PERFORM notify_fieldworker(OLD.fieldworker_id, NEW, 'booking_reassigned', 'Booking reassigned',
        service_name || ' on ' || when_text || ' at ' || NEW.address || ' went to someone else.');
    END IF;
  END IF;

  IF NEW.status IS DISTINCT FROM OLD.status OR NEW.starts_at IS DISTINCT FROM OLD.starts_at THEN
    PERFORM schedule_booking_reminder(NEW);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER bookings_after_write AFTER INSERT OR UPDATE ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_after_write();

-- A new reminder_hours moves every reminder still to come.
CREATE FUNCTION business_settings_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM schedule_booking_reminder(b) FROM bookings b
    WHERE b.status IN ('scheduled', 'confirmed') AND b.starts_at > now();
  RETURN NULL;
END $$;
CREATE TRIGGER business_settings_reminder_hours AFTER UPDATE OF reminder_hours ON business_settings
  FOR EACH ROW WHEN (OLD.reminder_hours IS DISTINCT FROM NEW.reminder_hours)
  EXECUTE FUNCTION business_settings_after_update();

-- Down Migration
DROP TRIGGER business_settings_reminder_hours ON business_settings;
DROP FUNCTION business_settings_after_update();
DROP TRIGGER bookings_after_write ON bookings;
DROP TRIGGER bookings_before_write ON bookings;
DROP FUNCTION bookings_after_write(), notify_fieldworker(uuid, bookings, text, text, text),
  schedule_booking_reminder(bookings), bookings_before_write(), app_setting(text);
DROP TABLE job_workers, sent_messages;
