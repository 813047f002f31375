CREATE TABLE users (
    id integer PRIMARY KEY,
    email varchar(200) NOT NULL,
    login varchar(40),
    active integer NOT NULL DEFAULT 1,
    created_at timestamp
);

CREATE VIEW active_users AS
    SELECT id, email FROM users WHERE active = 1;

CREATE VIEW active_user_count AS
    SELECT count(*) AS n FROM active_users;
