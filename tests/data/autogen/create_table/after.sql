CREATE TABLE owners (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL
);

CREATE TABLE pets (
    id integer PRIMARY KEY,
    owner_id integer NOT NULL REFERENCES owners (id),
    name varchar(100) NOT NULL,
    kind varchar(20) NOT NULL DEFAULT 'cat',
    born date,
    CONSTRAINT ck_pets_kind CHECK (kind IN ('cat', 'dog')),
    CONSTRAINT uq_pets_owner_id UNIQUE (owner_id, name)
);
CREATE INDEX ix_pets_name ON pets (name);
