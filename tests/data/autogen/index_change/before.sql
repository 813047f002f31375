CREATE TABLE events (
    id integer PRIMARY KEY,
    kind varchar(20) NOT NULL,
    created_at timestamp NOT NULL
);
CREATE INDEX ix_events_kind ON events (kind);
