-- No implicit cast from varchar to integer: ALTER TYPE needs USING.
CREATE TABLE prices (
    id integer PRIMARY KEY,
    amount integer
);
