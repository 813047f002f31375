CREATE TABLE parents (
    id integer PRIMARY KEY
);

CREATE TABLE children (
    id integer PRIMARY KEY,
    parent_id integer NOT NULL,
    guardian_id integer,
    CONSTRAINT fk_children_parent_id_parents FOREIGN KEY (parent_id)
        REFERENCES parents (id)
);
