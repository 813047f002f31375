SELECT string_agg(e::text, ',' ORDER BY e)
  FROM unnest(enum_range(NULL::priority)) AS e;
SELECT id, priority FROM tickets ORDER BY id;
