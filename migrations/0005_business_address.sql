-- Up Migration
-- The business's postal address, kept with its other contact details (Settings › Business in
-- the admin app). Empty until set.
ALTER TABLE business_settings ADD COLUMN address text NOT NULL DEFAULT '';

-- Down Migration
ALTER TABLE business_settings DROP COLUMN address;
