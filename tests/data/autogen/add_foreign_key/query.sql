SELECT id, parent_id, name FROM children ORDER BY id;
