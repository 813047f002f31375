-- create maintenance requests
--
-- Revision ID: b2e8f0a4c6d3
-- Revises: 8d4f2b6a9e10
-- Create Date: 2026-11-24 09:25:00.000000
-- Branch Labels: maintenance

-- migrate:upgrade
CREATE TABLE maintenance_requests (
    id integer PRIMARY KEY,
    unit_id integer NOT NULL REFERENCES units (id),
    description varchar(2000) NOT NULL,
    status varchar(20) NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'in_progress', 'done')),
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ix_maintenance_requests_unit_id ON maintenance_requests (unit_id);

-- migrate:downgrade
DROP INDEX ix_maintenance_requests_unit_id;
DROP TABLE maintenance_requests;
