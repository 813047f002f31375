-- The foreign key, the unique constraint and the check are gone.
CREATE TABLE customers (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL
);

CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    ref varchar(20) NOT NULL,
    total numeric(10, 2) NOT NULL
);
