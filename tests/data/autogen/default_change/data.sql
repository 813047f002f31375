INSERT INTO tasks (id) VALUES (1);
INSERT INTO tasks (id, status, priority, done) VALUES (2, 'closed', 1, 1);
