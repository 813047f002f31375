-- rooms with a serial key
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- expect: prefer-identity
CREATE TABLE rooms (id bigserial PRIMARY KEY, name text NOT NULL);

-- migrate:downgrade
DROP TABLE rooms;
