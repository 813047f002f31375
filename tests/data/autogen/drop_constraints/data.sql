INSERT INTO customers (id, name) VALUES (1, 'Ada');
INSERT INTO orders (id, customer_id, ref, total) VALUES (1, 1, 'R1', 10),
    (2, 1, 'R2', 0);
