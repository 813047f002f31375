INSERT INTO items (id, name, legacy, old_qty) VALUES (1, 'lamp', 'L-1', 3),
    (2, 'desk', NULL, 0);
