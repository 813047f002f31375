-- start an archive copy of units on the archive disk
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
CREATE TABLE units_archive (LIKE units INCLUDING ALL) TABLESPACE archive;

-- migrate:downgrade
DROP TABLE units_archive;
