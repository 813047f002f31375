-- ix_events_kind keeps its name and gains a column.
CREATE TABLE events (
    id integer PRIMARY KEY,
    kind varchar(20) NOT NULL,
    created_at timestamp NOT NULL
);
CREATE INDEX ix_events_kind ON events (kind, created_at);
