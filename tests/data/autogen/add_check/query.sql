SELECT id, owner FROM wallets ORDER BY id;
