-- authors is now writers, same columns: a rename candidate.
CREATE TABLE writers (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL
);
