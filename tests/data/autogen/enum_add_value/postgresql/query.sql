SELECT string_agg(e::text, ',' ORDER BY e)
  FROM unnest(enum_range(NULL::doc_status)) AS e;
SELECT id, status FROM docs ORDER BY id;
