INSERT INTO tags (code, label) VALUES ('red', 'Red'), ('blue', NULL);
