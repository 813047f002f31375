INSERT INTO items (id, name) VALUES (1, 'lamp'), (2, 'desk');
