SELECT id, name, note, qty FROM items ORDER BY id;
