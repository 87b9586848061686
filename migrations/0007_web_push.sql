-- Up Migration
-- Web push (DESIGN §4): each new notification queues a `send_push` job in the same
-- transaction; the job sends it to every device the person subscribed, once per device (a
-- ledger row in sent_messages, kind 'push', event key '<notification>:<subscription>').

-- The VAPID key pair the pushes are signed with, when the environment gives none: made once,
-- kept here, so subscriptions stay valid across restarts.
CREATE TABLE push_vapid_keys (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  public_key text NOT NULL,
  private_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One subscription per device and person: the app makes a device id once and keeps it; a new
-- subscription from the same device replaces the old one.
ALTER TABLE push_subscriptions ADD COLUMN device_id uuid;
UPDATE push_subscriptions SET device_id = gen_random_uuid();
ALTER TABLE push_subscriptions ALTER COLUMN device_id SET NOT NULL;
CREATE UNIQUE INDEX push_subscriptions_device_key ON push_subscriptions (user_id, device_id);

ALTER TABLE sent_messages DROP CONSTRAINT sent_messages_kind_check;
ALTER TABLE sent_messages ADD CONSTRAINT sent_messages_kind_check CHECK (
  kind IN ('confirmation', 'reminder', 'cancellation', 'sign_in', 'staff_invite', 'password_reset', 'push'));

CREATE FUNCTION notifications_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM graphile_worker.add_job('send_push', json_build_object('notificationId', NEW.id),
    job_key := 'push:' || NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER notifications_push AFTER INSERT ON notifications
  FOR EACH ROW EXECUTE FUNCTION notifications_after_insert();

-- Down Migration
DROP TRIGGER notifications_push ON notifications;
DROP FUNCTION notifications_after_insert();
DELETE FROM sent_messages WHERE kind = 'push';
ALTER TABLE sent_messages DROP CONSTRAINT sent_messages_kind_check;
ALTER TABLE sent_messages ADD CONSTRAINT sent_messages_kind_check
  CHECK (kind IN ('confirmation', 'reminder', 'cancellation', 'sign_in', 'staff_invite', 'password_reset'));
DROP INDEX push_subscriptions_device_key;
ALTER TABLE push_subscriptions DROP COLUMN device_id;
DROP TABLE push_vapid_keys;
