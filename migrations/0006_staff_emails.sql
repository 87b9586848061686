-- Up Migration
-- Emails to staff go through the ledger too, so each goes out once and a failed one shows in
-- Emails › Failed: the invitation to set a password (Staff › Invite) and the password reset
-- link. Neither is about a booking or a customer.
ALTER TABLE sent_messages DROP CONSTRAINT sent_messages_kind_check;
ALTER TABLE sent_messages ADD CONSTRAINT sent_messages_kind_check
  CHECK (kind IN ('confirmation', 'reminder', 'cancellation', 'sign_in', 'staff_invite', 'password_reset'));

-- Down Migration
DELETE FROM sent_messages WHERE kind IN ('staff_invite', 'password_reset');
ALTER TABLE sent_messages DROP CONSTRAINT sent_messages_kind_check;
ALTER TABLE sent_messages ADD CONSTRAINT sent_messages_kind_check
  CHECK (kind IN ('confirmation', 'reminder', 'cancellation', 'sign_in'));
