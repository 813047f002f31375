INSERT INTO pets (id, owner_id, name) VALUES (1, 2, 'Tom');
SELECT p.name, o.name, p.kind FROM pets p JOIN owners o ON o.id = p.owner_id;
