CREATE TABLE measures (
    id integer PRIMARY KEY,
    code varchar(40) NOT NULL,
    qty bigint,
    ratio numeric(8, 3)
);
