CREATE TABLE books (
    id integer PRIMARY KEY,
    title varchar(200) NOT NULL,
    isbn varchar(20)
);
