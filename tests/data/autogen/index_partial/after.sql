CREATE TABLE jobs (
    id integer PRIMARY KEY,
    state varchar(20) NOT NULL,
    run_at timestamp
);
CREATE INDEX ix_jobs_run_at ON jobs (run_at) WHERE state = 'queued';
