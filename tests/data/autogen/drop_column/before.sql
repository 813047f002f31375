-- The dropped columns come last, where a downgrade adds them back.
CREATE TABLE items (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL,
    legacy varchar(40),
    old_qty integer DEFAULT 0
);
CREATE INDEX ix_items_legacy ON items (legacy);
