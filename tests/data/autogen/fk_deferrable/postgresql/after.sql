-- The foreign key becomes deferrable, initially deferred; a new one is
-- deferrable, initially immediate.
CREATE TABLE parents (
    id integer PRIMARY KEY
);

CREATE TABLE children (
    id integer PRIMARY KEY,
    parent_id integer NOT NULL,
    guardian_id integer,
    CONSTRAINT fk_children_parent_id_parents FOREIGN KEY (parent_id)
        REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT fk_children_guardian_id_parents FOREIGN KEY (guardian_id)
        REFERENCES parents (id) ON DELETE SET NULL DEFERRABLE
);
