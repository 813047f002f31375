SELECT id, customer_id, ref FROM orders ORDER BY id;
