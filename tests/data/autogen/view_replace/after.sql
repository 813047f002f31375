CREATE TABLE users (
    id integer PRIMARY KEY,
    email varchar(200) NOT NULL,
    login varchar(40),
    active integer NOT NULL DEFAULT 1,
    created_at timestamp
);

-- One more column (at the end, so PostgreSQL can replace the view in
-- place) and another condition.
CREATE VIEW active_users AS
    SELECT id, email, login FROM users
    WHERE active = 1 AND login IS NOT NULL;
