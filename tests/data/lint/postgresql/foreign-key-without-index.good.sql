-- leases of units, indexed by unit
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
CREATE TABLE leases (
    id bigint PRIMARY KEY,
    unit_id bigint NOT NULL REFERENCES units (id)
);
CREATE INDEX leases_unit_id_idx ON leases (unit_id);

-- migrate:downgrade
DROP TABLE leases;
