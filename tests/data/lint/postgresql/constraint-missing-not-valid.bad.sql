-- rents are positive
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
-- expect: constraint-missing-not-valid
ALTER TABLE units ADD CONSTRAINT units_rent_positive CHECK (rent > 0);
ALTER TABLE units ADD CONSTRAINT units_rooms_positive CHECK (rooms > 0)
    NOT VALID;
-- expect: constraint-missing-not-valid
ALTER TABLE units VALIDATE CONSTRAINT units_rooms_positive;

-- migrate:downgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE units DROP CONSTRAINT units_rooms_positive;
ALTER TABLE units DROP CONSTRAINT units_rent_positive;
