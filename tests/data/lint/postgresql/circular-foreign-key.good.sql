-- owners and their properties, the main one marked on the property
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
CREATE TABLE owners (id bigint PRIMARY KEY);
CREATE TABLE properties (
    id bigint PRIMARY KEY,
    owner_id bigint NOT NULL REFERENCES owners (id),
    is_main boolean NOT NULL DEFAULT false
);
CREATE INDEX properties_owner_id_idx ON properties (owner_id);

-- migrate:downgrade
DROP TABLE properties;
DROP TABLE owners;
