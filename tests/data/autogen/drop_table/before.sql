CREATE TABLE owners (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL
);

CREATE TABLE pets (
    id integer PRIMARY KEY,
    owner_id integer NOT NULL REFERENCES owners (id),
    name varchar(100) NOT NULL
);
CREATE INDEX ix_pets_owner_id ON pets (owner_id);
