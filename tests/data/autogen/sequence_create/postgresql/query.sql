INSERT INTO invoices (id, total) VALUES (3, 30);
SELECT count(DISTINCT number), min(number) >= 1000 FROM invoices;
