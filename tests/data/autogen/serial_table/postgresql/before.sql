CREATE TABLE sites (
    id integer PRIMARY KEY
);
