-- create properties
--
-- Revision ID: 1a2b3c4d5e6f
-- Revises:
-- Create Date: 2026-11-24 09:00:00.000000

-- migrate:upgrade
CREATE TABLE properties (
    id integer PRIMARY KEY,
    address text NOT NULL,
    price numeric(12, 2)
);

-- migrate:downgrade
DROP TABLE properties;
