-- email takes NULL now; the row goes again so that the downgrade can run.
INSERT INTO people (id, name) VALUES (3, 'Edsger');
SELECT id, name, email FROM people ORDER BY id;
DELETE FROM people WHERE id = 3;
