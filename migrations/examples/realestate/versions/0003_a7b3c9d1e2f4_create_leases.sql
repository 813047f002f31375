-- create leases and lease payments
--
-- Revision ID: a7b3c9d1e2f4
-- Revises: 8d4f2b6a9e10
-- Create Date: 2026-11-24 09:20:00.000000
-- Branch Labels: leasing

-- migrate:upgrade
CREATE TABLE leases (
    id integer PRIMARY KEY,
    unit_id integer NOT NULL REFERENCES units (id),
    tenant_name varchar(200) NOT NULL,
    starts_on date NOT NULL,
    ends_on date,
    monthly_rent numeric(10, 2) NOT NULL CHECK (monthly_rent >= 0)
);
CREATE INDEX ix_leases_unit_id ON leases (unit_id);

CREATE TABLE lease_payments (
    id integer PRIMARY KEY,
    lease_id integer NOT NULL REFERENCES leases (id),
    paid_on date NOT NULL,
    amount numeric(10, 2) NOT NULL
);
CREATE INDEX ix_lease_payments_lease_id ON lease_payments (lease_id);

-- migrate:downgrade
DROP INDEX ix_lease_payments_lease_id;
DROP TABLE lease_payments;
DROP INDEX ix_leases_unit_id;
DROP TABLE leases;
