CREATE TABLE journal (
    id integer PRIMARY KEY,
    note text
);
