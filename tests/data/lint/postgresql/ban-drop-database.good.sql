-- close the reports database to connections
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
REVOKE CONNECT ON DATABASE legacy_reports FROM PUBLIC;

-- migrate:downgrade
GRANT CONNECT ON DATABASE legacy_reports TO PUBLIC;
