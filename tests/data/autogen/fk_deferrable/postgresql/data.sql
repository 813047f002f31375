INSERT INTO parents (id) VALUES (1);
INSERT INTO children (id, parent_id) VALUES (1, 1);
