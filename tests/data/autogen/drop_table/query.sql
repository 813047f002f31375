SELECT id, name FROM owners ORDER BY id;
