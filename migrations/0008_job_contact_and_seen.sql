-- Up Migration
-- What a fieldworker's job needs of its customer, on the booking itself: a fieldworker syncs
-- their bookings only, never the customers table (DESIGN §3: one shape per table and role), so
-- the customer's first name and phone are copied onto each booking and kept in step.
ALTER TABLE bookings ADD COLUMN customer_first_name text NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN customer_phone text;
-- When the fieldworker acknowledged the cancellation of this job ("Got it" in their app); a
-- fieldworker who cancelled it themselves saw it then.
ALTER TABLE bookings ADD COLUMN cancel_seen_at timestamptz;
-- The office is warned about a cancellation of a job starting within 24 hours that its
-- fieldworker has not acknowledged after this many minutes.
ALTER TABLE business_settings ADD COLUMN unseen_cancel_alert_minutes integer NOT NULL DEFAULT 15
  CHECK (unseen_cancel_alert_minutes BETWEEN 1 AND 1440);

UPDATE bookings b SET customer_first_name = split_part(btrim(c.name), ' ', 1), customer_phone = c.phone
  FROM customers c WHERE c.id = b.customer_id;

CREATE FUNCTION bookings_fill_job_details() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.customer_id IS DISTINCT FROM OLD.customer_id THEN
    SELECT split_part(btrim(c.name), ' ', 1), c.phone INTO NEW.customer_first_name, NEW.customer_phone
      FROM customers c WHERE c.id = NEW.customer_id;
    NEW.customer_first_name := coalesce(NEW.customer_first_name, '');
  END IF;
  IF NEW.status = 'cancelled' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'cancelled')
     AND coalesce(NEW.cancelled_by_role, app_setting('actor_role')) = 'fieldworker' THEN
    NEW.cancel_seen_at := coalesce(NEW.cancel_seen_at, NEW.cancelled_at, now());
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER bookings_b_fill_job_details BEFORE INSERT OR UPDATE ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_fill_job_details();

CREATE FUNCTION customers_copy_contact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE bookings SET customer_first_name = split_part(btrim(NEW.name), ' ', 1), customer_phone = NEW.phone
   WHERE customer_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER customers_copy_contact AFTER UPDATE OF name, phone ON customers
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.phone IS DISTINCT FROM NEW.phone)
  EXECUTE FUNCTION customers_copy_contact();

-- Down Migration
DROP TRIGGER customers_copy_contact ON customers;
DROP FUNCTION customers_copy_contact();
DROP TRIGGER bookings_b_fill_job_details ON bookings;
DROP FUNCTION bookings_fill_job_details();
ALTER TABLE business_settings DROP COLUMN unseen_cancel_alert_minutes;
ALTER TABLE bookings DROP COLUMN cancel_seen_at, DROP COLUMN customer_phone, DROP COLUMN customer_first_name;
