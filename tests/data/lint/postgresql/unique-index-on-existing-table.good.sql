-- codes of a new table are unique
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
CREATE TABLE unit_codes (unit_id bigint PRIMARY KEY, code text NOT NULL);
CREATE UNIQUE INDEX unit_codes_code_key ON unit_codes (code);

-- migrate:downgrade
DROP TABLE unit_codes;
