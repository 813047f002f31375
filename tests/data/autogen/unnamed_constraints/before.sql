CREATE TABLE parents (
    id integer PRIMARY KEY
);

CREATE TABLE lines (
    id integer PRIMARY KEY,
    parent_id integer,
    code varchar(10),
    qty integer
);
