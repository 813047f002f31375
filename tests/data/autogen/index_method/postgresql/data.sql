INSERT INTO docs (id, tags, body, code) VALUES
    (1, '{a,b}', '{"k": 1}', 'x'),
    (2, '{}', NULL, NULL);
