-- The same columns with unnamed constraints.
CREATE TABLE parents (
    id integer PRIMARY KEY
);

CREATE TABLE lines (
    id integer PRIMARY KEY,
    parent_id integer REFERENCES parents (id),
    code varchar(10) UNIQUE,
    qty integer CHECK (qty > 0)
);
