CREATE TABLE rooms (
    id integer PRIMARY KEY,
    name varchar(50) NOT NULL,
    seats integer
);
COMMENT ON TABLE rooms IS 'Rooms.';
COMMENT ON COLUMN rooms.seats IS 'How many sit.';

CREATE VIEW big_rooms AS SELECT id, name FROM rooms WHERE seats > 20;
