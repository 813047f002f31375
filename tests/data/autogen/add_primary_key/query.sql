SELECT code, label FROM tags ORDER BY code;
