-- parents changes in a way SQLite cannot ALTER: its table is rebuilt
-- while children refer to it with ON DELETE CASCADE.
CREATE TABLE parents (
    id integer PRIMARY KEY,
    name varchar(100)
);

CREATE TABLE children (
    id integer PRIMARY KEY,
    parent_id integer NOT NULL REFERENCES parents (id) ON DELETE CASCADE,
    name varchar(100) NOT NULL
);
CREATE INDEX ix_children_parent_id ON children (parent_id);
