CREATE SEQUENCE invoice_numbers START WITH 1000 INCREMENT BY 10;

CREATE TABLE invoices (
    id integer PRIMARY KEY,
    total numeric(10, 2) NOT NULL,
    number bigint NOT NULL DEFAULT nextval('invoice_numbers')
);
