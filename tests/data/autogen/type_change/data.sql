INSERT INTO measures (id, code, qty, ratio) VALUES (1, 'a', 5, 1.25),
    (2, 'b', NULL, NULL);
