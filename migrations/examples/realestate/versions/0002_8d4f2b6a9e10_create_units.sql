-- create units
--
-- Units of a property; the foreign key is indexed, as every foreign key
-- that is joined on should be.
--
-- Revision ID: 8d4f2b6a9e10
-- Revises: 5c1e0a7b3d21
-- Create Date: 2026-11-24 09:10:00.000000

-- migrate:upgrade
CREATE TABLE units (
    id integer PRIMARY KEY,
    property_id integer NOT NULL REFERENCES properties (id),
    label varchar(40) NOT NULL,
    bedrooms integer NOT NULL DEFAULT 0,
    square_feet integer
);
CREATE INDEX ix_units_property_id ON units (property_id);

-- migrate:downgrade
DROP INDEX ix_units_property_id;
DROP TABLE units;
