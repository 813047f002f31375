-- rename and backfill
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
ALTER TABLE notes ADD COLUMN author text;
-- expect: mixed-ddl-dml
UPDATE notes
   SET author = 'nobody';

-- migrate:downgrade
ALTER TABLE notes DROP COLUMN author;
