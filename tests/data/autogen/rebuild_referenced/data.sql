INSERT INTO parents (id, name) VALUES (1, 'Ada'), (2, 'Grace');
INSERT INTO children (id, parent_id, name) VALUES (1, 1, 'x'), (2, 2, 'y');
