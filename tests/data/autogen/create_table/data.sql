INSERT INTO owners (id, name) VALUES (1, 'Ada'), (2, 'Grace');
