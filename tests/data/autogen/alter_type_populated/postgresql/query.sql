SELECT id, value, precise, label FROM readings ORDER BY id;
