-- create properties
--
-- Revision ID: 5c1e0a7b3d21
-- Revises:
-- Create Date: 2026-11-24 09:00:00.000000

-- migrate:upgrade
CREATE TABLE properties (
    id integer PRIMARY KEY,
    name varchar(200) NOT NULL,
    address varchar(400) NOT NULL,
    legacy_price varchar(40),
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- migrate:downgrade
DROP TABLE properties;
