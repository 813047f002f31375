-- A comment changed, two added (one with a quote), one removed.
CREATE TABLE rooms (
    id integer PRIMARY KEY,
    name varchar(50) NOT NULL,
    seats integer
);
COMMENT ON TABLE rooms IS 'Rooms of the building; one row each.';
COMMENT ON COLUMN rooms.name IS 'What the sign says, e.g. ''Blue room''.';

CREATE VIEW big_rooms AS SELECT id, name FROM rooms WHERE seats > 20;
COMMENT ON VIEW big_rooms IS 'Rooms for more than twenty.';
