-- The child goes in before its parent: checked at commit.
BEGIN;
INSERT INTO children (id, parent_id) VALUES (2, 2);
INSERT INTO parents (id) VALUES (2);
COMMIT;
SELECT conname, condeferrable, condeferred FROM pg_constraint
 WHERE conrelid = 'children'::regclass AND contype = 'f' ORDER BY conname;
