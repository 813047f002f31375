INSERT INTO users (id, email, login) VALUES (1, 'a@example.org', 'a'),
    (2, 'b@example.org', 'b'), (3, 'c@example.org', NULL);
