-- name becomes NOT NULL, email nullable.
CREATE TABLE people (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL,
    email varchar(200)
);
