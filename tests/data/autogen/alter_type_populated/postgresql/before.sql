CREATE TABLE readings (
    id integer PRIMARY KEY,
    value integer NOT NULL,
    precise numeric(10, 2),
    label varchar(20)
);
CREATE INDEX ix_readings_value ON readings (value);
