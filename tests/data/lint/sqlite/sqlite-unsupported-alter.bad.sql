-- rework units: rent as numeric, a code, a floor, a listing time
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- expect: sqlite-unsupported-alter
ALTER TABLE units ALTER COLUMN rent TYPE numeric;
-- expect: sqlite-unsupported-alter
ALTER TABLE units ADD CONSTRAINT ck_units_rent CHECK (rent >= 0);
-- expect: sqlite-unsupported-alter
ALTER TABLE units ADD COLUMN code text UNIQUE;
-- expect: sqlite-unsupported-alter
ALTER TABLE units ADD COLUMN floor integer NOT NULL;
-- expect: sqlite-unsupported-alter
ALTER TABLE units ADD COLUMN listed_at text DEFAULT CURRENT_TIMESTAMP;
CREATE TABLE viewings (
    id integer PRIMARY KEY,
    unit_id integer NOT NULL,
    at text NOT NULL
);
CREATE INDEX ix_viewings_unit_id ON viewings (unit_id);
-- migrator:destructive
-- expect: sqlite-unsupported-alter
ALTER TABLE viewings DROP COLUMN unit_id;

-- migrate:downgrade
DROP TABLE viewings;
ALTER TABLE units DROP COLUMN listed_at;
ALTER TABLE units DROP COLUMN floor;
ALTER TABLE units DROP COLUMN code;
