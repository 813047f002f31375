-- rooms have a code
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
CREATE TABLE rooms (
    unit_id bigint PRIMARY KEY,
    -- expect: ban-char-field
    code char(4) NOT NULL
);

-- migrate:downgrade
DROP TABLE rooms;
