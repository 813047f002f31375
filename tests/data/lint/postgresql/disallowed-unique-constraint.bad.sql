-- unit codes are unique
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
-- expect: disallowed-unique-constraint
ALTER TABLE units ADD CONSTRAINT units_code_key UNIQUE (code);

-- migrate:downgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE units DROP CONSTRAINT units_code_key;
