SELECT indexname, split_part(split_part(indexdef, 'USING ', 2), ' ', 1)
  FROM pg_indexes WHERE tablename = 'docs' AND indexname LIKE 'ix_%'
 ORDER BY indexname;
