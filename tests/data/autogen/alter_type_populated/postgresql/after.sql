CREATE TABLE readings (
    id integer PRIMARY KEY,
    value bigint NOT NULL,
    precise numeric(14, 4),
    label text
);
CREATE INDEX ix_readings_value ON readings (value);
