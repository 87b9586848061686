-- Up Migration
-- A booking's status moves only along shared/booking-status.ts's transition table, whoever
-- changes it: the API, a job, or a plain SQL UPDATE. The allowed pairs live in that one
-- TypeScript table; server/db/status-transitions.ts writes them into
-- booking_status_transitions after every migration run, and this trigger refuses any other
-- change with SQLSTATE BK001 (DETAIL is JSON {"from","to"}; shared/outcomes.ts has its sentence).

CREATE TABLE booking_status_transitions (
  from_status text NOT NULL,
  to_status text NOT NULL,
  PRIMARY KEY (from_status, to_status)
);

CREATE FUNCTION bookings_refuse_illegal_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT EXISTS (
    SELECT 1 FROM booking_status_transitions t WHERE t.from_status = OLD.status AND t.to_status = NEW.status
  ) THEN
    RAISE EXCEPTION 'booking % cannot change from % to %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'BK001', DETAIL = json_build_object('from', OLD.status, 'to', NEW.status)::text;
  END IF;
  RETURN NEW;
END $$;
-- BEFORE triggers run in name order: this one ("a_") before bookings_before_write fills anything in.
CREATE TRIGGER bookings_a_refuse_illegal_transition BEFORE UPDATE OF status ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_refuse_illegal_transition();

-- A cancelled booking stays cancelled now, so the clean slate for one leaving 'cancelled' goes.
CREATE OR REPLACE FUNCTION bookings_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    NEW.updated_at := now();
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

-- Down Migration
DROP TRIGGER bookings_a_refuse_illegal_transition ON bookings;
DROP FUNCTION bookings_refuse_illegal_transition();
DROP TABLE booking_status_transitions;
-- 0002's version again: with un-cancelling possible, a booking leaving 'cancelled' gets a clean slate.
CREATE OR REPLACE FUNCTION bookings_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
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
