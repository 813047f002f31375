CREATE TABLE people (
    id integer PRIMARY KEY,
    name varchar(100),
    email varchar(200) NOT NULL
);
