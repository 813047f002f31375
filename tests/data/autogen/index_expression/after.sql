CREATE TABLE users (
    id integer PRIMARY KEY,
    email varchar(200) NOT NULL,
    login varchar(40),
    active integer NOT NULL DEFAULT 1,
    created_at timestamp
);
CREATE INDEX ix_users_lower_email ON users (lower(email));
CREATE INDEX ix_users_created_at ON users (created_at DESC, id);
