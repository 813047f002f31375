INSERT INTO orders (ref) VALUES ('a'), ('b');
SELECT id, ref FROM orders ORDER BY id;
