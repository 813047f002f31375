CREATE TYPE priority AS ENUM ('low', 'medium', 'high');

CREATE TABLE tickets (
    id integer PRIMARY KEY,
    priority priority NOT NULL DEFAULT 'low'
);
