CREATE TABLE measures (
    id integer PRIMARY KEY,
    code varchar(10) NOT NULL,
    qty integer,
    ratio numeric(5, 2)
);
