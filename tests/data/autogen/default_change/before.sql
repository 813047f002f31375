CREATE TABLE tasks (
    id integer PRIMARY KEY,
    status varchar(20) NOT NULL DEFAULT 'open',
    priority integer,
    done integer DEFAULT 0
);
