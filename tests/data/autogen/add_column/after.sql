-- A nullable column, a NOT NULL one with a default, and one whose default
-- is not a constant (SQLite's ALTER TABLE ADD COLUMN refuses that one).
CREATE TABLE items (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL,
    note varchar(200),
    qty integer NOT NULL DEFAULT 1,
    created_at timestamp DEFAULT CURRENT_TIMESTAMP
);
