-- add owner
--
-- Revision ID: 9b1c0d2e4f56
-- Revises: 1a2b3c4d5e6f
-- Create Date: 2026-11-24 09:10:00.000000

-- migrate:upgrade
ALTER TABLE properties ADD COLUMN owner text;
CREATE INDEX ix_properties_owner ON properties (owner);

-- migrate:downgrade
DROP INDEX ix_properties_owner;
ALTER TABLE properties DROP COLUMN owner;
