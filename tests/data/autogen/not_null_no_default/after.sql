-- A NOT NULL column without a default: fine on an empty table, an error on
-- one with rows; the script must say so in a comment.
CREATE TABLE stock (
    id integer PRIMARY KEY,
    sku varchar(20) NOT NULL,
    warehouse varchar(20) NOT NULL
);
