CREATE TABLE parents (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL
);

CREATE TABLE children (
    id integer PRIMARY KEY,
    parent_id integer NOT NULL,
    name varchar(100) NOT NULL,
    CONSTRAINT fk_children_parent_id_parents FOREIGN KEY (parent_id)
        REFERENCES parents (id) ON DELETE CASCADE
);
