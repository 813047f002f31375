-- The real estate dashboard's schema as its revisions leave it at head
-- (versions/0001 to 0008): what `migrator revision --autogenerate` and
-- `migrator check` compare the database with (schema_file in
-- migrator.ini). The same file runs on SQLite and on PostgreSQL.
--
-- Columns are in the order the revisions create them, so that a database
-- built from this file and one migrated to head dump alike.

CREATE TABLE properties (
    id integer PRIMARY KEY,
    name varchar(200) NOT NULL,
    address varchar(400) NOT NULL,
    legacy_price varchar(40),
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    purchase_price numeric(12, 2),
    cap_rate numeric(5, 4)
        CHECK (cap_rate >= 0 AND cap_rate <= 1),
    cash_on_cash_return numeric(7, 4),
    dscr numeric(6, 3)
);

CREATE TABLE units (
    id integer PRIMARY KEY,
    property_id integer NOT NULL REFERENCES properties (id),
    label varchar(40) NOT NULL,
    bedrooms integer NOT NULL DEFAULT 0,
    square_feet integer
);
CREATE INDEX ix_units_property_id ON units (property_id);

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

CREATE TABLE maintenance_requests (
    id integer PRIMARY KEY,
    unit_id integer NOT NULL REFERENCES units (id),
    description varchar(2000) NOT NULL,
    status varchar(20) NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'in_progress', 'done')),
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ix_maintenance_requests_unit_id
    ON maintenance_requests (unit_id);
