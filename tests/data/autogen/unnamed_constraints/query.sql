SELECT id, parent_id, code, qty FROM lines ORDER BY id;
