INSERT INTO invoices (id, total) VALUES (1, 10), (2, 20);
