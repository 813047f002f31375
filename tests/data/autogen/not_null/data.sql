INSERT INTO people (id, name, email) VALUES (1, 'Ada', 'ada@example.org'),
    (2, 'Grace', 'grace@example.org');
