-- Up Migration
-- One-time links to set a staff password (`npm run create-admin -- --link`, or without a
-- terminal): the link carries a random 256-bit token, the table keeps only its SHA-256, so a
-- leaked table sets no password. A link works once, until it expires.
CREATE TABLE staff_password_tokens (
  token_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_password_tokens_user_idx ON staff_password_tokens (user_id);

-- Down Migration
DROP TABLE staff_password_tokens;
