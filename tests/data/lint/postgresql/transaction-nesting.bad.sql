-- notes about units
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- expect: transaction-nesting
BEGIN;
CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);
-- expect: transaction-nesting
COMMIT;

-- migrate:downgrade
DROP TABLE notes;
