INSERT INTO events (id, name) VALUES (101, 'a'), (102, 'b');
