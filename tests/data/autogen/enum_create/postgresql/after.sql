CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh');

CREATE TABLE journal (
    id integer PRIMARY KEY,
    note text,
    mood mood NOT NULL DEFAULT 'happy'
);
