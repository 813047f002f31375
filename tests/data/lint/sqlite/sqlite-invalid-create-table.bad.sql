-- tenants, their tags and notes
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- expect: sqlite-invalid-create-table
CREATE TABLE tenants (
    id INT PRIMARY KEY AUTOINCREMENT,
    name text NOT NULL
);
-- expect: sqlite-invalid-create-table
CREATE TABLE tenant_tags (
    tenant_id integer NOT NULL REFERENCES tenants (id),
    tag text NOT NULL
) WITHOUT ROWID;
-- expect: sqlite-invalid-create-table
CREATE TABLE tenant_notes (
    id integer PRIMARY KEY,
    tenant_id integer NOT NULL REFERENCES tenants (id),
    body varchar(200) NOT NULL
) STRICT;

-- migrate:downgrade
DROP TABLE tenant_notes;
DROP TABLE tenant_tags;
DROP TABLE tenants;
