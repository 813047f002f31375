SELECT obj_description('rooms'::regclass, 'pg_class');
SELECT col_description('rooms'::regclass, 2);
SELECT coalesce(col_description('rooms'::regclass, 3), '(none)');
SELECT obj_description('big_rooms'::regclass, 'pg_class');
