-- ignored without a reason
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- expect: lint-ignore
-- migrator:lint-ignore destructive-without-marker
DROP TABLE old_notes;

-- migrate:downgrade
CREATE TABLE old_notes (id integer PRIMARY KEY);
