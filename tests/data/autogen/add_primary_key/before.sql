CREATE TABLE tags (
    code varchar(20) NOT NULL,
    label varchar(100)
);
