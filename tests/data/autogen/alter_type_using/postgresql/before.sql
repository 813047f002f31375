CREATE TABLE prices (
    id integer PRIMARY KEY,
    amount varchar(20)
);
