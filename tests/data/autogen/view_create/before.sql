CREATE TABLE users (
    id integer PRIMARY KEY,
    email varchar(200) NOT NULL,
    login varchar(40),
    active integer NOT NULL DEFAULT 1,
    created_at timestamp
);
