-- rents are positive, checked for new rows now and validated later
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE units ADD CONSTRAINT units_rent_positive CHECK (rent > 0)
    NOT VALID;

-- migrate:downgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE units DROP CONSTRAINT units_rent_positive;
