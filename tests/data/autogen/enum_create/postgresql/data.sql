INSERT INTO journal (id, note) VALUES (1, 'sunny'), (2, 'rain');
