-- rooms have a name, as text with a length check
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
CREATE TABLE rooms (
    unit_id bigint PRIMARY KEY,
    name text NOT NULL CHECK (length(name) <= 100)
);

-- migrate:downgrade
DROP TABLE rooms;
