INSERT INTO tickets (id, priority) VALUES (1, 'low'), (2, 'high');
