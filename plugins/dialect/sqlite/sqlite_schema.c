/*
 * sqlite_schema.c: introspect, and the scratch database.
 *
 * Per database read (main, or those req->schemas names) five queries:
 * the tables; their columns (pragma_table_xinfo, which also gives the
 * primary key); their UNIQUE constraints and indexes (pragma_index_list
 * joined with pragma_index_xinfo and the CREATE INDEX text); their
 * foreign keys (pragma_foreign_key_list, joined with pragma_table_info of
 * the referenced table for references that name no columns); the views.
 * Each joins sqlite_schema with a pragma table function, so it covers
 * every table at once. What the pragmas do not know (constraint names,
 * CHECK clauses, AUTOINCREMENT, DEFERRABLE) comes from the CREATE TABLE
 * text (sqlite_createsql.c).
 *
 * Tables named sqlite_%, virtual tables and req->exclude are skipped
 * with everything of theirs; so are generated and hidden columns.
 */
#include "autoconfig.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite.h"

/* The user's ordinary tables, as m in the queries below. */
#define USER_TABLES                                                     \
    "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "    \
    "AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%' "

/* In the queries, {db} is the database read, quoted; $1 its name. */
static const char q_tables[] =
    "SELECT m.name, m.sql FROM {db}.sqlite_schema AS m WHERE " USER_TABLES
    "ORDER BY m.name";
static const char q_columns[] =
    "SELECT m.name, c.cid, c.name, c.type, c.\"notnull\", c.dflt_value, "
    "c.pk, c.hidden FROM {db}.sqlite_schema AS m "
    "JOIN pragma_table_xinfo(m.name, $1) AS c WHERE " USER_TABLES
    "ORDER BY m.name, c.cid";
/* Indexes from their own rows (an autoindex's too: sql NULL), so that the
 * pragmas run only for the tables that have some. */
static const char q_indexes[] =
    "SELECT s.tbl_name, il.name, il.\"unique\", il.origin, s.sql, ix.name "
    "FROM {db}.sqlite_schema AS s "
    "JOIN pragma_index_list(s.tbl_name, $1) AS il ON il.name = s.name "
    "JOIN pragma_index_xinfo(il.name, $1) AS ix "
    "WHERE s.type = 'index' AND s.tbl_name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
    "AND il.origin IN ('u', 'c') AND ix.key = 1 "
    "ORDER BY s.tbl_name, il.name, ix.seqno";
/* A foreign key is written REFERENCES in its table's text (ALTER TABLE
 * ADD COLUMN rewrites that text): the others need no pragma. Not LIKE,
 * which PRAGMA case_sensitive_like can turn case-sensitive. */
static const char q_foreign_keys[] =
    "SELECT m.name, f.id, f.\"table\", f.\"from\", "
    "coalesce(f.\"to\", p.name), f.on_update, f.on_delete "
    "FROM {db}.sqlite_schema AS m "
    "JOIN pragma_foreign_key_list(m.name, $1) AS f "
    "LEFT JOIN pragma_table_info(f.\"table\", $1) AS p "
    "ON f.\"to\" IS NULL AND p.pk = f.seq + 1 "
    "WHERE " USER_TABLES "AND instr(upper(m.sql), 'REFERENCES') > 0 "
    "ORDER BY m.name, f.id, f.seq";
static const char q_views[] =
    "SELECT name, sql FROM {db}.sqlite_schema WHERE type = 'view' "
    "ORDER BY name";

/* A primary key column and its place in the key. */
struct pk_column {
    int seq;
    const char *name;
};

/* One table being read. */
struct table {
    const char *name;
    struct sq_table_sql sql; /* what its CREATE TABLE text tells */
    struct sq_ptrs pk;       /* struct pk_column *, in key order */
};

/* The rows of one index or foreign key, gathered across rows. */
struct group {
    struct table *table; /* NULL: none open */
    const char *key;     /* index name, or foreign key id */
    const char *origin;  /* index: 'u' or 'c' */
    const char *sql;     /* index: its CREATE INDEX text */
    int unique;
    const char *ref_table, *on_update, *on_delete;
    struct sq_ptrs cols, ref_cols;
    int ref_unknown; /* a referenced column could not be resolved */
};

struct intro {
    struct sq_conn *c;
    const struct mgr_host_api *api;
    const struct mgr_introspect_request *req;
    struct mgr_schema_sink *sink;
    struct mgr_error *err;
    struct sq_arena arena;
    const char *db;      /* the database in SQL: "main", "aux" */
    const char *shown;   /* its name in the model: "" for main */
    struct sq_ptrs tables; /* struct table *, by name (BINARY order) */
    struct group group;
};

/* A number SQLite printed (cid, pk): 0 for NULL. */
static int to_int(const char *s)
{
    long v = s ? strtol(s, NULL, 10) : 0;

    return v > INT_MAX || v < INT_MIN ? 0 : (int)v;
}

static int report(struct intro *in, struct mgr_object *obj)
{
    obj->size = sizeof(*obj);
    obj->schema = in->shown;
    return in->api->schema_add(in->sink, obj, in->err);
}

static struct table *table_named(struct intro *in, const char *name)
{
    size_t lo = 0, hi = in->tables.n;

    /* The tables came ORDER BY name: BINARY, which is strcmp's order. */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        struct table *t = (struct table *)in->tables.v[mid];
        int cmp = strcmp(name ? name : "", t->name);

        if (cmp == 0)
            return t;
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

int sq_excluded(const struct mgr_introspect_request *req, const char *table)
{
    for (size_t i = 0; i < req->nexclude; i++)
        if (sq_name_eq(req->exclude[i], table))
            return 1;
    return 0;
}

/* Run one of the queries above on the database being read. */
static int run(struct intro *in, const char *tmpl, mgr_row_fn row)
{
    static const char mark[] = "{db}";
    const char *params[1] = { in->db }, *p = tmpl, *at;
    struct mgr_buf sql;
    int rc;

    in->api->buf_init(&sql, 0);
    while ((at = strstr(p, mark)) != NULL) {
        in->api->buf_add(&sql, p, (size_t)(at - p));
        sq_quote_ident(in->c->st, in->db, &sql);
        p = at + sizeof(mark) - 1;
    }
    in->api->buf_add(&sql, p, strlen(p));
    rc = sq_query(in->c, sql.buf, params, strstr(tmpl, "$1") ? 1 : 0, row,
                  in, NULL, NULL, in->err);
    in->api->buf_release(&sql);
    return rc;
}

/* ---- tables and columns --------------------------------------------- */

static int table_row(void *ctx, size_t ncols, const char *const *names,
                     const char *const *v)
{
    struct intro *in = ctx;
    struct table *t;
    struct mgr_object obj = { 0 };

    (void)ncols;
    (void)names;
    if (sq_excluded(in->req, v[0]))
        return MGR_OK;
    t = sq_arena_alloc(&in->arena, sizeof(*t));
    t->name = sq_arena_strdup(&in->arena, v[0]);
    sq_parse_create_table(&in->arena, v[1], &t->sql);
    sq_ptrs_push(&in->arena, &in->tables, t);
    obj.kind = MGR_OBJ_TABLE;
    obj.name = t->name;
    return report(in, &obj);
}

/* Keep name as column seq (1-based) of t's primary key. */
static void add_pk_column(struct intro *in, struct table *t, int seq,
                          const char *name)
{
    struct pk_column *col = sq_arena_alloc(&in->arena, sizeof(*col));
    size_t k;

    col->seq = seq;
    col->name = sq_arena_strdup(&in->arena, name);
    sq_ptrs_push(&in->arena, &t->pk, col);
    /* Rows come in column order: move it to its place in the key. */
    for (k = t->pk.n - 1;
         k > 0 && ((const struct pk_column *)t->pk.v[k - 1])->seq > seq;
         k--)
        t->pk.v[k] = t->pk.v[k - 1];
    t->pk.v[k] = col;
}

/* m.name, cid, name, type, notnull, dflt_value, pk, hidden */
static int column_row(void *ctx, size_t ncols, const char *const *names,
                      const char *const *v)
{
    struct intro *in = ctx;
    struct table *t = table_named(in, v[0]);
    struct mgr_object obj = { 0 };

    (void)ncols;
    (void)names;
    /* hidden: 1 a virtual table's, 2 and 3 generated columns. */
    if (!t || to_int(v[7]) != 0)
        return MGR_OK;
    if (to_int(v[6]) > 0)
        add_pk_column(in, t, to_int(v[6]), v[2]);
    obj.kind = MGR_OBJ_COLUMN;
    obj.table = t->name;
    obj.name = v[2];
    obj.type = v[3] && *v[3] ? v[3] : NULL;
    obj.expr = v[5];
    obj.position = to_int(v[1]) + 1;
    if (to_int(v[4]))
        obj.flags |= MGR_OBJ_NOT_NULL;
    if (sq_name_eq(t->sql.autoincrement, v[2]))
        obj.flags |= MGR_OBJ_AUTOINCREMENT;
    return report(in, &obj);
}

static int report_primary_keys(struct intro *in)
{
    for (size_t i = 0; i < in->tables.n; i++) {
        const struct table *t = in->tables.v[i];
        struct mgr_object obj = { 0 };
        const char **cols;
        int rc;

        if (!t->pk.n)
            continue;
        cols = sq_arena_alloc(&in->arena, t->pk.n * sizeof(*cols));
        for (size_t k = 0; k < t->pk.n; k++)
            cols[k] = ((const struct pk_column *)t->pk.v[k])->name;
        obj.kind = MGR_OBJ_PRIMARY_KEY;
        obj.table = t->name;
        obj.name = t->sql.pk_name;
        obj.items = cols;
        obj.nitems = t->pk.n;
        rc = report(in, &obj);
        if (rc != MGR_OK)
            return rc;
    }
    return MGR_OK;
}

static int report_checks(struct intro *in)
{
    for (size_t i = 0; i < in->tables.n; i++) {
        const struct table *t = in->tables.v[i];

        for (size_t k = 0; k < t->sql.checks.n; k++) {
            const struct sq_check_clause *ck = t->sql.checks.v[k];
            struct mgr_object obj = { 0 };
            int rc;

            obj.kind = MGR_OBJ_CHECK;
            obj.table = t->name;
            obj.name = ck->name;
            obj.expr = ck->expr;
            rc = report(in, &obj);
            if (rc != MGR_OK)
                return rc;
        }
    }
    return MGR_OK;
}

/* ---- groups of rows: indexes and foreign keys ----------------------- */

static int same_names(const struct sq_ptrs *a, const struct sq_ptrs *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (!sq_name_eq(a->v[i], b->v[i]))
            return 0;
    return 1;
}

/* Whether the current group is the one of table t and key. */
static int in_group(const struct intro *in, const struct table *t,
                    const char *key)
{
    return in->group.table == t && strcmp(in->group.key, key) == 0;
}

/* Start a group for table t and key. */
static void open_group(struct intro *in, struct table *t, const char *key)
{
    memset(&in->group, 0, sizeof(in->group));
    in->group.table = t;
    in->group.key = sq_arena_strdup(&in->arena, key);
}

/* The name its CREATE TABLE text gives the UNIQUE constraint on cols. */
static const char *unique_name(struct table *t, const struct sq_ptrs *cols)
{
    for (size_t i = 0; i < t->sql.uniques.n; i++) {
        struct sq_unique_clause *u = t->sql.uniques.v[i];

        if (!u->used && same_names(&u->cols, cols)) {
            u->used = 1;
            return u->name;
        }
    }
    return NULL;
}

static int report_index(struct intro *in)
{
    struct group *g = &in->group;
    struct mgr_object obj = { 0 };
    struct sq_index_sql ix;

    obj.table = g->table->name;
    if (strcmp(g->origin, "u") == 0) {
        obj.kind = MGR_OBJ_UNIQUE;
        obj.name = unique_name(g->table, &g->cols);
        obj.items = (const char *const *)g->cols.v;
        obj.nitems = g->cols.n;
        return report(in, &obj);
    }
    /* An index of its own: the column list and WHERE as written. */
    sq_parse_create_index(&in->arena, g->sql, &ix);
    obj.kind = MGR_OBJ_INDEX;
    obj.name = g->key;
    obj.items = (const char *const *)ix.items.v;
    obj.nitems = ix.items.n;
    obj.expr = ix.where;
    if (g->unique)
        obj.flags |= MGR_OBJ_UNIQUE_INDEX;
    return report(in, &obj);
}

/* m.name, il.name, unique, origin, sql, ix.name */
static int index_row(void *ctx, size_t ncols, const char *const *names,
                     const char *const *v)
{
    struct intro *in = ctx;
    struct table *t = table_named(in, v[0]);
    int rc = MGR_OK;

    (void)ncols;
    (void)names;
    if (!t)
        return MGR_OK;
    if (!in_group(in, t, v[1])) {
        if (in->group.table)
            rc = report_index(in);
        open_group(in, t, v[1]);
        in->group.unique = to_int(v[2]) != 0;
        in->group.origin = sq_arena_strdup(&in->arena, v[3]);
        in->group.sql = sq_arena_strdup(&in->arena, v[4]);
    }
    if (v[5])
        sq_ptrs_push(&in->arena, &in->group.cols,
                     sq_arena_strdup(&in->arena, v[5]));
    return rc;
}

/* The clause of t's CREATE TABLE text for the foreign key g, which
 * SQLite numbers in reverse order of writing (id 0 is the last). */
static struct sq_fk_clause *fk_clause(struct table *t, const struct group *g)
{
    size_t n = t->sql.fks.n, id = (size_t)strtoul(g->key, NULL, 10);

    for (size_t k = 0; k < n; k++) {
        /* Try the clause at the mirrored place first. */
        size_t at = (id < n ? n - 1 - id + k : k) % n;
        struct sq_fk_clause *fk = t->sql.fks.v[at];

        if (!fk->used && sq_name_eq(fk->table, g->ref_table) &&
            same_names(&fk->from, &g->cols)) {
            fk->used = 1;
            return fk;
        }
    }
    return NULL;
}

static const char *action(const char *a)
{
    return a && strcmp(a, "NO ACTION") != 0 ? a : NULL;
}

static int report_foreign_key(struct intro *in)
{
    struct group *g = &in->group;
    struct sq_fk_clause *fk = fk_clause(g->table, g);
    struct mgr_object obj = { 0 };

    obj.kind = MGR_OBJ_FOREIGN_KEY;
    obj.table = g->table->name;
    obj.name = fk ? fk->name : NULL;
    obj.flags = fk ? fk->flags : 0;
    obj.items = (const char *const *)g->cols.v;
    obj.nitems = g->cols.n;
    obj.ref_schema = in->shown;
    obj.ref_table = g->ref_table;
    /* NULL: the table referred to is missing or has no primary key. */
    obj.ref_columns =
        g->ref_unknown ? NULL : (const char *const *)g->ref_cols.v;
    obj.on_delete = action(g->on_delete);
    obj.on_update = action(g->on_update);
    return report(in, &obj);
}

/* m.name, id, table, from, to (resolved), on_update, on_delete */
static int foreign_key_row(void *ctx, size_t ncols, const char *const *names,
                           const char *const *v)
{
    struct intro *in = ctx;
    struct table *t = table_named(in, v[0]);
    struct sq_arena *a = &in->arena;
    int rc = MGR_OK;

    (void)ncols;
    (void)names;
    if (!t)
        return MGR_OK;
    if (!in_group(in, t, v[1])) {
        if (in->group.table)
            rc = report_foreign_key(in);
        open_group(in, t, v[1]);
        in->group.ref_table = sq_arena_strdup(a, v[2]);
        in->group.on_update = sq_arena_strdup(a, v[5]);
        in->group.on_delete = sq_arena_strdup(a, v[6]);
    }
    sq_ptrs_push(a, &in->group.cols, sq_arena_strdup(a, v[3]));
    sq_ptrs_push(a, &in->group.ref_cols, sq_arena_strdup(a, v[4]));
    if (!v[4])
        in->group.ref_unknown = 1;
    return rc;
}

/* Run a grouped query; report its last group. */
static int run_grouped(struct intro *in, const char *tmpl, mgr_row_fn row,
                       int (*report_group)(struct intro *in))
{
    int rc;

    memset(&in->group, 0, sizeof(in->group));
    rc = run(in, tmpl, row);
    if (rc == MGR_OK && in->group.table)
        rc = report_group(in);
    memset(&in->group, 0, sizeof(in->group));
    return rc;
}

/* ---- views ---------------------------------------------------------- */

static int view_row(void *ctx, size_t ncols, const char *const *names,
                    const char *const *v)
{
    struct intro *in = ctx;
    struct mgr_object obj = { 0 };

    (void)ncols;
    (void)names;
    obj.kind = MGR_OBJ_VIEW;
    obj.name = v[0];
    obj.expr = sq_parse_view_body(&in->arena, v[1]);
    return report(in, &obj);
}

/* ---- introspect ----------------------------------------------------- */

/* Every object of database db. */
static int read_database(struct intro *in, const char *db)
{
    int rc;

    in->db = db;
    in->shown = sq_name_eq(db, "main") ? "" : db;
    memset(&in->tables, 0, sizeof(in->tables));
    rc = run(in, q_tables, table_row);
    if (rc == MGR_OK)
        rc = run(in, q_columns, column_row);
    if (rc == MGR_OK)
        rc = report_primary_keys(in);
    if (rc == MGR_OK)
        rc = run_grouped(in, q_indexes, index_row, report_index);
    if (rc == MGR_OK)
        rc = run_grouped(in, q_foreign_keys, foreign_key_row,
                         report_foreign_key);
    if (rc == MGR_OK)
        rc = report_checks(in);
    if (rc == MGR_OK)
        rc = run(in, q_views, view_row);
    return rc;
}

/* MGR_EDB unless db is a database of the connection. */
static int check_database(struct intro *in, const char *db)
{
    const char *params[1] = { db };
    int rows = 0, rc;

    rc = sq_query(in->c, "SELECT 1 FROM pragma_database_list "
                         "WHERE name = $1 COLLATE NOCASE",
                  params, 1, sq_count_row, &rows, NULL, NULL, in->err);
    if (rc == MGR_OK && rows == 0)
        rc = in->api->error_set(in->err, MGR_EDB,
                                "unknown database '%s'; ATTACH it or name "
                                "'main'",
                                db);
    return rc;
}

int sq_introspect(void *conn, const struct mgr_introspect_request *req,
                  struct mgr_schema_sink *sink, struct mgr_error *err)
{
    static const char *const main_only[] = { "main" };
    static const struct mgr_introspect_request everything = {
        sizeof(everything), NULL, 0, NULL, 0,
    };
    const char *const *dbs = main_only;
    size_t ndbs = 1;
    struct intro in;
    int rc = MGR_OK;

    if (!req)
        req = &everything;
    memset(&in, 0, sizeof(in));
    in.c = conn;
    in.api = in.c->st->api;
    in.req = req;
    in.sink = sink;
    in.err = err;
    sq_arena_init(&in.arena, in.api);
    if (req->nschemas) {
        dbs = req->schemas;
        ndbs = req->nschemas;
    }
    for (size_t i = 0; i < ndbs && rc == MGR_OK; i++) {
        rc = check_database(&in, dbs[i]);
        if (rc == MGR_OK)
            rc = read_database(&in, dbs[i]);
    }
    sq_arena_release(&in.arena);
    return rc;
}

/* ---- the scratch database ------------------------------------------- */

int sq_scratch_open(void *state, void *conn, const char *url,
                    void **scratch_out, struct mgr_buf *name,
                    struct mgr_error *err)
{
    /* A memory database: nothing to remove afterwards, hence no name. */
    (void)conn;
    (void)url;
    (void)name;
    return sq_connect(state, "sqlite://", scratch_out, err);
}

int sq_scratch_close(void *state, void *conn, void *scratch,
                     const char *name, struct mgr_error *err)
{
    (void)state;
    (void)conn;
    (void)name;
    (void)err;
    sq_close(scratch);
    return MGR_OK;
}
