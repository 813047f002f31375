-- retire the reports database
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade transaction=false
-- expect: ban-drop-database
DROP DATABASE IF EXISTS legacy_reports;

-- migrate:downgrade transaction=false
CREATE DATABASE legacy_reports;
