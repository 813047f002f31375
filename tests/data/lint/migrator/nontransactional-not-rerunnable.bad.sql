-- index outside a transaction
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade transaction=false
-- expect: nontransactional-not-rerunnable
CREATE INDEX ix_notes_body ON notes (body);

-- migrate:downgrade transaction=false
-- expect: nontransactional-not-rerunnable
DROP INDEX ix_notes_body;
