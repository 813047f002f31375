-- A default changed, one added, one removed.
CREATE TABLE tasks (
    id integer PRIMARY KEY,
    status varchar(20) NOT NULL DEFAULT 'new',
    priority integer DEFAULT 3,
    done integer
);
