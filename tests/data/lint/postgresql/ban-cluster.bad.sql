-- order units by their key
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
-- expect: ban-cluster
CLUSTER units USING units_pkey;

-- migrate:downgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE units SET WITHOUT CLUSTER;
