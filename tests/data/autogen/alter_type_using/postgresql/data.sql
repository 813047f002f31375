INSERT INTO prices (id, amount) VALUES (1, '12'), (2, '7'), (3, NULL);
