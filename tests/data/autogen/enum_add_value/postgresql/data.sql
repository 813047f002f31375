INSERT INTO docs (id, status) VALUES (1, 'draft'), (2, 'published');
