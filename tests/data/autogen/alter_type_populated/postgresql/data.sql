INSERT INTO readings (id, value, precise, label) VALUES (1, 42, 3.14, 'a'),
    (2, -7, NULL, NULL);
