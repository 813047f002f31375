INSERT INTO parents (id) VALUES (1), (2);
INSERT INTO lines (id, parent_id, code, qty) VALUES (1, 1, 'a', 1),
    (2, NULL, NULL, 5);
