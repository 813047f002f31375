INSERT INTO users (id, email, active) VALUES (1, 'a@example.org', 1),
    (2, 'b@example.org', 0), (3, 'c@example.org', 1);
