INSERT INTO users (id, email, login, active) VALUES (1, 'a@example.org', 'a', 1),
    (2, 'b@example.org', NULL, 1), (3, 'c@example.org', 'c', 0);
