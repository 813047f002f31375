CREATE TABLE customers (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL
);

CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    ref varchar(20) NOT NULL,
    total numeric(10, 2) NOT NULL,
    CONSTRAINT fk_orders_customer_id_customers FOREIGN KEY (customer_id)
        REFERENCES customers (id),
    CONSTRAINT uq_orders_ref UNIQUE (ref),
    CONSTRAINT ck_orders_total CHECK (total >= 0)
);
