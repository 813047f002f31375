CREATE TABLE events (
    id integer NOT NULL,
    name text,
    CONSTRAINT pk_events PRIMARY KEY (id)
);
