/*
 * check_sqlite_schema.c: the SQLite dialect's schema operations (ABI
 * 1.2): introspect, render, scratch_open/scratch_close, and the query
 * that turns PRAGMA foreign_key_check rows into a failure. Driven through
 * the plugin's descriptor with the mock host; every database is a memory
 * database.
 *
 * Render is checked by its effect: the SQL it writes runs on a real
 * database (in a transaction, as a migration runs it), and introspecting
 * that database again must give the schema the changes lead to.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <migrator/plugin.h>

#include "mock_host.h"
#include "sqlite.h"

const struct mgr_plugin *mgr_plugin_entry(void);

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- fixtures ----------------------------------------------------------- */

static struct mgr_host_api api;
static const struct mgr_dialect_ops *ops;
static void *state;
static struct sq_conn *db; /* a memory database, fresh for each test */
static struct mgr_error err;
static struct mgr_buf rendered = MGR_BUF_INIT;

static void reset_models(void);

static void setup(void)
{
    const struct mgr_plugin *p = mgr_plugin_entry();
    void *conn = NULL;

    mock_host_api_init(&api);
    api.meta_add = mock_unused_meta_add;
    api.exec_section_begin = mock_unused_exec_section_begin;
    api.exec_sql = mock_unused_exec_sql;
    mock_host_reset();
    ck_assert_int_eq(p->init(&api, NULL, &state, &err), MGR_OK);
    ops = p->ops;
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(ops->connect(state, "sqlite://", &conn, &err), MGR_OK);
    db = conn;
    reset_models();
}

static void teardown(void)
{
    ops->close(db);
    mgr_plugin_entry()->fini(state);
    mock_buf_release(&rendered);
    mock_buf_release(&mock_schema_text);
    /* Everything the plugin took from the host went back. */
    ck_assert_int_eq(mock_live_allocations, 0);
}

/* ---- running SQL -------------------------------------------------------- */

static int run_statement(void *ctx, const char *stmt, size_t len, int line,
                         struct mgr_error *e)
{
    char *sql = strndup(stmt, len);
    int rc;

    ck_assert_ptr_nonnull(sql);
    (void)line;
    rc = ops->query(ctx, sql, NULL, 0, NULL, NULL, NULL, NULL, e);
    free(sql);
    return rc;
}

/* Run a script (several statements) on c, outside a transaction. */
static int run_sql(struct sq_conn *c, const char *sql)
{
    return ops->split(state, sql, strlen(sql), 1, run_statement, c, &err);
}

#define ck_run(c, sql)                                                  \
    do {                                                                \
        int rc_ = run_sql((c), (sql));                                  \
        ck_assert_msg(rc_ == MGR_OK, "%s\nfailed: %s", (sql), err.msg); \
    } while (0)

/* Run a script as a migration does: in one transaction, rolled back when
 * a statement fails. */
static int migrate(struct sq_conn *c, const char *sql)
{
    struct mgr_error ignored;
    int rc;

    ck_assert_int_eq(ops->begin(c, &err), MGR_OK);
    rc = run_sql(c, sql);
    if (rc != MGR_OK) {
        ops->rollback(c, &ignored);
        return rc;
    }
    return ops->commit(c, &err);
}

#define ck_migrate(c, sql)                                              \
    do {                                                                \
        int rc_ = migrate((c), (sql));                                  \
        ck_assert_msg(rc_ == MGR_OK, "%s\nfailed: %s", (sql), err.msg); \
    } while (0)

static int append_row(void *ctx, size_t ncols, const char *const *names,
                      const char *const *values)
{
    struct mgr_buf *out = ctx;

    (void)names;
    for (size_t i = 0; i < ncols; i++)
        mock_buf_addf(out, "%s%s", i ? "|" : (out->len ? ";" : ""),
                      values[i] ? values[i] : "NULL");
    return MGR_OK;
}

/* The rows of a query, "a|b;c|d", into a static buffer. */
static const char *rows_of(struct sq_conn *c, const char *sql)
{
    static char text[4096];
    struct mgr_buf out = MGR_BUF_INIT;
    int rc = ops->query(c, sql, NULL, 0, append_row, &out, NULL, NULL, &err);

    ck_assert_msg(rc == MGR_OK, "%s: %s", sql, err.msg);
    snprintf(text, sizeof(text), "%s", out.buf);
    mock_buf_release(&out);
    return text;
}

/* ---- introspection ------------------------------------------------------ */

static const char *const migrator_tables[] = {
    "migrator_version", "migrator_log", "migrator_schema",
};

/* What introspect reports of c (the tables above excluded), as the mock
 * host's lines. */
static const char *introspected(struct sq_conn *c)
{
    struct mgr_introspect_request req;
    int rc;

    memset(&req, 0, sizeof(req));
    req.size = sizeof(req);
    req.exclude = migrator_tables;
    req.nexclude = N(migrator_tables);
    mock_buf_release(&mock_schema_text);
    rc = ops->introspect(c, &req, NULL, &err);
    ck_assert_msg(rc == MGR_OK, "introspect: %s", err.msg);
    return mock_schema_text.buf;
}

/* The lines of text that start with prefix, in order. */
static const char *lines_of(const char *text, const char *prefix)
{
    static char out[8192];
    size_t n = 0, plen = strlen(prefix);

    out[0] = '\0';
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n") + 1;

        if (strncmp(p, prefix, plen) == 0 && n + len < sizeof(out)) {
            memcpy(out + n, p, len);
            n += len;
            out[n] = '\0';
        }
        p += len;
        if (p[-1] != '\n')
            break;
    }
    return out;
}

#define ck_assert_has(text, needle)                                     \
    ck_assert_msg(strstr((text), (needle)) != NULL,                     \
                  "\n%s\nlacks\n%s", (text), (needle))
#define ck_assert_lacks(text, needle)                                   \
    ck_assert_msg(strstr((text), (needle)) == NULL,                     \
                  "\n%s\nhas\n%s", (text), (needle))

static int count_of(const char *text, const char *needle)
{
    int n = 0;

    for (const char *p = strstr(text, needle); p;
         p = strstr(p + 1, needle))
        n++;
    return n;
}

/* ---- models built by hand ----------------------------------------------- */

/* A table of the model with room for its columns, constraints, indexes. */
struct tmodel {
    struct mgr_object obj;
    struct mgr_object col[8], con[8], ix[4];
    const struct mgr_object *colp[8], *conp[8], *ixp[4];
    struct mgr_table t;
};

static struct tmodel pool[16];
static size_t npool;

/* A list of changes and the schemas before and after it. */
static struct mgr_change change_v[16];
static const struct mgr_change *list[16];
static size_t nlist;
static struct mgr_schema before, after;
static const struct mgr_table *before_tables[8], *after_tables[8];
static const struct mgr_object *before_views[4], *after_views[4];

static void reset_models(void)
{
    memset(pool, 0, sizeof(pool));
    npool = 0;
    memset(change_v, 0, sizeof(change_v));
    nlist = 0;
    memset(&before, 0, sizeof(before));
    memset(&after, 0, sizeof(after));
    before.tables = before_tables;
    after.tables = after_tables;
    before.views = before_views;
    after.views = after_views;
}

static void obj_init(struct mgr_object *o, uint32_t kind, const char *table,
                     const char *name)
{
    memset(o, 0, sizeof(*o));
    o->size = sizeof(*o);
    o->kind = kind;
    o->schema = "";
    o->table = table;
    o->name = name;
}

/* Point t at the arrays of m (after a copy or a removal). */
static void tm_link(struct tmodel *m)
{
    m->t.obj = &m->obj;
    for (size_t k = 0; k < m->t.ncolumns; k++)
        m->colp[k] = &m->col[k];
    for (size_t k = 0; k < m->t.nconstraints; k++)
        m->conp[k] = &m->con[k];
    for (size_t k = 0; k < m->t.nindexes; k++)
        m->ixp[k] = &m->ix[k];
    m->t.columns = m->colp;
    m->t.constraints = m->conp;
    m->t.indexes = m->ixp;
}

static struct tmodel *tm(const char *name)
{
    struct tmodel *m;

    ck_assert_uint_lt(npool, N(pool));
    m = &pool[npool++];
    obj_init(&m->obj, MGR_OBJ_TABLE, NULL, name);
    tm_link(m);
    return m;
}

/* A copy of src, to change into the table after the list. */
static struct tmodel *tm_copy(const struct tmodel *src)
{
    struct tmodel *m = tm(src->obj.name);

    *m = *src;
    tm_link(m);
    return m;
}

static struct mgr_object *tm_col(struct tmodel *m, const char *name,
                                 const char *type, unsigned flags,
                                 const char *dflt)
{
    struct mgr_object *o = &m->col[m->t.ncolumns++];

    obj_init(o, MGR_OBJ_COLUMN, m->obj.name, name);
    o->type = type;
    o->flags = flags;
    o->expr = dflt;
    o->position = (int)m->t.ncolumns;
    tm_link(m);
    return o;
}

static struct mgr_object *tm_con(struct tmodel *m, uint32_t kind,
                                 const char *name, const char *const *items,
                                 size_t nitems)
{
    struct mgr_object *o = &m->con[m->t.nconstraints++];

    obj_init(o, kind, m->obj.name, name);
    o->items = items;
    o->nitems = nitems;
    tm_link(m);
    return o;
}

static struct mgr_object *tm_check(struct tmodel *m, const char *name,
                                   const char *expr)
{
    struct mgr_object *o = tm_con(m, MGR_OBJ_CHECK, name, NULL, 0);

    o->expr = expr;
    return o;
}

static struct mgr_object *tm_fk(struct tmodel *m, const char *name,
                                const char *const *items, size_t nitems,
                                const char *ref_table,
                                const char *const *ref_columns)
{
    struct mgr_object *o =
        tm_con(m, MGR_OBJ_FOREIGN_KEY, name, items, nitems);

    o->ref_schema = "";
    o->ref_table = ref_table;
    o->ref_columns = ref_columns;
    return o;
}

static struct mgr_object *tm_ix(struct tmodel *m, const char *name,
                                const char *const *items, size_t nitems,
                                const char *where, unsigned flags)
{
    struct mgr_object *o = &m->ix[m->t.nindexes++];

    obj_init(o, MGR_OBJ_INDEX, m->obj.name, name);
    o->items = items;
    o->nitems = nitems;
    o->expr = where;
    o->flags = flags;
    tm_link(m);
    return o;
}

/* Remove the column, constraint or index name from m. */
static void tm_remove(struct tmodel *m, const char *name)
{
    struct {
        struct mgr_object *v;
        size_t *n;
    } lists[] = {
        { m->col, &m->t.ncolumns },
        { m->con, &m->t.nconstraints },
        { m->ix, &m->t.nindexes },
    };

    for (size_t l = 0; l < N(lists); l++)
        for (size_t k = 0; k < *lists[l].n; k++)
            if (lists[l].v[k].name && strcmp(lists[l].v[k].name, name) == 0) {
                memmove(&lists[l].v[k], &lists[l].v[k + 1],
                        (*lists[l].n - k - 1) * sizeof(lists[l].v[0]));
                (*lists[l].n)--;
                tm_link(m);
                return;
            }
    ck_abort_msg("no %s in the model", name);
}

static void schema_add_table(struct mgr_schema *s, const struct tmodel *m)
{
    const struct mgr_table **tables = (const struct mgr_table **)s->tables;

    tables[s->ntables++] = &m->t;
}

static void schema_add_view(struct mgr_schema *s, const struct mgr_object *v)
{
    const struct mgr_object **views = (const struct mgr_object **)s->views;

    views[s->nviews++] = v;
}

static struct mgr_object *view(const char *name, const char *select)
{
    static struct mgr_object views[8];
    static size_t nviews;
    struct mgr_object *v = &views[nviews++ % N(views)];

    obj_init(v, MGR_OBJ_VIEW, NULL, name);
    v->expr = select;
    return v;
}

static struct mgr_change *add_change(uint32_t kind,
                                     const struct mgr_object *from,
                                     const struct mgr_object *to,
                                     const struct tmodel *from_table,
                                     const struct tmodel *to_table)
{
    struct mgr_change *c = &change_v[nlist];

    ck_assert_uint_lt(nlist, N(change_v));
    memset(c, 0, sizeof(*c));
    c->size = sizeof(*c);
    c->kind = kind;
    c->from = from;
    c->to = to;
    c->from_table = from_table ? &from_table->t : NULL;
    c->to_table = to_table ? &to_table->t : NULL;
    c->from_schema = &before;
    c->to_schema = &after;
    list[nlist++] = c;
    return c;
}

/* Render every change of the list into rendered; its text. */
static const char *render_list(void)
{
    mock_buf_release(&rendered);
    for (size_t i = 0; i < nlist; i++) {
        unsigned flags = 0;
        int rc = ops->render(state, list, nlist, i, &rendered, &flags, &err);

        ck_assert_msg(rc == MGR_OK, "render %zu: %s", i, err.msg);
        /* Everything SQLite does runs inside the migration's
         * transaction. */
        ck_assert_uint_eq(flags, 0);
    }
    return rendered.buf;
}

/* Render changes[i] alone into a fresh buffer; its status. */
static int render_one(size_t i, struct mgr_buf *out)
{
    unsigned flags = 0;

    return ops->render(state, list, nlist, i, out, &flags, &err);
}

/* ---- descriptor --------------------------------------------------------- */

START_TEST(test_ops_abi_1_2)
{
    const struct mgr_plugin *p = mgr_plugin_entry();

    ck_assert_uint_ge(MGR_ABI_MINOR_OF(p->abi_version), 2);
    ck_assert(MGR_OPS_HAS(ops, struct mgr_dialect_ops, scratch_close));
    ck_assert_ptr_nonnull(ops->introspect);
    ck_assert_ptr_nonnull(ops->render);
    ck_assert_ptr_nonnull(ops->scratch_open);
    ck_assert_ptr_nonnull(ops->scratch_close);
}
END_TEST

/* ---- introspect --------------------------------------------------------- */

static const char every_kind_sql[] =
    "CREATE TABLE properties (\n"
    "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "    code TEXT NOT NULL UNIQUE,\n"
    "    name VARCHAR(40) DEFAULT 'unnamed',\n"
    "    CONSTRAINT uq_properties_name UNIQUE (name)\n"
    ");\n"
    "CREATE TABLE units (\n"
    "    property_id INTEGER NOT NULL,\n"
    "    \"number\" INTEGER NOT NULL CONSTRAINT ck_number CHECK "
    "(\"number\" > 0),\n"
    "    rent NUMERIC(10,2) DEFAULT 0 CHECK (rent >= 0),\n"
    "    created TEXT DEFAULT CURRENT_TIMESTAMP, -- a comment, (\n"
    "    area REAL GENERATED ALWAYS AS (rent * 2) VIRTUAL,\n"
    "    note TEXT DEFAULT (lower('X')),\n"
    "    CONSTRAINT pk_units PRIMARY KEY (property_id, \"number\"),\n"
    "    CONSTRAINT fk_units_property FOREIGN KEY (property_id)\n"
    "        REFERENCES properties (id) ON DELETE CASCADE\n"
    "        DEFERRABLE INITIALLY DEFERRED,\n"
    "    CONSTRAINT \"ck units, rent\" CHECK (rent < 100000),\n"
    "    CHECK (property_id <> 0)\n"
    ");\n"
    "CREATE TABLE leases (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    property_id INTEGER REFERENCES properties ON UPDATE SET NULL,\n"
    "    unit_number INTEGER,\n"
    "    tenant TEXT,\n"
    "    starts TEXT,\n"
    "    FOREIGN KEY (property_id, unit_number) REFERENCES units\n"
    "        ON DELETE RESTRICT,\n"
    "    CONSTRAINT fk_leases_tenant FOREIGN KEY (tenant)\n"
    "        REFERENCES tenants (name) NOT DEFERRABLE\n"
    ");\n"
    "CREATE TABLE tenants (name TEXT UNIQUE, born TEXT,\n"
    "    UNIQUE (born, name));\n"
    "CREATE INDEX ix_leases_tenant ON leases (lower(tenant), starts DESC)\n"
    "    WHERE tenant IS NOT NULL;\n"
    "CREATE UNIQUE INDEX \"ix leases, starts\" ON leases (\"starts\");\n"
    "CREATE VIEW active_leases AS SELECT l.id, p.code\n"
    "    FROM leases AS l JOIN properties AS p ON p.id = l.property_id;\n"
    "CREATE TABLE migrator_version (version_num VARCHAR(32) NOT NULL,\n"
    "    CONSTRAINT pk_mv PRIMARY KEY (version_num));\n"
    "CREATE INDEX ix_mv ON migrator_version (version_num);\n"
    "CREATE TABLE migrator_log (id INTEGER REFERENCES properties);\n"
    "INSERT INTO properties (code) VALUES ('a');\n";

static const char every_kind_expected[] =
    "TABLE ||leases\n"
    "TABLE ||properties\n"
    "TABLE ||tenants\n"
    "TABLE ||units\n"
    "COLUMN |leases|id type=INTEGER pos=1\n"
    "COLUMN |leases|property_id type=INTEGER pos=2\n"
    "COLUMN |leases|unit_number type=INTEGER pos=3\n"
    "COLUMN |leases|tenant type=TEXT pos=4\n"
    "COLUMN |leases|starts type=TEXT pos=5\n"
    "COLUMN |properties|id type=INTEGER flags=0x100 pos=1\n"
    "COLUMN |properties|code type=TEXT flags=0x1 pos=2\n"
    "COLUMN |properties|name type=VARCHAR(40) expr='unnamed' pos=3\n"
    "COLUMN |tenants|name type=TEXT pos=1\n"
    "COLUMN |tenants|born type=TEXT pos=2\n"
    "COLUMN |units|property_id type=INTEGER flags=0x1 pos=1\n"
    "COLUMN |units|number type=INTEGER flags=0x1 pos=2\n"
    "COLUMN |units|rent type=NUMERIC(10,2) expr=0 pos=3\n"
    "COLUMN |units|created type=TEXT expr=CURRENT_TIMESTAMP pos=4\n"
    "COLUMN |units|note type=TEXT expr=lower('X') pos=6\n"
    "PRIMARY_KEY |leases|(null) items=id\n"
    "PRIMARY_KEY |properties|(null) items=id\n"
    "PRIMARY_KEY |units|pk_units items=property_id,number\n"
    "INDEX |leases|ix leases, starts items=\"starts\" flags=0x2\n"
    "INDEX |leases|ix_leases_tenant expr=tenant IS NOT NULL "
    "items=lower(tenant),starts DESC\n"
    "UNIQUE |properties|(null) items=code\n"
    "UNIQUE |properties|uq_properties_name items=name\n"
    "UNIQUE |tenants|(null) items=name\n"
    "UNIQUE |tenants|(null) items=born,name\n"
    "FOREIGN_KEY |leases|fk_leases_tenant items=tenant ref=|tenants "
    "ref_columns=name\n"
    "FOREIGN_KEY |leases|(null) items=property_id,unit_number ref=|units "
    "ref_columns=property_id,number on_delete=RESTRICT\n"
    "FOREIGN_KEY |leases|(null) items=property_id ref=|properties "
    "ref_columns=id on_update=SET NULL\n"
    "FOREIGN_KEY |units|fk_units_property items=property_id "
    "ref=|properties ref_columns=id on_delete=CASCADE flags=0xc\n"
    "CHECK |units|ck_number expr=\"number\" > 0\n"
    "CHECK |units|(null) expr=rent >= 0\n"
    "CHECK |units|ck units, rent expr=rent < 100000\n"
    "CHECK |units|(null) expr=property_id <> 0\n"
    "VIEW ||active_leases expr=SELECT l.id, p.code\n"
    "    FROM leases AS l JOIN properties AS p ON p.id = l.property_id\n";

START_TEST(test_introspect_every_kind)
{
    ck_run(db, every_kind_sql);
    ck_assert_str_eq(introspected(db), every_kind_expected);
}
END_TEST

/* Whatever order the objects were made in, the same report. */
START_TEST(test_introspect_no_request_schemas_is_main)
{
    ck_run(db, "CREATE TABLE b (x INTEGER);"
               "CREATE TABLE a (y TEXT CONSTRAINT uq UNIQUE);"
               "ATTACH DATABASE ':memory:' AS aux;"
               "CREATE TABLE aux.c (z INTEGER);");
    ck_assert_str_eq(introspected(db),
                     "TABLE ||a\n"
                     "TABLE ||b\n"
                     "COLUMN |a|y type=TEXT pos=1\n"
                     "COLUMN |b|x type=INTEGER pos=1\n"
                     "UNIQUE |a|uq items=y\n");
}
END_TEST

START_TEST(test_introspect_attached_schema)
{
    static const char *const both[] = { "main", "aux" };
    struct mgr_introspect_request req;

    ck_run(db, "CREATE TABLE t (x INTEGER);"
               "ATTACH DATABASE ':memory:' AS aux;"
               "CREATE TABLE aux.t (y INTEGER PRIMARY KEY,"
               "  z INTEGER REFERENCES t);"
               "CREATE INDEX aux.ix_z ON t (z);"
               "CREATE VIEW aux.v AS SELECT y FROM t;");
    memset(&req, 0, sizeof(req));
    req.size = sizeof(req);
    req.schemas = both;
    req.nschemas = 2;
    mock_buf_release(&mock_schema_text);
    ck_assert_int_eq(ops->introspect(db, &req, NULL, &err), MGR_OK);
    ck_assert_str_eq(mock_schema_text.buf,
                     "TABLE ||t\n"
                     "COLUMN |t|x type=INTEGER pos=1\n"
                     "TABLE aux||t\n"
                     "COLUMN aux|t|y type=INTEGER pos=1\n"
                     "COLUMN aux|t|z type=INTEGER pos=2\n"
                     "PRIMARY_KEY aux|t|(null) items=y\n"
                     "INDEX aux|t|ix_z items=z\n"
                     "FOREIGN_KEY aux|t|(null) items=z ref=aux|t "
                     "ref_columns=y\n"
                     "VIEW aux||v expr=SELECT y FROM t\n");
}
END_TEST

START_TEST(test_introspect_empty)
{
    ck_assert_str_eq(introspected(db), "");
}
END_TEST

/* A reference to a table that is not there names no columns. */
START_TEST(test_introspect_unresolved_reference)
{
    ck_run(db, "CREATE TABLE c (p INTEGER REFERENCES gone);");
    ck_assert_str_eq(lines_of(introspected(db), "FOREIGN_KEY"),
                     "FOREIGN_KEY |c|(null) items=p ref=|gone\n");
}
END_TEST

/* ---- capture ------------------------------------------------------------ */

/* capture with migrator's tables excluded, as the host asks. */
static int captured(struct sq_conn *c, const char *const *schemas,
                    size_t nschemas, struct mgr_buf *out)
{
    struct mgr_introspect_request req;
    int done = -1;

    memset(&req, 0, sizeof(req));
    req.size = sizeof(req);
    req.schemas = schemas;
    req.nschemas = nschemas;
    req.exclude = migrator_tables;
    req.nexclude = N(migrator_tables);
    ck_assert_int_eq(ops->capture(c, &req, out, &done, &err), MGR_OK);
    ck_assert(done == 0 || done == 1);
    return done;
}

/* Made again on a memory database, the captured statements give what
 * introspecting the original gives, every kind of object included; and
 * they leave migrator's own tables out. */
START_TEST(test_capture_makes_the_same_schema)
{
    struct mgr_buf ddl = MGR_BUF_INIT;
    void *again = NULL;
    char *want;

    ck_run(db, every_kind_sql);
    want = strdup(introspected(db));
    ck_assert_ptr_nonnull(want);
    ck_assert_int_eq(captured(db, NULL, 0, &ddl), 1);
    ck_assert_ptr_null(strstr(ddl.buf, "migrator_"));
    ck_assert_ptr_null(strstr(ddl.buf, "INSERT"));
    ck_assert_int_eq(ops->connect(state, "sqlite://", &again, &err), MGR_OK);
    ck_run(again, ddl.buf);
    ck_assert_str_eq(introspected(again), want);
    ck_assert_str_eq(want, every_kind_expected);
    ops->close(again);
    mock_buf_release(&ddl);
    free(want);
}
END_TEST

/* A view on a view made before it, and an index on an expression, are
 * made again too: tables first, then indexes, then views. */
START_TEST(test_capture_orders_tables_indexes_views)
{
    struct mgr_buf ddl = MGR_BUF_INIT;
    void *again = NULL;
    char *want;

    ck_run(db, "CREATE TABLE a (x INTEGER);"
               "CREATE VIEW v1 AS SELECT x FROM a;"
               "CREATE TABLE b (y TEXT);"
               "CREATE INDEX ix_b ON b (lower(y));"
               "CREATE VIEW v2 AS SELECT * FROM v3;"
               "CREATE VIEW v3 AS SELECT y FROM b;"
               "CREATE TRIGGER tr AFTER INSERT ON a BEGIN SELECT 1; END;");
    want = strdup(introspected(db));
    ck_assert_ptr_nonnull(want);
    ck_assert_int_eq(captured(db, NULL, 0, &ddl), 1);
    ck_assert_ptr_null(strstr(ddl.buf, "TRIGGER"));
    ck_assert_ptr_nonnull(strstr(ddl.buf, "CREATE TABLE b (y TEXT);\n"
                                          "CREATE INDEX"));
    ck_assert(strstr(ddl.buf, "CREATE VIEW v1") >
              strstr(ddl.buf, "CREATE INDEX"));
    ck_assert_int_eq(ops->connect(state, "sqlite://", &again, &err), MGR_OK);
    ck_run(again, ddl.buf);
    ck_assert_str_eq(introspected(again), want);
    ops->close(again);
    mock_buf_release(&ddl);
    free(want);
}
END_TEST

/* What a memory database cannot be given back is not captured: a
 * virtual table (its module), another database than main. */
START_TEST(test_capture_declines)
{
    static const char *const aux[] = { "main", "aux" };
    static const char *const main_only[] = { "main" };
    struct mgr_buf ddl = MGR_BUF_INIT;

    ck_run(db, "CREATE TABLE t (x INTEGER);");
    ck_assert_int_eq(captured(db, aux, 2, &ddl), 0);
    ck_assert_uint_eq(ddl.len, 0);
    ck_assert_int_eq(captured(db, main_only, 1, &ddl), 1);
    mock_buf_release(&ddl);

    ck_run(db, "CREATE VIRTUAL TABLE r USING rtree (id, x0, x1);");
    mock_buf_addf(&ddl, "kept");
    ck_assert_int_eq(captured(db, NULL, 0, &ddl), 0);
    ck_assert_str_eq(ddl.buf, "kept");
    mock_buf_release(&ddl);
}
END_TEST

/* A reference written in lower case is found, even with LIKE made
 * case-sensitive on the connection. */
START_TEST(test_introspect_lower_case_reference)
{
    ck_run(db, "PRAGMA case_sensitive_like = ON;"
               "create table p (id integer primary key);"
               "create table c (x integer references p);");
    ck_assert_str_eq(lines_of(introspected(db), "FOREIGN_KEY"),
                     "FOREIGN_KEY |c|(null) items=x ref=|p "
                     "ref_columns=id\n");
}
END_TEST

/* The CREATE text may be written in any way SQLite takes. */
START_TEST(test_introspect_unusual_text)
{
    ck_run(db, "create table [Odd \"T\"] ( /* c */ `a b` integer\n"
               "  constraint [p k] primary key desc,\n"
               "  'c' text constraint \"c\"\"k\" check((\"c\" ) != ',')"
               " default 'x,y' collate nocase,\n"
               "  d generated always as (1) stored unique)"
               " without rowid;\n"
               "create index \"i\" on [Odd \"T\"] ('c' collate nocase);\n"
               "create view [v w] (n) as select 1;\n");
    ck_assert_str_eq(introspected(db),
                     "TABLE ||Odd \"T\"\n"
                     "COLUMN |Odd \"T\"|a b type=INTEGER flags=0x1 pos=1\n"
                     "COLUMN |Odd \"T\"|c type=TEXT expr='x,y' pos=2\n"
                     "PRIMARY_KEY |Odd \"T\"|p k items=a b\n"
                     "INDEX |Odd \"T\"|i items='c' collate nocase\n"
                     "UNIQUE |Odd \"T\"|(null) items=d\n"
                     "CHECK |Odd \"T\"|c\"k expr=(\"c\" ) != ','\n"
                     "VIEW ||v w expr=select 1\n");
}
END_TEST

START_TEST(test_introspect_unknown_schema)
{
    static const char *const nope[] = { "nope" };
    struct mgr_introspect_request req;

    memset(&req, 0, sizeof(req));
    req.size = sizeof(req);
    req.schemas = nope;
    req.nschemas = 1;
    ck_assert_int_eq(ops->introspect(db, &req, NULL, &err), MGR_EDB);
    ck_assert_str_eq(err.msg, "unknown database 'nope'; ATTACH it or name "
                              "'main'");
}
END_TEST

/* The host refuses an object: introspect stops with its error. */
static int refuse_schema_add(struct mgr_schema_sink *sink,
                             const struct mgr_object *obj,
                             struct mgr_error *e)
{
    (void)sink;
    if (obj->kind == MGR_OBJ_INDEX)
        return mock_error_set(e, MGR_EUSAGE, "refused %s", obj->name);
    return MGR_OK;
}

START_TEST(test_introspect_host_refuses)
{
    struct mgr_introspect_request req;

    ck_run(db, "CREATE TABLE t (x); CREATE INDEX ix ON t (x);");
    memset(&req, 0, sizeof(req));
    req.size = sizeof(req);
    api.schema_add = refuse_schema_add;
    ck_assert_int_eq(ops->introspect(db, &req, NULL, &err), MGR_EUSAGE);
    ck_assert_str_eq(err.msg, "refused ix");
}
END_TEST

/* ---- the foreign key check --------------------------------------------- */

START_TEST(test_foreign_key_check_fails_on_a_row)
{
    ck_run(db, "CREATE TABLE p (id INTEGER PRIMARY KEY);"
               "CREATE TABLE c (id INTEGER PRIMARY KEY,"
               "  p_id INTEGER REFERENCES p (id));"
               "INSERT INTO p VALUES (1);"
               "INSERT INTO c VALUES (10, 1);");
    ck_run(db, "PRAGMA foreign_key_check(\"c\")");
    ck_run(db, "INSERT INTO c VALUES (11, 7);");
    ck_assert_int_eq(run_sql(db, "PRAGMA foreign_key_check(\"c\")"),
                     MGR_EDB);
    ck_assert_str_eq(err.msg, "foreign key violation: row 11 of table 'c' "
                              "refers to a missing row of table 'p'");
    /* Any spelling of the pragma, the whole database too. */
    ck_assert_int_eq(run_sql(db, "/* x */ pragma Main . "
                                 "FOREIGN_KEY_CHECK;"),
                     MGR_EDB);
    ck_assert_int_eq(run_sql(db, "PRAGMA \"main\".foreign_key_check(c)"),
                     MGR_EDB);
    /* Other pragmas give their rows as ever. */
    ck_assert_str_eq(rows_of(db, "PRAGMA foreign_key_list(c)"),
                     "0|0|p|p_id|id|NO ACTION|NO ACTION|NONE");
}
END_TEST

/* ---- scratch ------------------------------------------------------------ */

START_TEST(test_scratch_is_a_fresh_memory_database)
{
    struct mgr_buf name = MGR_BUF_INIT;
    struct sq_conn *scratch = NULL;
    void *s = NULL;

    ck_run(db, "CREATE TABLE mine (x);");
    ck_assert_int_eq(ops->scratch_open(state, db, "sqlite://", &s, &name,
                                       &err),
                     MGR_OK);
    scratch = s;
    ck_assert_ptr_nonnull(scratch);
    ck_assert_ptr_ne(scratch, db);
    ck_assert_ptr_null(scratch->path);
    ck_assert_str_eq(name.buf, "");
    ck_assert_str_eq(introspected(scratch), "");
    ck_run(scratch, "CREATE TABLE t (x INTEGER NOT NULL);");
    ck_assert_str_eq(introspected(scratch),
                     "TABLE ||t\n"
                     "COLUMN |t|x type=INTEGER flags=0x1 pos=1\n");
    ck_assert_int_eq(ops->scratch_close(state, db, scratch, name.buf, &err),
                     MGR_OK);
    /* The connection it was made for is untouched. */
    ck_assert_str_eq(lines_of(introspected(db), "TABLE"),
                     "TABLE ||mine\n");
    mock_buf_release(&name);
}
END_TEST

/* ---- render: one statement per change ----------------------------------- */

static const char *const id_col[] = { "id" };
static const char *const code_col[] = { "code" };
static const char *const owner_col[] = { "owner_id" };
static const char *const lower_code[] = { "lower(code)" };
static const char *const title_col[] = { "title" };
static const char *const name_col[] = { "name" };
static const char *const a_col[] = { "a" };
static const char *const b_col[] = { "b" };
static const char *const d_col[] = { "d" };

/* owners (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL
 * UNIQUE, CHECK (length(code) > 1)) with an index on code. */
static struct tmodel *owners_model(void)
{
    struct tmodel *m = tm("owners");

    tm_col(m, "id", "INTEGER", MGR_OBJ_AUTOINCREMENT, NULL);
    tm_col(m, "code", "TEXT", MGR_OBJ_NOT_NULL, NULL);
    tm_col(m, "since", "TEXT", 0, "CURRENT_TIMESTAMP");
    tm_col(m, "score", "REAL", 0, "1.5 * 2");
    tm_con(m, MGR_OBJ_PRIMARY_KEY, "pk_owners", id_col, 1);
    tm_con(m, MGR_OBJ_UNIQUE, "uq_owners_code", code_col, 1);
    tm_check(m, "ck_owners_code", "length(code) > 1");
    tm_ix(m, "ix_owners_code_lower", lower_code, 1, "code <> 'x'", 0);
    return m;
}

START_TEST(test_render_create_table)
{
    static const char *const pet_ix[] = { "\"name\" DESC", "owner_id" };
    struct tmodel *owners = owners_model(), *pets = tm("pets");
    struct mgr_object *fk;
    struct mgr_buf one = MGR_BUF_INIT;
    const char *sql, *got;

    tm_col(pets, "name", "TEXT", MGR_OBJ_NOT_NULL, "'rex'");
    tm_col(pets, "owner_id", "INTEGER", 0, NULL);
    fk = tm_fk(pets, "fk_pets_owner", owner_col, 1, "owners", id_col);
    fk->on_delete = "CASCADE";
    fk->flags = MGR_OBJ_DEFERRABLE | MGR_OBJ_INITIALLY_DEFERRED;
    tm_ix(pets, "ix_pets", pet_ix, 2, NULL, MGR_OBJ_UNIQUE_INDEX);
    schema_add_table(&after, owners);
    schema_add_table(&after, pets);
    /* pets refers to owners before owners exists; the foreign key is
     * given once more as a change of its own. */
    add_change(MGR_CHANGE_CREATE_TABLE, NULL, &pets->obj, NULL, pets);
    add_change(MGR_CHANGE_CREATE_TABLE, NULL, &owners->obj, NULL, owners);
    add_change(MGR_CHANGE_ADD_CONSTRAINT, NULL, fk, NULL, pets);
    add_change(MGR_CHANGE_CREATE_INDEX, NULL, &pets->ix[0], NULL, pets);
    ck_assert_int_eq(render_one(2, &one), MGR_OK);
    ck_assert_str_eq(one.buf, "");
    mock_buf_release(&one);
    sql = render_list();
    ck_assert_has(sql, "CREATE TABLE \"owners\" (\n"
                       "    \"id\" INTEGER CONSTRAINT \"pk_owners\" PRIMARY "
                       "KEY AUTOINCREMENT,\n"
                       "    \"code\" TEXT NOT NULL,\n"
                       "    \"since\" TEXT DEFAULT CURRENT_TIMESTAMP,\n"
                       "    \"score\" REAL DEFAULT (1.5 * 2),\n"
                       "    CONSTRAINT \"uq_owners_code\" UNIQUE (\"code\"),\n"
                       "    CONSTRAINT \"ck_owners_code\" CHECK "
                       "(length(code) > 1)\n"
                       ");\n");
    ck_assert_int_eq(count_of(sql, "CREATE UNIQUE INDEX \"ix_pets\""), 1);
    ck_migrate(db, sql);
    got = introspected(db);
    ck_assert_str_eq(lines_of(got, "COLUMN |owners"),
                     "COLUMN |owners|id type=INTEGER flags=0x100 pos=1\n"
                     "COLUMN |owners|code type=TEXT flags=0x1 pos=2\n"
                     "COLUMN |owners|since type=TEXT "
                     "expr=CURRENT_TIMESTAMP pos=3\n"
                     "COLUMN |owners|score type=REAL expr=1.5 * 2 pos=4\n");
    ck_assert_has(got, "PRIMARY_KEY |owners|pk_owners items=id\n");
    ck_assert_has(got, "UNIQUE |owners|uq_owners_code items=code\n");
    ck_assert_has(got, "CHECK |owners|ck_owners_code expr=length(code) "
                       "> 1\n");
    ck_assert_has(got, "INDEX |owners|ix_owners_code_lower "
                       "expr=code <> 'x' items=lower(code)\n");
    ck_assert_has(got, "INDEX |pets|ix_pets items=\"name\" DESC,owner_id "
                       "flags=0x2\n");
    ck_assert_has(got, "FOREIGN_KEY |pets|fk_pets_owner items=owner_id "
                       "ref=|owners ref_columns=id on_delete=CASCADE "
                       "flags=0xc\n");
    ck_assert_has(got, "COLUMN |pets|name type=TEXT expr='rex' flags=0x1 "
                       "pos=1\n");
}
END_TEST

/* Each change SQLite's ALTER TABLE makes is one statement. */
START_TEST(test_render_alter_statements)
{
    struct tmodel *t0 = tm("t"), *t1;
    struct tmodel *gone = tm("gone");
    const char *sql, *got;

    ck_run(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, old_b TEXT,"
               "  c TEXT);"
               "CREATE INDEX ix_t_a ON t (a);"
               "CREATE TABLE gone (x);"
               "CREATE VIEW tv AS SELECT old_b FROM t;"
               "INSERT INTO t VALUES (1, 'one', 'b', 'c');");
    tm_col(t0, "id", "INTEGER", 0, NULL);
    tm_col(t0, "a", "TEXT", 0, NULL);
    tm_col(t0, "old_b", "TEXT", 0, NULL);
    tm_col(t0, "c", "TEXT", 0, NULL);
    tm_con(t0, MGR_OBJ_PRIMARY_KEY, "pk_t", id_col, 1);
    tm_ix(t0, "ix_t_a", a_col, 1, NULL, 0);
    tm_col(gone, "x", NULL, 0, NULL);
    t1 = tm_copy(t0);
    t1->obj.name = "renamed";
    tm_remove(t1, "c");
    tm_remove(t1, "ix_t_a");
    t1->col[2].name = "new_b";
    tm_col(t1, "d", "INTEGER", MGR_OBJ_NOT_NULL, "-7");
    tm_ix(t1, "ix_renamed_d", d_col, 1, "d > 0", 0);
    schema_add_table(&before, t0);
    schema_add_table(&before, gone);
    schema_add_table(&after, t1);
    /* SQLite renames the table and the column in the view itself. */
    schema_add_view(&before, view("tv", "SELECT old_b FROM t"));
    schema_add_view(&after, view("tv", "SELECT \"new_b\" FROM "
                                       "\"renamed\""));
    add_change(MGR_CHANGE_DROP_TABLE, &gone->obj, NULL, gone, NULL);
    add_change(MGR_CHANGE_DROP_INDEX, &t0->ix[0], NULL, t0, t1);
    add_change(MGR_CHANGE_RENAME_TABLE, &t0->obj, &t1->obj, t0, t1);
    add_change(MGR_CHANGE_RENAME_COLUMN, &t0->col[2], &t1->col[2], t0, t1);
    add_change(MGR_CHANGE_DROP_COLUMN, &t0->col[3], NULL, t0, t1);
    add_change(MGR_CHANGE_ADD_COLUMN, NULL, &t1->col[3], t0, t1);
    add_change(MGR_CHANGE_CREATE_INDEX, NULL, &t1->ix[0], t0, t1);
    sql = render_list();
    ck_assert_str_eq(sql,
                     "DROP TABLE \"gone\";\n"
                     "DROP INDEX \"ix_t_a\";\n"
                     "ALTER TABLE \"t\" RENAME TO \"renamed\";\n"
                     "ALTER TABLE \"renamed\" RENAME COLUMN \"old_b\" TO "
                     "\"new_b\";\n"
                     "ALTER TABLE \"renamed\" DROP COLUMN \"c\";\n"
                     "ALTER TABLE \"renamed\" ADD COLUMN \"d\" INTEGER NOT "
                     "NULL DEFAULT -7;\n"
                     "CREATE INDEX \"ix_renamed_d\" ON \"renamed\" (d) "
                     "WHERE d > 0;\n");
    ck_migrate(db, sql);
    got = introspected(db);
    ck_assert_str_eq(got,
                     "TABLE ||renamed\n"
                     "COLUMN |renamed|id type=INTEGER pos=1\n"
                     "COLUMN |renamed|a type=TEXT pos=2\n"
                     "COLUMN |renamed|new_b type=TEXT pos=3\n"
                     "COLUMN |renamed|d type=INTEGER expr=-7 flags=0x1 "
                     "pos=4\n"
                     "PRIMARY_KEY |renamed|(null) items=id\n"
                     "INDEX |renamed|ix_renamed_d expr=d > 0 items=d\n"
                     "VIEW ||tv expr=SELECT \"new_b\" FROM \"renamed\"\n");
    ck_assert_str_eq(rows_of(db, "SELECT * FROM renamed"), "1|one|b|-7");
}
END_TEST

START_TEST(test_render_views)
{
    struct mgr_object *v1 = view("v", "SELECT 1 AS one");
    struct mgr_object *v2 = view("v", "SELECT 2 AS two");
    struct mgr_object *w = view("w", "SELECT one FROM v;");
    const char *sql;

    schema_add_view(&before, v1);
    schema_add_view(&after, v2);
    add_change(MGR_CHANGE_REPLACE_VIEW, v1, v2, NULL, NULL);
    add_change(MGR_CHANGE_CREATE_VIEW, NULL, w, NULL, NULL);
    add_change(MGR_CHANGE_DROP_VIEW, w, NULL, NULL, NULL);
    ck_run(db, "CREATE VIEW v AS SELECT 1 AS one;");
    sql = render_list();
    ck_assert_str_eq(sql, "DROP VIEW \"v\";\n"
                          "CREATE VIEW \"v\" AS SELECT 2 AS two;\n"
                          "CREATE VIEW \"w\" AS SELECT one FROM v;\n"
                          "DROP VIEW \"w\";\n");
    ck_migrate(db, sql);
    ck_assert_str_eq(introspected(db), "VIEW ||v expr=SELECT 2 AS two\n");
}
END_TEST

START_TEST(test_render_what_sqlite_lacks)
{
    struct mgr_object e, s, c;
    struct mgr_buf out = MGR_BUF_INIT;

    obj_init(&e, MGR_OBJ_ENUM, NULL, "mood");
    obj_init(&s, MGR_OBJ_SEQUENCE, NULL, "seq");
    obj_init(&c, MGR_OBJ_TABLE, NULL, "t");
    c.comment = "a table";
    add_change(MGR_CHANGE_CREATE_ENUM, NULL, &e, NULL, NULL);
    add_change(MGR_CHANGE_ALTER_SEQUENCE, &s, &s, NULL, NULL);
    add_change(MGR_CHANGE_SET_COMMENT, &c, &c, NULL, NULL);
    ck_assert_int_eq(render_one(0, &out), MGR_EUSAGE);
    ck_assert_str_eq(err.msg, "SQLite has no enum types");
    ck_assert_int_eq(render_one(1, &out), MGR_EUSAGE);
    ck_assert_str_eq(err.msg, "SQLite has no sequences");
    ck_assert_int_eq(render_one(2, &out), MGR_OK);
    ck_assert_str_eq(out.buf, "");
    mock_buf_release(&out);
}
END_TEST

START_TEST(test_render_malformed)
{
    struct mgr_buf out = MGR_BUF_INIT;

    add_change(MGR_CHANGE_SET_COMMENT, NULL, NULL, NULL, NULL);
    add_change(MGR_CHANGE_ADD_COLUMN, NULL, NULL, NULL, NULL);
    ck_assert_int_eq(render_one(0, &out), MGR_EUSAGE);
    ck_assert_str_eq(err.msg, "malformed schema change 1 of 2");
    ck_assert_int_eq(ops->render(state, list, nlist, 2, &out, NULL, &err),
                     MGR_EUSAGE);
    ck_assert_str_eq(out.buf, "");
}
END_TEST

/* ---- render: the table rebuild ------------------------------------------ */

/* items (id INTEGER PRIMARY KEY, title TEXT, qty TEXT) with rows, an
 * index on title and a view over it (and one over that view). */
static struct tmodel *items_before(void)
{
    struct tmodel *m = tm("items");

    ck_run(db, "CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT,"
               "  qty TEXT);"
               "CREATE INDEX ix_items_title ON items (title);"
               "CREATE VIEW big AS SELECT id, title FROM items"
               "  WHERE qty > 10;"
               "CREATE VIEW big_titles AS SELECT title FROM big;"
               "CREATE VIEW other AS SELECT 1 AS x;"
               "INSERT INTO items VALUES (1, 'nail', '100'),"
               "  (2, 'hammer', '3'), (3, 'saw', NULL);");
    tm_col(m, "id", "INTEGER", 0, NULL);
    tm_col(m, "title", "TEXT", 0, NULL);
    tm_col(m, "qty", "TEXT", 0, NULL);
    tm_con(m, MGR_OBJ_PRIMARY_KEY, "pk_items", id_col, 1);
    tm_ix(m, "ix_items_title", title_col, 1, NULL, 0);
    schema_add_table(&before, m);
    schema_add_view(&before, view("big", "SELECT id, title FROM items "
                                         "WHERE qty > 10"));
    schema_add_view(&before, view("big_titles", "SELECT title FROM big"));
    schema_add_view(&before, view("other", "SELECT 1 AS x"));
    return m;
}

START_TEST(test_rebuild_keeps_rows_indexes_and_views)
{
    struct tmodel *t0 = items_before(), *t1 = tm_copy(t0);
    struct mgr_change *alter;
    const char *sql, *got;

    /* qty becomes INTEGER NOT NULL DEFAULT 0, title becomes name, a
     * CHECK is added; the views go along. */
    t1->col[1].name = "name";
    t1->col[2].type = "INTEGER";
    t1->col[2].flags = MGR_OBJ_NOT_NULL;
    t1->col[2].expr = "0";
    t1->ix[0].items = name_col;
    tm_check(t1, "ck_items_qty", "qty >= 0");
    schema_add_table(&after, t1);
    schema_add_view(&after, view("big", "SELECT id, name FROM items "
                                        "WHERE qty > 10"));
    schema_add_view(&after, view("big_titles", "SELECT name FROM big"));
    schema_add_view(&after, before.views[2]);
    add_change(MGR_CHANGE_RENAME_COLUMN, &t0->col[1], &t1->col[1], t0, t1);
    alter = add_change(MGR_CHANGE_ALTER_COLUMN, &t0->col[2], &t1->col[2], t0,
                       t1);
    alter->alter = MGR_ALTER_TYPE | MGR_ALTER_NULLABLE | MGR_ALTER_DEFAULT;
    add_change(MGR_CHANGE_ADD_CONSTRAINT, NULL, &t1->con[1], t0, t1);
    add_change(MGR_CHANGE_REPLACE_VIEW, before.views[0], after.views[0],
               NULL, NULL);
    add_change(MGR_CHANGE_REPLACE_VIEW, before.views[1], after.views[1],
               NULL, NULL);
    sql = render_list();
    /* The rename runs first, the views around it (SQLite would rename
     * the column of big, and big_titles would fail); then one rebuild
     * covers the rest. */
    ck_assert_has(sql, "DROP VIEW \"big\";\n"
                       "DROP VIEW \"big_titles\";\n"
                       "ALTER TABLE \"items\" RENAME COLUMN \"title\" TO "
                       "\"name\";\n"
                       "CREATE VIEW \"big\" AS SELECT id, name FROM items "
                       "WHERE qty > 10;\n"
                       "CREATE VIEW \"big_titles\" AS SELECT name FROM "
                       "big;\n"
                       "-- rebuild of items: SQLite's ALTER TABLE cannot "
                       "make this change\n"
                       "DROP VIEW \"big\";\n"
                       "DROP VIEW \"big_titles\";\n"
                       "CREATE TABLE \"_migrator_new_items\" (\n"
                       "    \"id\" INTEGER,\n"
                       "    \"name\" TEXT,\n"
                       "    \"qty\" INTEGER NOT NULL DEFAULT 0,\n"
                       "    CONSTRAINT \"pk_items\" PRIMARY KEY (\"id\"),\n"
                       "    CONSTRAINT \"ck_items_qty\" CHECK (qty >= 0)\n"
                       ");\n");
    ck_assert_has(sql, "INSERT INTO \"_migrator_new_items\" (\"id\", "
                       "\"name\", \"qty\")\n"
                       "    SELECT \"id\", \"name\", \"qty\" FROM "
                       "\"items\";\n"
                       "DROP TABLE \"items\";\n"
                       "ALTER TABLE \"_migrator_new_items\" RENAME TO "
                       "\"items\";\n"
                       "CREATE INDEX \"ix_items_title\" ON \"items\" "
                       "(name);\n"
                       "CREATE VIEW \"big\" AS SELECT id, name FROM items "
                       "WHERE qty > 10;\n"
                       "CREATE VIEW \"big_titles\" AS SELECT name FROM "
                       "big;\n"
                       "PRAGMA foreign_key_check(\"items\");\n"
                       "-- covered by the rebuild of items above\n"
                       "-- view big was made again above\n"
                       "-- view big_titles was made again above\n");
    ck_assert_int_eq(count_of(sql, "CREATE TABLE"), 1);
    ck_assert_lacks(sql, "\"other\"");
    /* A row that breaks the new NOT NULL stops it; nothing changed. */
    ck_assert_int_eq(migrate(db, sql), MGR_EDB);
    ck_assert_has(err.msg, "NOT NULL constraint failed");
    ck_assert_str_eq(rows_of(db, "SELECT title FROM big_titles ORDER BY 1"),
                     "hammer;nail");
    ck_run(db, "UPDATE items SET qty = '0' WHERE qty IS NULL;");
    ck_migrate(db, sql);
    got = introspected(db);
    ck_assert_str_eq(lines_of(got, "COLUMN"),
                     "COLUMN |items|id type=INTEGER pos=1\n"
                     "COLUMN |items|name type=TEXT pos=2\n"
                     "COLUMN |items|qty type=INTEGER expr=0 flags=0x1 "
                     "pos=3\n");
    ck_assert_has(got, "INDEX |items|ix_items_title items=name\n");
    ck_assert_has(got, "CHECK |items|ck_items_qty expr=qty >= 0\n");
    ck_assert_has(got, "PRIMARY_KEY |items|pk_items items=id\n");
    ck_assert_str_eq(lines_of(got, "VIEW"),
                     "VIEW ||big expr=SELECT id, name FROM items WHERE "
                     "qty > 10\n"
                     "VIEW ||big_titles expr=SELECT name FROM big\n"
                     "VIEW ||other expr=SELECT 1 AS x\n");
    /* The rows, with qty now an integer. */
    ck_assert_str_eq(rows_of(db, "SELECT id, name, typeof(qty) FROM items "
                                 "ORDER BY id"),
                     "1|nail|integer;2|hammer|integer;3|saw|integer");
    ck_assert_str_eq(rows_of(db, "SELECT * FROM big_titles"), "nail");
}
END_TEST

/* A rebuild that leaves a reference broken fails at its
 * foreign_key_check and rolls back. */
START_TEST(test_rebuild_broken_reference_fails)
{
    static const char *const p_col[] = { "parent_id" };
    struct tmodel *c0 = tm("child"), *c1, *p = tm("parent");
    const char *sql;

    ck_run(db, "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
               "CREATE TABLE child (id INTEGER PRIMARY KEY,"
               "  parent_id INTEGER);"
               "INSERT INTO parent VALUES (1);"
               "INSERT INTO child VALUES (1, 1), (2, 42);");
    tm_col(p, "id", "INTEGER", 0, NULL);
    tm_con(p, MGR_OBJ_PRIMARY_KEY, "pk_parent", id_col, 1);
    tm_col(c0, "id", "INTEGER", 0, NULL);
    tm_col(c0, "parent_id", "INTEGER", 0, NULL);
    tm_con(c0, MGR_OBJ_PRIMARY_KEY, "pk_child", id_col, 1);
    c1 = tm_copy(c0);
    tm_fk(c1, "fk_child_parent", p_col, 1, "parent", id_col);
    schema_add_table(&before, p);
    schema_add_table(&before, c0);
    schema_add_table(&after, p);
    schema_add_table(&after, c1);
    add_change(MGR_CHANGE_ADD_CONSTRAINT, NULL, &c1->con[1], c0, c1);
    sql = render_list();
    ck_assert_has(sql, "    CONSTRAINT \"fk_child_parent\" FOREIGN KEY "
                       "(\"parent_id\") REFERENCES \"parent\" (\"id\")\n");
    ck_assert_int_eq(migrate(db, sql), MGR_EDB);
    ck_assert_str_eq(err.msg, "foreign key violation: row 2 of table "
                              "'child' refers to a missing row of table "
                              "'parent'");
    /* Rolled back: the old table, without the key. */
    ck_assert_str_eq(lines_of(introspected(db), "FOREIGN_KEY"), "");
    ck_assert_str_eq(rows_of(db, "SELECT count(*) FROM child"), "2");
    ck_run(db, "DELETE FROM child WHERE id = 2;");
    ck_migrate(db, sql);
    ck_assert_str_eq(lines_of(introspected(db), "FOREIGN_KEY"),
                     "FOREIGN_KEY |child|fk_child_parent items=parent_id "
                     "ref=|parent ref_columns=id\n");
}
END_TEST

/* Adding or dropping a column: ALTER TABLE when SQLite can, the rebuild
 * when it cannot. */
START_TEST(test_rebuild_for_columns_alter_table_refuses)
{
    static const struct {
        const char *type;
        unsigned flags;
        const char *dflt;
        int unique;
        int rebuild;
    } adds[] = {
        { "TEXT", 0, NULL, 0, 0 },
        { "TEXT", MGR_OBJ_NOT_NULL, "'x'", 0, 0 },
        { "REAL", 0, "-1.5e3", 0, 0 },
        { "TEXT", MGR_OBJ_NOT_NULL, NULL, 0, 1 },
        { "TEXT", MGR_OBJ_NOT_NULL, "NULL", 0, 1 },
        { "TEXT", 0, "CURRENT_DATE", 0, 1 },
        { "INTEGER", 0, "1 + 1", 0, 1 },
        { "TEXT", 0, NULL, 1, 1 },
    };

    for (size_t k = 0; k < N(adds); k++) {
        struct tmodel *t0, *t1;
        struct mgr_buf out = MGR_BUF_INIT;

        reset_models();
        t0 = tm("t");
        tm_col(t0, "a", "TEXT", 0, NULL);
        t1 = tm_copy(t0);
        tm_col(t1, "b", adds[k].type, adds[k].flags, adds[k].dflt);
        if (adds[k].unique)
            tm_con(t1, MGR_OBJ_UNIQUE, "uq_t_b", b_col, 1);
        add_change(MGR_CHANGE_ADD_COLUMN, NULL, &t1->col[1], t0, t1);
        ck_assert_int_eq(render_one(0, &out), MGR_OK);
        ck_assert_msg(count_of(out.buf, "_migrator_new_t") ==
                          (adds[k].rebuild ? 3 : 0),
                      "case %zu:\n%s", k, out.buf);
        mock_buf_release(&out);
    }
}
END_TEST

START_TEST(test_rebuild_drops_a_used_column)
{
    struct tmodel *t0 = tm("t"), *t1;
    const char *sql;

    ck_run(db, "CREATE TABLE t (a TEXT, b TEXT, c TEXT, d TEXT);"
               "CREATE INDEX ix_t_b ON t (b);"
               "INSERT INTO t VALUES ('a', 'b', 'c', 'd');");
    tm_col(t0, "a", "TEXT", 0, NULL);
    tm_col(t0, "b", "TEXT", 0, NULL);
    tm_col(t0, "c", "TEXT", 0, NULL);
    tm_col(t0, "d", "TEXT", 0, NULL);
    tm_ix(t0, "ix_t_b", b_col, 1, NULL, 0);
    t1 = tm_copy(t0);
    tm_remove(t1, "ix_t_b");
    tm_remove(t1, "b");
    tm_remove(t1, "d");
    tm_ix(t1, "ix_t_a", a_col, 1, NULL, 0);
    schema_add_table(&before, t0);
    schema_add_table(&after, t1);
    /* d is used by nothing: ALTER TABLE; b is in an index: the rebuild,
     * which makes the index drop and the new index too. */
    add_change(MGR_CHANGE_DROP_COLUMN, &t0->col[3], NULL, t0, t1);
    add_change(MGR_CHANGE_DROP_INDEX, &t0->ix[0], NULL, t0, t1);
    add_change(MGR_CHANGE_DROP_COLUMN, &t0->col[1], NULL, t0, t1);
    add_change(MGR_CHANGE_CREATE_INDEX, NULL, &t1->ix[0], t0, t1);
    sql = render_list();
    ck_assert_has(sql, "ALTER TABLE \"t\" DROP COLUMN \"d\";\n"
                       "DROP INDEX \"ix_t_b\";\n"
                       "-- rebuild of t");
    ck_assert_has(sql, "INSERT INTO \"_migrator_new_t\" (\"a\", \"c\")\n"
                       "    SELECT \"a\", \"c\" FROM \"t\";\n");
    ck_assert_has(sql, "PRAGMA foreign_key_check(\"t\");\n"
                       "-- covered by the rebuild of t above\n");
    ck_migrate(db, sql);
    ck_assert_str_eq(introspected(db),
                     "TABLE ||t\n"
                     "COLUMN |t|a type=TEXT pos=1\n"
                     "COLUMN |t|c type=TEXT pos=2\n"
                     "INDEX |t|ix_t_a items=a\n");
    ck_assert_str_eq(rows_of(db, "SELECT * FROM t"), "a|c");
}
END_TEST

/* The rebuild comes after a rename of its table in the list, and keeps
 * the AUTOINCREMENT counter. */
START_TEST(test_rebuild_after_rename_keeps_autoincrement)
{
    struct tmodel *t0 = tm("old"), *t1;
    struct mgr_change *alter;
    const char *sql;

    ck_run(db, "CREATE TABLE old (id INTEGER PRIMARY KEY AUTOINCREMENT,"
               "  v TEXT);"
               "INSERT INTO old (v) VALUES ('a'), ('b'), ('c');"
               "DELETE FROM old WHERE id = 3;");
    tm_col(t0, "id", "INTEGER", MGR_OBJ_AUTOINCREMENT, NULL);
    tm_col(t0, "v", "TEXT", 0, NULL);
    tm_con(t0, MGR_OBJ_PRIMARY_KEY, NULL, id_col, 1);
    t1 = tm_copy(t0);
    t1->obj.name = "new";
    t1->col[1].flags = MGR_OBJ_NOT_NULL;
    t1->col[1].expr = "''";
    schema_add_table(&before, t0);
    schema_add_table(&after, t1);
    add_change(MGR_CHANGE_RENAME_TABLE, &t0->obj, &t1->obj, t0, t1);
    alter = add_change(MGR_CHANGE_ALTER_COLUMN, &t0->col[1], &t1->col[1],
                       t0, t1);
    alter->alter = MGR_ALTER_NULLABLE | MGR_ALTER_DEFAULT;
    sql = render_list();
    ck_assert_has(sql, "ALTER TABLE \"old\" RENAME TO \"new\";\n"
                       "-- rebuild of new");
    ck_assert_has(sql, "    \"id\" INTEGER PRIMARY KEY AUTOINCREMENT,\n"
                       "    \"v\" TEXT NOT NULL DEFAULT ''\n");
    ck_assert_has(sql, "    SELECT \"id\", \"v\" FROM \"new\";\n"
                       "DELETE FROM \"sqlite_sequence\" WHERE name = "
                       "'_migrator_new_new';\n"
                       "INSERT INTO \"sqlite_sequence\" (name, seq)\n"
                       "    SELECT '_migrator_new_new', seq FROM "
                       "\"sqlite_sequence\" WHERE name = 'new';\n"
                       "DROP TABLE \"new\";\n");
    ck_migrate(db, sql);
    ck_assert_str_eq(lines_of(introspected(db), "COLUMN"),
                     "COLUMN |new|id type=INTEGER flags=0x100 pos=1\n"
                     "COLUMN |new|v type=TEXT expr='' flags=0x1 pos=2\n");
    /* Id 3 was handed out once: never again. */
    ck_run(db, "INSERT INTO new (v) VALUES ('d');");
    ck_assert_str_eq(rows_of(db, "SELECT id, v FROM new ORDER BY id"),
                     "1|a;2|b;4|d");
    ck_assert_str_eq(rows_of(db, "SELECT name, seq FROM sqlite_sequence"),
                     "new|4");
}
END_TEST

/* A rename after the rebuild is made before it, by SQLite, which also
 * renames the references of other tables. */
START_TEST(test_rebuild_before_rename_keeps_references)
{
    static const char *const t_col[] = { "t_id" };
    struct tmodel *t0 = tm("t"), *t1, *u = tm("u");
    const char *sql;

    ck_run(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
               "CREATE TABLE u (t_id INTEGER REFERENCES t (id));"
               "CREATE VIEW tv AS SELECT v FROM t;"
               "INSERT INTO t VALUES (1, '10');"
               "INSERT INTO u VALUES (1);");
    tm_col(t0, "id", "INTEGER", 0, NULL);
    tm_col(t0, "v", "TEXT", 0, NULL);
    tm_con(t0, MGR_OBJ_PRIMARY_KEY, NULL, id_col, 1);
    t1 = tm_copy(t0);
    t1->obj.name = "t2";
    t1->col[1].type = "INTEGER";
    tm_col(u, "t_id", "INTEGER", 0, NULL);
    tm_fk(u, NULL, t_col, 1, "t2", id_col);
    schema_add_table(&before, t0);
    schema_add_table(&after, t1);
    schema_add_table(&after, u);
    schema_add_view(&before, view("tv", "SELECT v FROM t"));
    schema_add_view(&after, view("tv", "SELECT v FROM t2"));
    add_change(MGR_CHANGE_ALTER_COLUMN, &t0->col[1], &t1->col[1], t0, t1);
    add_change(MGR_CHANGE_RENAME_TABLE, &t0->obj, &t1->obj, t0, t1);
    add_change(MGR_CHANGE_REPLACE_VIEW, before.views[0], after.views[0],
               NULL, NULL);
    sql = render_list();
    ck_assert_has(sql, "-- rebuild of t2: SQLite's ALTER TABLE cannot "
                       "make this change\n"
                       "ALTER TABLE \"t\" RENAME TO \"t2\";\n"
                       "DROP VIEW \"tv\";\n"
                       "CREATE TABLE \"_migrator_new_t2\" (\n");
    ck_assert_has(sql, "    SELECT \"id\", \"v\" FROM \"t2\";\n"
                       "DROP TABLE \"t2\";\n"
                       "ALTER TABLE \"_migrator_new_t2\" RENAME TO "
                       "\"t2\";\n"
                       "CREATE VIEW \"tv\" AS SELECT v FROM t2;\n"
                       "PRAGMA foreign_key_check(\"t2\");\n"
                       "-- covered by the rebuild of t2 above\n"
                       "-- view tv was made again above\n");
    ck_migrate(db, sql);
    ck_assert_has(introspected(db), "FOREIGN_KEY |u|(null) items=t_id "
                                    "ref=|t2 ref_columns=id\n");
    ck_assert_str_eq(rows_of(db, "SELECT typeof(v) FROM tv"), "integer");
}
END_TEST

/* A reference without columns (to the primary key) is rebuilt as one;
 * the table of another database is rebuilt there. */
START_TEST(test_rebuild_reference_to_primary_key_in_attached_database)
{
    static const char *const p_col[] = { "p" };
    static const char *const q_col[] = { "q" };
    struct tmodel *c0 = tm("c"), *c1;
    struct mgr_object *fk;
    struct mgr_introspect_request req;
    static const char *const aux[] = { "aux" };
    const char *sql;

    ck_run(db, "ATTACH DATABASE ':memory:' AS aux;"
               "CREATE TABLE aux.parent (id INTEGER PRIMARY KEY);"
               "CREATE TABLE aux.c (p INTEGER REFERENCES parent"
               "  ON DELETE CASCADE, n TEXT,"
               "  q INTEGER CONSTRAINT fk_q REFERENCES parent (id));"
               "INSERT INTO aux.parent VALUES (5);"
               "INSERT INTO aux.c VALUES (5, '7', 5);");
    c0->obj.schema = "aux";
    tm_col(c0, "p", "INTEGER", 0, NULL)->schema = "aux";
    tm_col(c0, "n", "TEXT", 0, NULL)->schema = "aux";
    tm_col(c0, "q", "INTEGER", 0, NULL)->schema = "aux";
    fk = tm_fk(c0, NULL, p_col, 1, "parent", NULL);
    fk->schema = "aux";
    fk->ref_schema = "aux";
    fk->on_delete = "CASCADE";
    fk = tm_fk(c0, "fk_q", q_col, 1, "parent", id_col);
    fk->schema = "aux";
    fk->ref_schema = "aux";
    c1 = tm_copy(c0);
    c1->col[1].type = "INTEGER";
    add_change(MGR_CHANGE_ALTER_COLUMN, &c0->col[1], &c1->col[1], c0, c1);
    sql = render_list();
    ck_assert_has(sql, "CREATE TABLE \"aux\".\"_migrator_new_c\" (\n"
                       "    \"p\" INTEGER,\n"
                       "    \"n\" INTEGER,\n"
                       "    \"q\" INTEGER,\n"
                       "    FOREIGN KEY (\"p\") REFERENCES \"parent\" "
                       "ON DELETE CASCADE,\n"
                       "    CONSTRAINT \"fk_q\" FOREIGN KEY (\"q\") "
                       "REFERENCES \"parent\" (\"id\")\n"
                       ");\n");
    ck_assert_has(sql, "ALTER TABLE \"aux\".\"_migrator_new_c\" RENAME TO "
                       "\"c\";\n"
                       "PRAGMA \"aux\".foreign_key_check(\"c\");\n");
    ck_migrate(db, sql);
    memset(&req, 0, sizeof(req));
    req.size = sizeof(req);
    req.schemas = aux;
    req.nschemas = 1;
    mock_buf_release(&mock_schema_text);
    ck_assert_int_eq(ops->introspect(db, &req, NULL, &err), MGR_OK);
    ck_assert_has(mock_schema_text.buf,
                  "COLUMN aux|c|n type=INTEGER pos=2\n");
    ck_assert_str_eq(lines_of(mock_schema_text.buf, "FOREIGN_KEY"),
                     "FOREIGN_KEY aux|c|fk_q items=q ref=aux|parent "
                     "ref_columns=id\n"
                     "FOREIGN_KEY aux|c|(null) items=p ref=aux|parent "
                     "ref_columns=id on_delete=CASCADE\n");
    ck_assert_str_eq(rows_of(db, "SELECT p, typeof(n), q FROM aux.c"),
                     "5|integer|5");
}
END_TEST

/* A table made in the list needs no rebuild: CREATE TABLE writes it as
 * it ends up. */
START_TEST(test_rebuild_not_for_a_new_table)
{
    struct tmodel *t = tm("fresh");
    struct mgr_object *ck;
    const char *sql;

    tm_col(t, "a", "TEXT", MGR_OBJ_NOT_NULL, NULL);
    ck = tm_check(t, "ck_fresh_a", "a <> ''");
    schema_add_table(&after, t);
    add_change(MGR_CHANGE_CREATE_TABLE, NULL, &t->obj, NULL, t);
    add_change(MGR_CHANGE_ADD_CONSTRAINT, NULL, ck, NULL, t);
    add_change(MGR_CHANGE_ALTER_COLUMN, &t->col[0], &t->col[0], NULL, t);
    sql = render_list();
    ck_assert_str_eq(sql, "CREATE TABLE \"fresh\" (\n"
                          "    \"a\" TEXT NOT NULL,\n"
                          "    CONSTRAINT \"ck_fresh_a\" CHECK (a <> '')\n"
                          ");\n");
    ck_migrate(db, sql);
}
END_TEST

/* ---- the suite ---------------------------------------------------------- */

static Suite *sqlite_schema_suite(void)
{
    Suite *s = suite_create("sqlite_schema");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_ops_abi_1_2);
    tcase_add_test(tc, test_introspect_every_kind);
    tcase_add_test(tc, test_introspect_no_request_schemas_is_main);
    tcase_add_test(tc, test_introspect_attached_schema);
    tcase_add_test(tc, test_introspect_empty);
    tcase_add_test(tc, test_introspect_unresolved_reference);
    tcase_add_test(tc, test_introspect_lower_case_reference);
    tcase_add_test(tc, test_capture_makes_the_same_schema);
    tcase_add_test(tc, test_capture_orders_tables_indexes_views);
    tcase_add_test(tc, test_capture_declines);
    tcase_add_test(tc, test_introspect_unusual_text);
    tcase_add_test(tc, test_scratch_is_a_fresh_memory_database);
    tcase_add_test(tc, test_render_create_table);
    tcase_add_test(tc, test_render_alter_statements);
    tcase_add_test(tc, test_render_views);
    tcase_add_test(tc, test_rebuild_keeps_rows_indexes_and_views);
    tcase_add_test(tc, test_rebuild_broken_reference_fails);
    tcase_add_test(tc, test_rebuild_for_columns_alter_table_refuses);
    tcase_add_test(tc, test_rebuild_drops_a_used_column);
    tcase_add_test(tc, test_rebuild_after_rename_keeps_autoincrement);
    tcase_add_test(tc, test_rebuild_before_rename_keeps_references);
    tcase_add_test(tc,
                   test_rebuild_reference_to_primary_key_in_attached_database);
    tcase_add_test(tc, test_rebuild_not_for_a_new_table);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_introspect_unknown_schema);
    tcase_add_test(tc, test_introspect_host_refuses);
    tcase_add_test(tc, test_foreign_key_check_fails_on_a_row);
    tcase_add_test(tc, test_render_what_sqlite_lacks);
    tcase_add_test(tc, test_render_malformed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sqlite_schema_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
