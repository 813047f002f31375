-- isbn is now isbn13, same type: a rename candidate.
CREATE TABLE books (
    id integer PRIMARY KEY,
    title varchar(200) NOT NULL,
    isbn13 varchar(20)
);
