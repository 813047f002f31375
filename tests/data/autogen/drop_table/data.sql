INSERT INTO owners (id, name) VALUES (1, 'Ada'), (2, 'Grace');
INSERT INTO pets (id, owner_id, name) VALUES (1, 2, 'Tom');
