INSERT INTO events (name) VALUES ('auto');
INSERT INTO logs (msg) VALUES ('one'), ('two');
SELECT id, name FROM events ORDER BY id;
SELECT id, msg FROM logs ORDER BY id;
