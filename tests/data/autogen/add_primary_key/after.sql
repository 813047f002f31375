CREATE TABLE tags (
    code varchar(20) NOT NULL,
    label varchar(100),
    CONSTRAINT pk_tags PRIMARY KEY (code)
);
