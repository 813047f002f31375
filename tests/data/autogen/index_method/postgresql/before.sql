CREATE TABLE docs (
    id integer PRIMARY KEY,
    tags text[] NOT NULL DEFAULT '{}',
    body jsonb,
    code varchar(20)
);
