CREATE TABLE stock (
    id integer PRIMARY KEY,
    sku varchar(20) NOT NULL
);
