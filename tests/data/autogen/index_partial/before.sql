CREATE TABLE jobs (
    id integer PRIMARY KEY,
    state varchar(20) NOT NULL,
    run_at timestamp
);
