-- seed a new table
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
CREATE TABLE kinds (id integer PRIMARY KEY, name text);
INSERT INTO kinds (id, name) VALUES (1, 'flat');

-- migrate:downgrade
DROP TABLE kinds;
