INSERT INTO wallets (id, owner, balance) VALUES (1, 'Ada', 10), (2, 'Grace', 0);
