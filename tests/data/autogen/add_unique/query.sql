SELECT id, email, login FROM accounts ORDER BY id;
