-- code takes 40 characters now; the row goes again so that the downgrade
-- can run.
INSERT INTO measures (id, code) VALUES (3, 'longer than ten characters');
SELECT id, code, qty FROM measures ORDER BY id;
DELETE FROM measures WHERE id = 3;
