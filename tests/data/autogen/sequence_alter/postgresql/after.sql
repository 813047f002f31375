-- MINVALUE above the old start needs START changed with it.
CREATE SEQUENCE ticket_numbers
    INCREMENT BY 5 MINVALUE 10 MAXVALUE 100000 START WITH 10 CYCLE;
