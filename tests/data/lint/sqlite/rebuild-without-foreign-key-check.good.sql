-- units: rent required
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
CREATE TABLE _migrator_new_units (
    id integer PRIMARY KEY,
    property_id integer NOT NULL REFERENCES properties (id),
    rent numeric NOT NULL DEFAULT 0
);
INSERT INTO _migrator_new_units (id, property_id, rent)
    SELECT id, property_id, coalesce(rent, 0) FROM units;
-- migrator:destructive
DROP TABLE units;
ALTER TABLE _migrator_new_units RENAME TO units;
CREATE INDEX ix_units_property_id ON units (property_id);
PRAGMA foreign_key_check(units);

-- migrate:downgrade
SELECT 1;
