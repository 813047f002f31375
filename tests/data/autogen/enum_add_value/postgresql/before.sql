CREATE TYPE doc_status AS ENUM ('draft', 'published');

CREATE TABLE docs (
    id integer PRIMARY KEY,
    status doc_status NOT NULL DEFAULT 'draft'
);
