-- archive old units
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
ALTER TYPE unit_status ADD VALUE 'archived';
-- expect: enum-value-used-in-same-transaction
UPDATE units SET status = 'archived'
 WHERE vacated_at < now() - interval '5 years';

-- migrate:downgrade
UPDATE units SET status = 'vacant' WHERE status = 'archived';
