INSERT INTO accounts (id, email, login) VALUES (1, 'a@example.org', 'a'),
    (2, 'b@example.org', NULL);
