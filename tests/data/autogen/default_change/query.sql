INSERT INTO tasks (id) VALUES (10);
SELECT id, status, priority, done FROM tasks ORDER BY id;
