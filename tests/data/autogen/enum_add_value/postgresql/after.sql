-- 'review' goes between the two.
CREATE TYPE doc_status AS ENUM ('draft', 'review', 'published');

CREATE TABLE docs (
    id integer PRIMARY KEY,
    status doc_status NOT NULL DEFAULT 'draft'
);
