-- A serial column: its sequence belongs to the column.
CREATE TABLE sites (
    id integer PRIMARY KEY
);

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    ref varchar(20) NOT NULL
);
