SELECT id, amount + 1 FROM prices ORDER BY id;
