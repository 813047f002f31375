-- rework units: rent as numeric, a code, a floor, a listing time
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
CREATE TABLE _migrator_new_units (
    id integer PRIMARY KEY,
    property_id integer NOT NULL REFERENCES properties (id),
    rent numeric CHECK (rent >= 0)
);
INSERT INTO _migrator_new_units (id, property_id, rent)
    SELECT id, property_id, rent FROM units;
-- migrator:destructive
DROP TABLE units;
ALTER TABLE _migrator_new_units RENAME TO units;
CREATE INDEX ix_units_property_id ON units (property_id);
PRAGMA foreign_key_check(units);
ALTER TABLE units ADD COLUMN code text;
CREATE UNIQUE INDEX ux_units_code ON units (code);
ALTER TABLE units ADD COLUMN floor integer NOT NULL DEFAULT 0;
ALTER TABLE units ADD COLUMN listed_at text;
CREATE TABLE viewings (
    id integer PRIMARY KEY,
    unit_id integer NOT NULL,
    at text NOT NULL
);
CREATE INDEX ix_viewings_unit_id ON viewings (unit_id);
DROP INDEX ix_viewings_unit_id;
-- migrator:destructive
ALTER TABLE viewings DROP COLUMN unit_id;

-- migrate:downgrade
DROP TABLE viewings;
DROP INDEX ux_units_code;
ALTER TABLE units DROP COLUMN listed_at;
ALTER TABLE units DROP COLUMN floor;
ALTER TABLE units DROP COLUMN code;
