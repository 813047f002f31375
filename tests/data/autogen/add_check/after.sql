CREATE TABLE wallets (
    id integer PRIMARY KEY,
    owner varchar(100) NOT NULL,
    balance numeric(12, 2) NOT NULL DEFAULT 0,
    CONSTRAINT ck_wallets_balance_positive CHECK (balance >= 0)
);
