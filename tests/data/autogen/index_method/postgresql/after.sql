CREATE TABLE docs (
    id integer PRIMARY KEY,
    tags text[] NOT NULL DEFAULT '{}',
    body jsonb,
    code varchar(20)
);
CREATE INDEX ix_docs_tags ON docs USING gin (tags);
CREATE INDEX ix_docs_body ON docs USING gin (body jsonb_path_ops);
CREATE INDEX ix_docs_code ON docs USING hash (code);
