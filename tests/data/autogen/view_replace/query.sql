SELECT id, email, login FROM active_users ORDER BY id;
