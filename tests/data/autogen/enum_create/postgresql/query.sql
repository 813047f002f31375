UPDATE journal SET mood = 'sad' WHERE id = 2;
SELECT id, mood FROM journal ORDER BY id;
