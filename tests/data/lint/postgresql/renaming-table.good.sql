-- show units as apartments too
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
CREATE VIEW apartments AS SELECT * FROM units;

-- migrate:downgrade
DROP VIEW apartments;
