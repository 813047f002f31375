-- foreign keys off for the rebuilds that follow
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- expect: foreign-keys-pragma-in-transaction
PRAGMA foreign_keys = OFF;

-- migrate:downgrade
-- expect: foreign-keys-pragma-in-transaction
PRAGMA foreign_keys = ON;
