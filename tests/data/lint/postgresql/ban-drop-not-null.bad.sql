-- rent becomes optional
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
-- expect: ban-drop-not-null
ALTER TABLE units ALTER COLUMN rent DROP NOT NULL;

-- migrate:downgrade transaction=false
SET lock_timeout = '2s';
ALTER TABLE units ADD CONSTRAINT units_rent_not_null
    CHECK (rent IS NOT NULL) NOT VALID;
ALTER TABLE units VALIDATE CONSTRAINT units_rent_not_null;
ALTER TABLE units ALTER COLUMN rent SET NOT NULL;
ALTER TABLE units DROP CONSTRAINT IF EXISTS units_rent_not_null;
