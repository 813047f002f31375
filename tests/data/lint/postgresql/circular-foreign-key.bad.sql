-- owners and their properties
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
CREATE TABLE owners (id bigint PRIMARY KEY, main_property_id bigint);
CREATE TABLE properties (
    id bigint PRIMARY KEY,
    owner_id bigint NOT NULL REFERENCES owners (id)
);
CREATE INDEX properties_owner_id_idx ON properties (owner_id);
CREATE INDEX owners_main_property_id_idx ON owners (main_property_id);
-- expect: circular-foreign-key
ALTER TABLE owners ADD CONSTRAINT owners_main_property_fk
    FOREIGN KEY (main_property_id) REFERENCES properties (id);

-- migrate:downgrade
DROP TABLE properties, owners;
