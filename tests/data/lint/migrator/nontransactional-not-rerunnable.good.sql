-- index outside a transaction, re-runnable
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade transaction=false
CREATE INDEX IF NOT EXISTS ix_notes_body ON notes (body);

-- migrate:downgrade transaction=false
DROP INDEX IF EXISTS ix_notes_body;
