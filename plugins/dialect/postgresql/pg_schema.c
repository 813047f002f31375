/*
 * pg_schema.c: introspect, the live schema read from pg_catalog.
 *
 * One query per kind of object covers every table of every schema asked
 * for (a schema of a thousand tables costs the same seven round trips as
 * one of a single table); tables go first, since the host wants a table
 * before anything of it. Lists (columns of a key, index keys, enum
 * values) come back as arrays, one row per object.
 *
 * What is read: tables (plain and partitioned; not partitions, whose
 * parts follow their parent), columns, primary keys, unique, foreign key
 * and check constraints, indexes that back no constraint, enums,
 * sequences other than identity columns' own, and views. Left out:
 * objects of extensions (pg_depend 'e'), temporary schemas, and the
 * tables the request excludes with everything of theirs, sequences they
 * own included. Objects of current_schema() are reported with schema
 * "", so that format_type() and pg_get_expr(), which leave out the
 * schemas on the search_path, print types of that schema unqualified.
 *
 * Text is as the server prints it: format_type(), pg_get_expr(),
 * pg_get_indexdef(), pg_get_viewdef(). A constraint or index whose name
 * is the one the server would have made up carries MGR_OBJ_AUTONAME
 * (pg_autoname.c).
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "pg.h"

/* ---- the queries --------------------------------------------------------- */

/*
 * Every query takes $1, the schemas to read (text[]; NULL:
 * current_schema()), and $2, the tables to leave out (text[], each a
 * table name or schema.name). CTE s holds those schemas with the name
 * their objects are reported under (label); t the tables to report.
 */
#define NOT_EXCLUDED(rel, nsp)                                          \
    "NOT (" rel ".relname::pg_catalog.text = ANY ($2::pg_catalog.text[]) " \
    "OR (" nsp ".nspname || '.' || " rel ".relname) = "                 \
    "ANY ($2::pg_catalog.text[]))"

#define NOT_EXTENSION_MEMBER(catalog, oid)                              \
    "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e "                 \
    "WHERE e.classid = 'pg_catalog." catalog "'::pg_catalog.regclass "  \
    "AND e.objid = " oid " AND e.deptype = 'e')"

/* '' for current_schema(), its name for any other */
#define SCHEMA_LABEL(nspname)                                           \
    "CASE WHEN " nspname " = pg_catalog.current_schema() THEN '' "      \
    "ELSE " nspname "::pg_catalog.text END"

#define SCOPE_SQL                                                       \
    "WITH s AS (SELECT n.oid AS nsp, n.nspname, "                       \
    SCHEMA_LABEL("n.nspname") " AS label "                              \
    "FROM pg_catalog.pg_namespace n "                                   \
    "WHERE n.nspname = ANY (COALESCE($1::pg_catalog.text[], "           \
    "ARRAY[pg_catalog.current_schema()::pg_catalog.text])) "            \
    "AND n.nspname !~ '^pg_(toast_)?temp_'), "                          \
    "t AS (SELECT c.oid, c.relname, s.label "                           \
    "FROM pg_catalog.pg_class c JOIN s ON s.nsp = c.relnamespace "      \
    "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "           \
    "AND " NOT_EXCLUDED("c", "s") " "                                   \
    "AND " NOT_EXTENSION_MEMBER("pg_class", "c.oid") ") "

/* The names of columns nums (an int2 array) of table rel, in order. */
#define COLUMN_NAMES(rel, nums)                                         \
    "(SELECT pg_catalog.array_agg(a.attname ORDER BY u.ord) "           \
    "FROM pg_catalog.unnest(" nums ") WITH ORDINALITY u(num, ord) "     \
    "JOIN pg_catalog.pg_attribute a ON a.attrelid = " rel " "           \
    "AND a.attnum = u.num)"

/* The column names of index idx itself ("expr", "lower" for
 * expressions): what the server builds its made-up names from. */
#define INDEX_COLUMN_NAMES(idx)                                         \
    "(SELECT pg_catalog.array_agg(a.attname ORDER BY a.attnum) "        \
    "FROM pg_catalog.pg_attribute a WHERE a.attrelid = " idx ")"

/* The comment of an object as a join, not obj_description() or
 * col_description(): those are SQL functions that run a query of their
 * own for every row. */
#define COMMENT_JOIN(alias, catalog, oid, subid)                        \
    "LEFT JOIN pg_catalog.pg_description " alias " "                    \
    "ON " alias ".objoid = " oid " "                                    \
    "AND " alias ".classoid = 'pg_catalog." catalog "'"                 \
    "::pg_catalog.regclass AND " alias ".objsubid = " subid " "

enum { T_SCHEMA, T_NAME, T_COMMENT };
static const char tables_sql[] =
    SCOPE_SQL
    "SELECT t.label, t.relname, dc.description "
    "FROM t " COMMENT_JOIN("dc", "pg_class", "t.oid", "0")
    "ORDER BY 1, 2";

enum {
    C_SCHEMA, C_TABLE, C_NAME, C_TYPE, C_NOT_NULL, C_DEFAULT, C_COLLATION,
    C_IDENTITY, C_COMMENT, C_POSITION
};
/* A collation outside the search path comes quoted and qualified. */
static const char columns_sql[] =
    SCOPE_SQL
    "SELECT t.label, t.relname, a.attname, "
    "pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
    "CASE WHEN a.attgenerated = '' "
    "THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END, "
    "CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation "
    "THEN CASE WHEN pg_catalog.pg_collation_is_visible(co.oid) "
    "THEN co.collname::pg_catalog.text "
    "ELSE '\"' || pg_catalog.replace(cn.nspname, '\"', '\"\"') || '\".\"' "
    "|| pg_catalog.replace(co.collname, '\"', '\"\"') || '\"' END END, "
    "a.attidentity, dc.description, "
    "pg_catalog.row_number() OVER (PARTITION BY a.attrelid "
    "ORDER BY a.attnum) "
    "FROM t JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid "
    "AND a.attnum > 0 AND NOT a.attisdropped "
    "JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid "
    "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid "
    "AND d.adnum = a.attnum "
    "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation "
    "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
    COMMENT_JOIN("dc", "pg_class", "a.attrelid", "a.attnum")
    "ORDER BY 1, 2, a.attnum";

enum {
    K_SCHEMA, K_TABLE, K_NAME, K_TYPE, K_COLUMNS, K_REF_SCHEMA, K_REF_TABLE,
    K_REF_COLUMNS, K_ON_DELETE, K_ON_UPDATE, K_DEFERRABLE, K_DEFERRED,
    K_DEFINITION, K_COMMENT, K_INDEX_COLUMNS
};
/* conparentid: a foreign key to a partitioned table has a row per
 * partition besides its own. */
static const char constraints_sql[] =
    SCOPE_SQL
    "SELECT t.label, t.relname, k.conname, k.contype, "
    COLUMN_NAMES("k.conrelid", "k.conkey") ", "
    SCHEMA_LABEL("rs.nspname") ", r.relname, "
    COLUMN_NAMES("k.confrelid", "k.confkey") ", "
    "k.confdeltype, k.confupdtype, k.condeferrable, k.condeferred, "
    "CASE WHEN k.contype = 'c' "
    "THEN pg_catalog.pg_get_constraintdef(k.oid, true) END, "
    "dc.description, "
    "CASE WHEN k.contype = 'u' THEN " INDEX_COLUMN_NAMES("k.conindid")
    " END "
    "FROM t JOIN pg_catalog.pg_constraint k ON k.conrelid = t.oid "
    "AND k.contype IN ('p', 'u', 'f', 'c') AND k.conparentid = 0 "
    "LEFT JOIN pg_catalog.pg_class r ON r.oid = k.confrelid "
    "LEFT JOIN pg_catalog.pg_namespace rs ON rs.oid = r.relnamespace "
    COMMENT_JOIN("dc", "pg_constraint", "k.oid", "0")
    "ORDER BY 1, 2, 3";

/* A key's operator class when not its type's default, then DESC and
 * NULLS FIRST/LAST where they differ from the defaults (ASC NULLS LAST,
 * DESC NULLS FIRST): indoption bit 1 is DESC, bit 2 NULLS FIRST. */
#define INDEX_KEY_OPTIONS                                               \
    "COALESCE((SELECT ' ' || CASE "                                     \
    "WHEN pg_catalog.pg_opclass_is_visible(oc.oid) "                    \
    "THEN pg_catalog.quote_ident(oc.opcname) "                          \
    "ELSE pg_catalog.quote_ident(ocn.nspname) || '.' || "               \
    "pg_catalog.quote_ident(oc.opcname) END "                           \
    "FROM pg_catalog.pg_opclass oc "                                    \
    "JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace "    \
    "WHERE oc.oid = i.indclass[key - 1] AND NOT oc.opcdefault), '') || " \
    "CASE WHEN i.indoption[key - 1]::pg_catalog.int4 & 1 = 1 "          \
    "THEN CASE WHEN i.indoption[key - 1]::pg_catalog.int4 & 2 = 2 "     \
    "THEN ' DESC' ELSE ' DESC NULLS LAST' END "                         \
    "WHEN i.indoption[key - 1]::pg_catalog.int4 & 2 = 2 "               \
    "THEN ' NULLS FIRST' ELSE '' END"

/* A key's text: a column's name as pg_get_indexdef() would quote it,
 * which is all that function gives for a column but costs a walk over
 * the whole index definition; the function itself for an expression
 * (indkey 0). */
#define INDEX_KEY_TEXT                                                  \
    "CASE WHEN i.indkey[key - 1] = 0 "                                  \
    "THEN pg_catalog.pg_get_indexdef(i.indexrelid, key, true) "         \
    "ELSE (SELECT pg_catalog.quote_ident(a.attname) "                   \
    "FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.indrelid "     \
    "AND a.attnum = i.indkey[key - 1]) END"

enum {
    I_SCHEMA, I_TABLE, I_NAME, I_METHOD, I_UNIQUE, I_ITEMS, I_PREDICATE,
    I_COMMENT, I_INDEX_COLUMNS
};
static const char indexes_sql[] =
    SCOPE_SQL
    "SELECT t.label, t.relname, ic.relname, am.amname, i.indisunique, "
    "(SELECT pg_catalog.array_agg(" INDEX_KEY_TEXT " || "
    INDEX_KEY_OPTIONS " ORDER BY key) "
    "FROM pg_catalog.generate_series(1, i.indnkeyatts) key), "
    "pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), "
    "dc.description, "
    INDEX_COLUMN_NAMES("i.indexrelid") " "
    "FROM t JOIN pg_catalog.pg_index i ON i.indrelid = t.oid "
    "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
    "JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
    COMMENT_JOIN("dc", "pg_class", "i.indexrelid", "0")
    "WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k "
    "WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid "
    "AND k.contype IN ('p', 'u', 'x')) "
    "ORDER BY 1, 2, 3";

enum { E_SCHEMA, E_NAME, E_VALUES };
static const char enums_sql[] =
    SCOPE_SQL
    "SELECT s.label, ty.typname, "
    "(SELECT pg_catalog.array_agg(v.enumlabel ORDER BY v.enumsortorder) "
    "FROM pg_catalog.pg_enum v WHERE v.enumtypid = ty.oid) "
    "FROM s JOIN pg_catalog.pg_type ty ON ty.typnamespace = s.nsp "
    "AND ty.typtype = 'e' "
    "WHERE " NOT_EXTENSION_MEMBER("pg_type", "ty.oid") " "
    "ORDER BY 1, 2";

enum {
    Q_SCHEMA, Q_NAME, Q_TYPE, Q_START, Q_INCREMENT, Q_MIN, Q_MAX, Q_CYCLE,
    Q_OWNED_BY
};
/* pg_depend: 'a' ties a sequence to the column that owns it (serial,
 * OWNED BY), 'i' to its identity column. */
static const char sequences_sql[] =
    SCOPE_SQL
    "SELECT s.label, c.relname, pg_catalog.format_type(q.seqtypid, NULL), "
    "q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcycle, "
    "o.relname || '.' || oa.attname "
    "FROM s JOIN pg_catalog.pg_class c ON c.relnamespace = s.nsp "
    "AND c.relkind = 'S' "
    "JOIN pg_catalog.pg_sequence q ON q.seqrelid = c.oid "
    "LEFT JOIN pg_catalog.pg_depend d "
    "ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
    "AND d.objid = c.oid "
    "AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
    "AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') "
    "LEFT JOIN pg_catalog.pg_class o ON o.oid = d.refobjid "
    "LEFT JOIN pg_catalog.pg_namespace os ON os.oid = o.relnamespace "
    "LEFT JOIN pg_catalog.pg_attribute oa ON oa.attrelid = d.refobjid "
    "AND oa.attnum = d.refobjsubid "
    "WHERE d.deptype IS DISTINCT FROM 'i' "
    "AND " NOT_EXTENSION_MEMBER("pg_class", "c.oid") " "
    "AND (o.oid IS NULL OR " NOT_EXCLUDED("o", "os") ") "
    "ORDER BY 1, 2";

enum { V_SCHEMA, V_NAME, V_DEFINITION, V_COMMENT };
static const char views_sql[] =
    SCOPE_SQL
    "SELECT s.label, c.relname, pg_catalog.pg_get_viewdef(c.oid, true), "
    "dc.description "
    "FROM s JOIN pg_catalog.pg_class c ON c.relnamespace = s.nsp "
    "AND c.relkind = 'v' "
    COMMENT_JOIN("dc", "pg_class", "c.oid", "0")
    "WHERE " NOT_EXTENSION_MEMBER("pg_class", "c.oid") " "
    "AND " NOT_EXCLUDED("c", "s") " "
    "ORDER BY 1, 2";

/* ---- reporting ----------------------------------------------------------- */

/* What the rows of one introspect share. */
struct scan {
    const struct mgr_host_api *api;
    struct mgr_schema_sink *sink;
    struct mgr_error *err;
};

static void object_init(struct mgr_object *o, unsigned kind,
                        const char *schema)
{
    memset(o, 0, sizeof(*o));
    o->size = sizeof(*o);
    o->kind = kind;
    o->schema = schema ? schema : "";
}

static int report(struct scan *s, const struct mgr_object *o)
{
    return s->api->schema_add(s->sink, o, s->err);
}

static bool is_true(const char *v)
{
    return v && v[0] == 't';
}

static long long to_ll(const char *v)
{
    return v ? strtoll(v, NULL, 10) : 0;
}

static int table_row(struct scan *s, const char *const *v)
{
    struct mgr_object o;

    object_init(&o, MGR_OBJ_TABLE, v[T_SCHEMA]);
    o.name = v[T_NAME];
    o.comment = v[T_COMMENT];
    return report(s, &o);
}

/* Report o with its expression as it settles (pg_exprtext.c). */
static int report_settled(struct scan *s, struct mgr_object *o)
{
    struct mgr_buf settled;
    int rc;

    if (!o->expr)
        return report(s, o);
    s->api->buf_init(&settled, 0);
    pg_expr_settled(s->api, o->expr, &settled);
    o->expr = settled.buf;
    rc = report(s, o);
    s->api->buf_release(&settled);
    return rc;
}

static int column_row(struct scan *s, const char *const *v)
{
    struct mgr_object o;

    object_init(&o, MGR_OBJ_COLUMN, v[C_SCHEMA]);
    o.table = v[C_TABLE];
    o.name = v[C_NAME];
    o.type = v[C_TYPE];
    o.expr = v[C_DEFAULT];
    o.collation = v[C_COLLATION];
    o.comment = v[C_COMMENT];
    o.position = (int)to_ll(v[C_POSITION]);
    if (is_true(v[C_NOT_NULL]))
        o.flags |= MGR_OBJ_NOT_NULL;
    if (v[C_IDENTITY] && v[C_IDENTITY][0] == 'a')
        o.flags |= MGR_OBJ_IDENTITY_ALWAYS;
    else if (v[C_IDENTITY] && v[C_IDENTITY][0] == 'd')
        o.flags |= MGR_OBJ_IDENTITY_DEFAULT;
    return report_settled(s, &o);
}

/* ---- constraints --------------------------------------------------------- */

/* A foreign key action letter as SQL; NULL for NO ACTION. */
static const char *fk_action(const char *letter)
{
    switch (letter ? letter[0] : 'a') {
    case 'r':
        return "RESTRICT";
    case 'c':
        return "CASCADE";
    case 'n':
        return "SET NULL";
    case 'd':
        return "SET DEFAULT";
    default:
        return NULL;
    }
}

/*
 * The condition of def, "CHECK (cond)" maybe followed by NO INHERIT or
 * NOT VALID, in a new allocation: up to the parenthesis that closes the
 * first, skipping quoted text.
 */
static char *check_condition(const struct mgr_host_api *api, const char *def)
{
    static const char head[] = "CHECK (";
    const char *start, *p;
    char quote = 0, *cond;
    int depth = 1;

    if (!def || strncmp(def, head, strlen(head)) != 0)
        return NULL;
    start = p = def + strlen(head);
    for (; *p; p++) {
        if (quote) {
            quote = *p == quote ? 0 : quote;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')' && --depth == 0) {
            break;
        }
    }
    cond = api->alloc((size_t)(p - start) + 1);
    memcpy(cond, start, (size_t)(p - start));
    cond[p - start] = '\0';
    return cond;
}

/* The lists of one constraint row. */
struct constraint_lists {
    const char **columns, **ref_columns, **index_columns;
    size_t ncolumns, nref_columns, nindex_columns;
};

static void lists_parse(struct scan *s, const char *const *v,
                        struct constraint_lists *l)
{
    l->columns = pg_array_parse(s->api, v[K_COLUMNS], &l->ncolumns);
    l->ref_columns =
        pg_array_parse(s->api, v[K_REF_COLUMNS], &l->nref_columns);
    l->index_columns =
        pg_array_parse(s->api, v[K_INDEX_COLUMNS], &l->nindex_columns);
}

static void lists_free(struct scan *s, struct constraint_lists *l)
{
    s->api->free(l->columns);
    s->api->free(l->ref_columns);
    s->api->free(l->index_columns);
}

/*
 * Kind, items and the parts of the name the server would make up
 * (label, columns), by contype. A primary key's made-up name has no
 * column part; a unique constraint's is its index's columns; a check's
 * is the one column it reads, or none when it reads several.
 */
static void constraint_kind(struct mgr_object *o, char contype,
                            const struct constraint_lists *l,
                            const char **label, const char *const **cols,
                            size_t *ncols)
{
    static const struct {
        char contype;
        unsigned kind;
        const char *label;
    } contypes[] = {
        { 'p', MGR_OBJ_PRIMARY_KEY, "pkey" },
        { 'u', MGR_OBJ_UNIQUE, "key" },
        { 'f', MGR_OBJ_FOREIGN_KEY, "fkey" },
        { 'c', MGR_OBJ_CHECK, "check" },
    };

    *cols = NULL;
    *ncols = 0;
    for (size_t k = 0; k < sizeof(contypes) / sizeof(contypes[0]); k++)
        if (contypes[k].contype == contype) {
            o->kind = contypes[k].kind;
            *label = contypes[k].label;
        }
    if (contype != 'c') {
        o->items = l->columns;
        o->nitems = l->ncolumns;
    }
    if (contype == 'u') {
        *cols = l->index_columns;
        *ncols = l->nindex_columns;
    } else if (contype == 'f' || (contype == 'c' && l->ncolumns == 1)) {
        *cols = l->columns;
        *ncols = l->ncolumns;
    }
}

static int constraint_row(struct scan *s, const char *const *v)
{
    struct constraint_lists l;
    const char *const *name_cols;
    const char *label = NULL;
    struct mgr_object o;
    size_t nname_cols;
    char *cond = NULL;
    int rc;

    lists_parse(s, v, &l);
    object_init(&o, 0, v[K_SCHEMA]);
    o.table = v[K_TABLE];
    o.name = v[K_NAME];
    o.comment = v[K_COMMENT];
    constraint_kind(&o, v[K_TYPE][0], &l, &label, &name_cols, &nname_cols);
    if (o.kind == MGR_OBJ_FOREIGN_KEY) {
        o.ref_schema = v[K_REF_SCHEMA] ? v[K_REF_SCHEMA] : "";
        o.ref_table = v[K_REF_TABLE];
        o.ref_columns = l.ref_columns;
        o.on_delete = fk_action(v[K_ON_DELETE]);
        o.on_update = fk_action(v[K_ON_UPDATE]);
    } else if (o.kind == MGR_OBJ_CHECK) {
        o.expr = cond = check_condition(s->api, v[K_DEFINITION]);
    }
    if (is_true(v[K_DEFERRABLE]))
        o.flags |= MGR_OBJ_DEFERRABLE;
    if (is_true(v[K_DEFERRED]))
        o.flags |= MGR_OBJ_INITIALLY_DEFERRED;
    if (pg_autoname_matches(o.name, o.table, name_cols, nname_cols, label))
        o.flags |= MGR_OBJ_AUTONAME;
    rc = report_settled(s, &o);
    s->api->free(cond);
    lists_free(s, &l);
    return rc;
}

/* ---- indexes, enums, sequences, views ------------------------------------ */

static int index_row(struct scan *s, const char *const *v)
{
    size_t nitems, nname_cols;
    const char **items = pg_array_parse(s->api, v[I_ITEMS], &nitems);
    const char **name_cols =
        pg_array_parse(s->api, v[I_INDEX_COLUMNS], &nname_cols);
    struct mgr_object o;
    int rc;

    object_init(&o, MGR_OBJ_INDEX, v[I_SCHEMA]);
    o.table = v[I_TABLE];
    o.name = v[I_NAME];
    o.method = v[I_METHOD];
    o.items = items;
    o.nitems = nitems;
    o.expr = v[I_PREDICATE];
    o.comment = v[I_COMMENT];
    if (is_true(v[I_UNIQUE]))
        o.flags |= MGR_OBJ_UNIQUE_INDEX;
    if (pg_autoname_matches(o.name, o.table, name_cols, nname_cols, "idx"))
        o.flags |= MGR_OBJ_AUTONAME;
    rc = report_settled(s, &o);
    s->api->free(items);
    s->api->free(name_cols);
    return rc;
}

static int enum_row(struct scan *s, const char *const *v)
{
    size_t nvalues;
    const char **values = pg_array_parse(s->api, v[E_VALUES], &nvalues);
    struct mgr_object o;
    int rc;

    object_init(&o, MGR_OBJ_ENUM, v[E_SCHEMA]);
    o.name = v[E_NAME];
    o.items = values;
    o.nitems = nvalues;
    rc = report(s, &o);
    s->api->free(values);
    return rc;
}

static int sequence_row(struct scan *s, const char *const *v)
{
    struct mgr_object o;

    object_init(&o, MGR_OBJ_SEQUENCE, v[Q_SCHEMA]);
    o.name = v[Q_NAME];
    o.type = v[Q_TYPE];
    o.seq_start = to_ll(v[Q_START]);
    o.seq_increment = to_ll(v[Q_INCREMENT]);
    o.seq_min = to_ll(v[Q_MIN]);
    o.seq_max = to_ll(v[Q_MAX]);
    o.owned_by = v[Q_OWNED_BY];
    if (is_true(v[Q_CYCLE]))
        o.flags |= MGR_OBJ_CYCLE;
    return report(s, &o);
}

static int view_row(struct scan *s, const char *const *v)
{
    struct mgr_object o;

    object_init(&o, MGR_OBJ_VIEW, v[V_SCHEMA]);
    o.name = v[V_NAME];
    o.expr = v[V_DEFINITION];
    o.comment = v[V_COMMENT];
    return report(s, &o);
}

/* ---- the driver ---------------------------------------------------------- */

typedef int (*object_row_fn)(struct scan *s, const char *const *v);

/* The queries in the order they run: tables before their parts. */
static const struct {
    const char *sql;
    object_row_fn row;
} kinds[] = {
    { tables_sql, table_row },       { columns_sql, column_row },
    { constraints_sql, constraint_row }, { indexes_sql, index_row },
    { enums_sql, enum_row },         { sequences_sql, sequence_row },
    { views_sql, view_row },
};

struct run {
    struct scan *scan;
    object_row_fn row;
};

static int on_row(void *ctx, size_t ncols, const char *const *names,
                  const char *const *values)
{
    struct run *r = ctx;

    (void)ncols;
    (void)names;
    return r->row(r->scan, values);
}

/* items as a text[] literal: {"a","b"} with '"' and '\' escaped. */
static void array_literal(const struct mgr_host_api *api,
                          const char *const *items, size_t n,
                          struct mgr_buf *out)
{
    api->buf_add(out, "{", 1);
    for (size_t i = 0; i < n; i++) {
        api->buf_add(out, i ? ",\"" : "\"", i ? 2 : 1);
        for (const char *p = items[i] ? items[i] : ""; *p; p++) {
            if (*p == '"' || *p == '\\')
                api->buf_add(out, "\\", 1);
            api->buf_add(out, p, 1);
        }
        api->buf_add(out, "\"", 1);
    }
    api->buf_add(out, "}", 1);
}

int pg_introspect(void *conn, const struct mgr_introspect_request *req,
                  struct mgr_schema_sink *sink, struct mgr_error *err)
{
    struct pg_conn *c = conn;
    const struct mgr_host_api *api = c->st->api;
    struct scan scan = { api, sink, err };
    struct mgr_buf schemas, exclude;
    const char *params[2];
    int rc = MGR_OK;

    /* pg_attribute.attgenerated came with 12 */
    if (PQserverVersion(c->pg) < 120000)
        return api->error_set(err, MGR_EDB,
                              "cannot read the schema: it takes "
                              "PostgreSQL 12 or later");
    api->buf_init(&schemas, 0);
    api->buf_init(&exclude, 0);
    if (req && req->nschemas > 0)
        array_literal(api, req->schemas, req->nschemas, &schemas);
    array_literal(api, req ? req->exclude : NULL, req ? req->nexclude : 0,
                  &exclude);
    params[0] = schemas.len ? schemas.buf : NULL;
    params[1] = exclude.buf;
    /* The planner prices these catalog queries high enough to compile
     * them with JIT, which takes longer than running them. */
    rc = pg_query(c, "SET jit = off", NULL, 0, NULL, NULL, NULL, NULL, err);
    for (size_t k = 0; rc == MGR_OK && k < sizeof(kinds) / sizeof(kinds[0]);
         k++) {
        struct run r = { &scan, kinds[k].row };

        rc = pg_query(c, kinds[k].sql, params, 2, on_row, &r, NULL, NULL,
                      err);
    }
    if (rc == MGR_OK)
        rc = pg_query(c, "RESET jit", NULL, 0, NULL, NULL, NULL, NULL, err);
    api->buf_release(&schemas);
    api->buf_release(&exclude);
    return rc;
}
