SELECT n FROM active_user_count;
