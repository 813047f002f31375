/*
 * check_dialect_postgresql_render.c: what needs no server in the
 * PostgreSQL dialect's ABI 1.2 part: the DDL text render writes for
 * hand-made changes (how the list shapes it: foreign keys left for a
 * later ADD CONSTRAINT, OWNED BY waiting for its column, a sequence
 * that goes with its table, the columns an enum rebuild converts), its
 * refusals, the names PostgreSQL makes up (pg_autoname.c) and the array
 * reader (pg_array.c). check_dialect_postgresql_schema.c runs the DDL
 * of every kind of change on a server.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/plugin.h>

#include "mock_host.h"
#include "pg.h"

const struct mgr_plugin *mgr_plugin_entry(void);

/* ---- fixture ------------------------------------------------------------- */

static struct mgr_host_api api;
static const struct mgr_dialect_ops *ops;
static void *state;
static struct mgr_error err;
static struct mgr_buf out;
static unsigned flags;

static void setup(void)
{
    const struct mgr_plugin *p = mgr_plugin_entry();

    mock_host_api_init(&api);
    mock_host_reset();
    ck_assert_int_eq(p->init(&api, NULL, &state, &err), MGR_OK);
    ops = p->ops;
    memset(&err, 0, sizeof(err));
    mock_buf_init(&out, 0);
    flags = 0;
}

static void teardown(void)
{
    mock_buf_release(&out);
    mgr_plugin_entry()->fini(state);
    /* render frees what it allocates */
    ck_assert_int_eq(mock_live_allocations, 0);
}

/* ---- helpers ------------------------------------------------------------- */

static struct mgr_object object(unsigned kind, const char *schema,
                                const char *table, const char *name)
{
    struct mgr_object o;

    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.kind = kind;
    o.schema = schema;
    o.table = table;
    o.name = name;
    return o;
}

static struct mgr_object column(const char *schema, const char *table,
                                const char *name, const char *type)
{
    struct mgr_object o = object(MGR_OBJ_COLUMN, schema, table, name);

    o.type = type;
    return o;
}

static struct mgr_change change(unsigned kind, const struct mgr_object *from,
                                const struct mgr_object *to)
{
    struct mgr_change c;

    memset(&c, 0, sizeof(c));
    c.size = sizeof(c);
    c.kind = kind;
    c.from = from;
    c.to = to;
    return c;
}

/* Change i of list[0..n), rendered into out (reset first). */
static int render(const struct mgr_change *const *list, size_t n, size_t i)
{
    mock_buf_reset(&out);
    return ops->render(state, list, n, i, &out, &flags, &err);
}

/* The DDL of one change alone. */
static const char *render_one(struct mgr_change c)
{
    const struct mgr_change *list[1] = { &c };

    ck_assert_msg(render(list, 1, 0) == MGR_OK, "render: %s", err.msg);
    return out.buf;
}

#define ck_text(got, want)                                              \
    do {                                                                \
        const char *got_ = (got), *want_ = (want);                      \
        if (strcmp(got_, want_) != 0)                                   \
            fprintf(stderr, "--- want:\n%s--- got:\n%s---\n", want_,    \
                    got_);                                              \
        ck_assert_str_eq(got_, want_);                                  \
    } while (0)

/* ---- tables -------------------------------------------------------------- */

static const char *const id_list[] = { "id" };
static const char *const ref_list[] = { "ref" };

/*
 * Table s."we""ird" with every kind of column, its constraints (one
 * foreign key added later by the list, one not), an index, comments,
 * and a sequence an earlier change made for its id.
 */
START_TEST(test_create_table)
{
    static const char *const keys[] = { "lower(name) DESC" };
    struct mgr_object t = object(MGR_OBJ_TABLE, "s", NULL, "we\"ird");
    struct mgr_object id = column("s", "we\"ird", "id", "integer"),
                      name = column("s", "we\"ird", "name", "text"),
                      ref = column("s", "we\"ird", "ref", "bigint"),
                      at = column("s", "we\"ird", "at", "date");
    struct mgr_object pk = object(MGR_OBJ_PRIMARY_KEY, "s", "we\"ird", "pk"),
                      later = object(MGR_OBJ_FOREIGN_KEY, "s", "we\"ird",
                                     "fk_later"),
                      now = object(MGR_OBJ_FOREIGN_KEY, "s", "we\"ird",
                                   "fk_now"),
                      check = object(MGR_OBJ_CHECK, "s", "we\"ird", "ck");
    struct mgr_object ix = object(MGR_OBJ_INDEX, "s", "we\"ird", "ix");
    struct mgr_object seq = object(MGR_OBJ_SEQUENCE, "s", NULL, "id_seq");
    const struct mgr_object *cols[] = { &id, &name, &ref, &at },
                            *cons[] = { &pk, &later, &now, &check },
                            *ixs[] = { &ix };
    struct mgr_table table = { &t, cols, 4, cons, 4, ixs, 1 };
    struct mgr_change c[3];
    const struct mgr_change *list[3] = { &c[0], &c[1], &c[2] };

    id.flags = MGR_OBJ_NOT_NULL;
    id.expr = "nextval('s.id_seq'::regclass)";
    name.collation = "en-x-icu";
    name.expr = "'x'::text";
    name.comment = "it's";
    ref.flags = MGR_OBJ_NOT_NULL | MGR_OBJ_IDENTITY_ALWAYS;
    ref.expr = "ignored";
    at.collation = "\"s\".\"c\"";
    pk.items = id_list;
    pk.nitems = 1;
    later.items = now.items = ref_list;
    later.nitems = now.nitems = 1;
    later.ref_schema = now.ref_schema = "";
    later.ref_table = "other";
    now.ref_table = "there";
    later.ref_columns = now.ref_columns = id_list;
    now.on_update = "SET NULL";
    now.flags = MGR_OBJ_DEFERRABLE;
    later.comment = "not yet";
    check.expr = "at > '2000-01-01'::date";
    check.comment = "sane";
    ix.items = keys;
    ix.nitems = 1;
    ix.method = "btree";
    ix.expr = "at IS NOT NULL";
    ix.flags = MGR_OBJ_UNIQUE_INDEX;
    seq.owned_by = "we\"ird.id";
    t.comment = "a table";
    c[0] = change(MGR_CHANGE_CREATE_SEQUENCE, NULL, &seq);
    c[1] = change(MGR_CHANGE_CREATE_TABLE, NULL, &t);
    c[1].to_table = &table;
    c[2] = change(MGR_CHANGE_ADD_CONSTRAINT, NULL, &later);

    ck_assert_int_eq(render(list, 3, 1), MGR_OK);
    ck_text(out.buf,
            "CREATE TABLE \"s\".\"we\"\"ird\" (\n"
            "    \"id\" integer DEFAULT nextval('s.id_seq'::regclass) "
            "NOT NULL,\n"
            "    \"name\" text COLLATE \"en-x-icu\" DEFAULT 'x'::text,\n"
            "    \"ref\" bigint NOT NULL GENERATED ALWAYS AS IDENTITY,\n"
            "    \"at\" date COLLATE \"s\".\"c\",\n"
            "    CONSTRAINT \"pk\" PRIMARY KEY (\"id\"),\n"
            "    CONSTRAINT \"fk_now\" FOREIGN KEY (\"ref\") REFERENCES "
            "\"there\" (\"id\") ON UPDATE SET NULL DEFERRABLE,\n"
            "    CONSTRAINT \"ck\" CHECK (at > '2000-01-01'::date)\n"
            ");\n"
            "CREATE UNIQUE INDEX \"ix\" ON \"s\".\"we\"\"ird\" USING btree "
            "(lower(name) DESC) WHERE at IS NOT NULL;\n"
            "COMMENT ON TABLE \"s\".\"we\"\"ird\" IS 'a table';\n"
            "COMMENT ON COLUMN \"s\".\"we\"\"ird\".\"name\" IS 'it''s';\n"
            "COMMENT ON CONSTRAINT \"ck\" ON \"s\".\"we\"\"ird\" IS 'sane';\n"
            "ALTER SEQUENCE \"s\".\"id_seq\" OWNED BY "
            "\"s\".\"we\"\"ird\".\"id\";\n");
    ck_assert_uint_eq(flags, 0);

    /* the sequence waits for its table */
    ck_assert_int_eq(render(list, 3, 0), MGR_OK);
    ck_text(out.buf, "CREATE SCHEMA IF NOT EXISTS \"s\";\n"
                     "CREATE SEQUENCE \"s\".\"id_seq\" INCREMENT BY 0 "
                     "MINVALUE 0 MAXVALUE 0 START WITH 0;\n");
    /* the key the list adds later, with its comment */
    ck_assert_int_eq(render(list, 3, 2), MGR_OK);
    ck_text(out.buf,
            "ALTER TABLE \"s\".\"we\"\"ird\" ADD CONSTRAINT \"fk_later\" "
            "FOREIGN KEY (\"ref\") REFERENCES \"other\" (\"id\");\n"
            "COMMENT ON CONSTRAINT \"fk_later\" ON \"s\".\"we\"\"ird\" IS "
            "'not yet';\n");
}
END_TEST

START_TEST(test_table_and_column_statements)
{
    struct mgr_object t = object(MGR_OBJ_TABLE, "", NULL, "t"), t2 = t;
    struct mgr_object a = column("", "t", "a", "integer"), a2 = a;
    struct mgr_object ix = object(MGR_OBJ_INDEX, "s", "t", "ix");
    struct mgr_object pk = object(MGR_OBJ_PRIMARY_KEY, "", "t", "t_pkey");

    t2.name = "t2";
    a2.name = "a2";
    ck_text(render_one(change(MGR_CHANGE_DROP_TABLE, &t, NULL)),
            "DROP TABLE \"t\";\n");
    ck_text(render_one(change(MGR_CHANGE_RENAME_TABLE, &t, &t2)),
            "ALTER TABLE \"t\" RENAME TO \"t2\";\n");
    a.flags = MGR_OBJ_NOT_NULL | MGR_OBJ_IDENTITY_DEFAULT;
    ck_text(render_one(change(MGR_CHANGE_ADD_COLUMN, NULL, &a)),
            "ALTER TABLE \"t\" ADD COLUMN \"a\" integer NOT NULL "
            "GENERATED BY DEFAULT AS IDENTITY;\n");
    ck_text(render_one(change(MGR_CHANGE_DROP_COLUMN, &a, NULL)),
            "ALTER TABLE \"t\" DROP COLUMN \"a\";\n");
    ck_text(render_one(change(MGR_CHANGE_RENAME_COLUMN, &a, &a2)),
            "ALTER TABLE \"t\" RENAME COLUMN \"a\" TO \"a2\";\n");
    ck_text(render_one(change(MGR_CHANGE_DROP_CONSTRAINT, &pk, NULL)),
            "ALTER TABLE \"t\" DROP CONSTRAINT \"t_pkey\";\n");
    ck_text(render_one(change(MGR_CHANGE_DROP_INDEX, &ix, NULL)),
            "DROP INDEX \"s\".\"ix\";\n");
    ck_assert_uint_eq(flags, 0);
}
END_TEST

static struct mgr_change alter(const struct mgr_object *from,
                               const struct mgr_object *to, unsigned bits)
{
    struct mgr_change c = change(MGR_CHANGE_ALTER_COLUMN, from, to);

    c.alter = bits;
    return c;
}

/* One statement per part, in the order the server needs. */
START_TEST(test_alter_column)
{
    struct mgr_object from = column("", "t", "c", "text"), to = from;

    /* a new type: the default goes first and comes back after */
    from.expr = "'7'::text";
    to.type = "integer";
    to.expr = "7";
    ck_text(render_one(alter(&from, &to, MGR_ALTER_TYPE | MGR_ALTER_DEFAULT)),
            "ALTER TABLE \"t\" ALTER COLUMN \"c\" DROP DEFAULT;\n"
            "ALTER TABLE \"t\" ALTER COLUMN \"c\" TYPE integer USING "
            "\"c\"::integer;\n"
            "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT 7;\n");

    /* serial to identity: the default goes, NOT NULL comes first */
    from = column("", "t", "c", "integer");
    from.expr = "nextval('t_c_seq'::regclass)";
    to = from;
    to.expr = NULL;
    to.flags = MGR_OBJ_NOT_NULL | MGR_OBJ_IDENTITY_ALWAYS;
    ck_text(render_one(alter(&from, &to,
                             MGR_ALTER_DEFAULT | MGR_ALTER_IDENTITY)),
            "ALTER TABLE \"t\" ALTER COLUMN \"c\" DROP DEFAULT;\n"
            "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET NOT NULL;\n"
            "ALTER TABLE \"t\" ALTER COLUMN \"c\" ADD GENERATED ALWAYS AS "
            "IDENTITY;\n");

    /* identity to nullable: DROP IDENTITY before DROP NOT NULL */
    from = to;
    to.flags = 0;
    ck_text(render_one(alter(&from, &to,
                             MGR_ALTER_IDENTITY | MGR_ALTER_NULLABLE)),
            "ALTER TABLE \"t\" ALTER COLUMN \"c\" DROP IDENTITY;\n"
            "ALTER TABLE \"t\" ALTER COLUMN \"c\" DROP NOT NULL;\n");
    to.flags = MGR_OBJ_NOT_NULL | MGR_OBJ_IDENTITY_DEFAULT;
    ck_text(render_one(alter(&from, &to, MGR_ALTER_IDENTITY)),
            "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET GENERATED BY "
            "DEFAULT;\n");

    /* collation alone, set and taken off */
    from = column("s", "t", "c", "text");
    to = from;
    to.collation = "C";
    ck_text(render_one(alter(&from, &to, MGR_ALTER_COLLATION)),
            "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"c\" TYPE text COLLATE "
            "\"C\";\n");
    ck_text(render_one(alter(&to, &from, MGR_ALTER_COLLATION)),
            "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"c\" TYPE text COLLATE "
            "\"default\";\n");

    /* default alone: set, dropped */
    to = from;
    to.expr = "'x'::text";
    ck_text(render_one(alter(&from, &to, MGR_ALTER_DEFAULT)),
            "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"c\" SET DEFAULT "
            "'x'::text;\n");
    ck_text(render_one(alter(&to, &from, MGR_ALTER_DEFAULT)),
            "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"c\" DROP DEFAULT;\n");
    ck_assert_uint_eq(flags, 0);
}
END_TEST

/* ---- enums --------------------------------------------------------------- */

START_TEST(test_enum_values_added_in_place)
{
    static const char *const before[] = { "b", "c" },
                             *const first[] = { "a", "b", "c" },
                             *const last[] = { "b", "c", "it's" },
                             *const only[] = { "x" };
    struct mgr_object from = object(MGR_OBJ_ENUM, "s", NULL, "e"), to = from;
    struct mgr_change c;

    from.items = before;
    from.nitems = 2;
    ck_text(render_one(change(MGR_CHANGE_CREATE_ENUM, NULL, &from)),
            "CREATE SCHEMA IF NOT EXISTS \"s\";\n"
            "CREATE TYPE \"s\".\"e\" AS ENUM ('b', 'c');\n");
    ck_assert_uint_eq(flags, 0);
    to.items = first;
    to.nitems = 3;
    c = change(MGR_CHANGE_ADD_ENUM_VALUE, &from, &to);
    ck_text(render_one(c),
            "ALTER TYPE \"s\".\"e\" ADD VALUE 'a' BEFORE 'b';\n");
    ck_assert_uint_eq(flags, MGR_SECTION_NO_TRANSACTION);
    to.items = last;
    c.value_index = 2;
    ck_text(render_one(c),
            "ALTER TYPE \"s\".\"e\" ADD VALUE 'it''s' AFTER 'c';\n");
    to.items = only;
    to.nitems = 1;
    c.value_index = 0;
    ck_text(render_one(c), "ALTER TYPE \"s\".\"e\" ADD VALUE 'x';\n");
    c.value_index = 1;
    ck_assert_int_eq(render((const struct mgr_change *[]){ &c }, 1, 0),
                     MGR_EUSAGE);
    ck_text(render_one(change(MGR_CHANGE_DROP_ENUM, &from, NULL)),
            "DROP TYPE \"s\".\"e\";\n");
}
END_TEST

/*
 * The rebuild converts the columns of the old type the schema had,
 * minus one an earlier change dropped, plus one an earlier change added;
 * defaults are dropped and put back as they are after the list.
 */
START_TEST(test_enum_rebuilt)
{
    static const char *const old_values[] = { "sad", "meh", "ok" },
                             *const new_values[] = { "ok", "sad" };
    struct mgr_object e = object(MGR_OBJ_ENUM, "", NULL, "mood"), e2 = e;
    struct mgr_object t = object(MGR_OBJ_TABLE, "", NULL, "diary");
    struct mgr_object m = column("", "diary", "m", "mood"),
                      ms = column("", "diary", "ms", "mood[]"),
                      gone = column("", "diary", "gone", "mood"),
                      other = column("", "diary", "note", "\"mood2\""),
                      added = column("x", "log", "m", "mood");
    struct mgr_object m_after = m;
    const struct mgr_object *before_cols[] = { &m, &ms, &gone, &other },
                            *after_cols[] = { &m_after, &ms, &other };
    struct mgr_table before_t = { &t, before_cols, 4, NULL, 0, NULL, 0 },
                     after_t = { &t, after_cols, 3, NULL, 0, NULL, 0 };
    const struct mgr_table *before_tables[] = { &before_t },
                           *after_tables[] = { &after_t };
    struct mgr_schema before = { .tables = before_tables, .ntables = 1 },
                      after = { .tables = after_tables, .ntables = 1 };
    struct mgr_change c[3];
    const struct mgr_change *list[3] = { &c[0], &c[1], &c[2] };

    e.items = old_values;
    e.nitems = 3;
    e2.items = new_values;
    e2.nitems = 2;
    m.expr = "'meh'::mood";
    m_after.expr = "'ok'::mood";
    ms.expr = "'{sad}'::mood[]";
    c[0] = change(MGR_CHANGE_DROP_COLUMN, &gone, NULL);
    c[1] = change(MGR_CHANGE_ADD_COLUMN, NULL, &added);
    c[2] = change(MGR_CHANGE_REPLACE_ENUM, &e, &e2);
    for (size_t k = 0; k < 3; k++) {
        c[k].from_schema = &before;
        c[k].to_schema = &after;
    }
    ck_assert_int_eq(render(list, 3, 2), MGR_OK);
    ck_text(out.buf,
            "ALTER TYPE \"mood\" RENAME TO \"mood__mgr_old\";\n"
            "CREATE TYPE \"mood\" AS ENUM ('ok', 'sad');\n"
            "ALTER TABLE \"diary\" ALTER COLUMN \"m\" DROP DEFAULT;\n"
            "ALTER TABLE \"diary\" ALTER COLUMN \"m\" TYPE mood USING "
            "\"m\"::text::mood;\n"
            "ALTER TABLE \"diary\" ALTER COLUMN \"m\" SET DEFAULT "
            "'ok'::mood;\n"
            "ALTER TABLE \"diary\" ALTER COLUMN \"ms\" DROP DEFAULT;\n"
            "ALTER TABLE \"diary\" ALTER COLUMN \"ms\" TYPE mood[] USING "
            "\"ms\"::text[]::mood[];\n"
            "ALTER TABLE \"diary\" ALTER COLUMN \"ms\" SET DEFAULT "
            "'{sad}'::mood[];\n"
            "ALTER TABLE \"x\".\"log\" ALTER COLUMN \"m\" TYPE mood USING "
            "\"m\"::text::mood;\n"
            "DROP TYPE \"mood__mgr_old\";\n");
    ck_assert_uint_eq(flags, 0);
}
END_TEST

/* A name of 63 bytes leaves room for the suffix, cut between
 * characters. */
START_TEST(test_enum_rebuilt_long_name)
{
    static const char name[] = "x\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                               "\xc3\xa9";
    struct mgr_object e = object(MGR_OBJ_ENUM, "", NULL, name);
    const char *rename;

    ck_assert_uint_eq(strlen(name), 63);
    render_one(change(MGR_CHANGE_REPLACE_ENUM, &e, &e));
    rename = strstr(out.buf, "RENAME TO \"");
    ck_assert_ptr_nonnull(rename);
    rename += strlen("RENAME TO \"");
    /* of the 54 bytes left, the x and 26 whole characters (53
     * bytes), then the suffix */
    ck_assert_int_eq(strncmp(rename, name, 53), 0);
    ck_assert_int_eq(strncmp(rename + 53, "__mgr_old\";", 11), 0);
}
END_TEST

/* ---- sequences, views, comments ------------------------------------------ */

START_TEST(test_sequences)
{
    struct mgr_object s = object(MGR_OBJ_SEQUENCE, "s", NULL, "n"), s2;
    struct mgr_object t = object(MGR_OBJ_TABLE, "s", NULL, "t");
    struct mgr_change c[2];
    const struct mgr_change *list[2] = { &c[0], &c[1] };

    s.type = "bigint";
    s.seq_start = 10;
    s.seq_increment = -1;
    s.seq_min = -100;
    s.seq_max = 10;
    s.flags = MGR_OBJ_CYCLE;
    s.owned_by = "t.id";
    ck_text(render_one(change(MGR_CHANGE_CREATE_SEQUENCE, NULL, &s)),
            "CREATE SCHEMA IF NOT EXISTS \"s\";\n"
            "CREATE SEQUENCE \"s\".\"n\" AS bigint INCREMENT BY -1 "
            "MINVALUE -100 MAXVALUE 10 START WITH 10 CYCLE OWNED BY "
            "\"s\".\"t\".\"id\";\n");

    s2 = s;
    ck_text(render_one(change(MGR_CHANGE_ALTER_SEQUENCE, &s, &s2)), "");
    s2.seq_max = 20;
    s2.flags = 0;
    s2.owned_by = NULL;
    ck_text(render_one(change(MGR_CHANGE_ALTER_SEQUENCE, &s, &s2)),
            "ALTER SEQUENCE \"s\".\"n\" MAXVALUE 20 NO CYCLE OWNED BY "
            "NONE;\n");
    s2 = s;
    s2.type = "integer";
    s2.seq_increment = 2;
    s2.seq_start = 1;
    s2.seq_min = 1;
    ck_text(render_one(change(MGR_CHANGE_ALTER_SEQUENCE, &s2, &s)),
            "ALTER SEQUENCE \"s\".\"n\" AS bigint INCREMENT BY -1 "
            "MINVALUE -100 START WITH 10;\n");
    /* counting up with a higher minimum: the value moves up first */
    ck_text(render_one(change(MGR_CHANGE_ALTER_SEQUENCE, &s, &s2)),
            "SELECT pg_catalog.setval('\"s\".\"n\"', "
            "GREATEST(last_value, 1), is_called AND last_value >= 1) "
            "FROM \"s\".\"n\";\n"
            "ALTER SEQUENCE \"s\".\"n\" AS integer INCREMENT BY 2 "
            "MINVALUE 1 START WITH 1;\n");
    /* counting down with a lower maximum: the value moves down */
    s2 = s;
    s2.seq_max = 5;
    ck_text(render_one(change(MGR_CHANGE_ALTER_SEQUENCE, &s, &s2)),
            "SELECT pg_catalog.setval('\"s\".\"n\"', "
            "LEAST(last_value, 5), is_called AND last_value <= 5) "
            "FROM \"s\".\"n\";\n"
            "ALTER SEQUENCE \"s\".\"n\" MAXVALUE 5;\n");

    ck_text(render_one(change(MGR_CHANGE_DROP_SEQUENCE, &s, NULL)),
            "DROP SEQUENCE \"s\".\"n\";\n");
    /* its table takes it: nothing left to drop, before or after */
    c[0] = change(MGR_CHANGE_DROP_TABLE, &t, NULL);
    c[1] = change(MGR_CHANGE_DROP_SEQUENCE, &s, NULL);
    ck_assert_int_eq(render(list, 2, 1), MGR_OK);
    ck_text(out.buf, "-- sequence n goes with t.id\n");
    c[0] = change(MGR_CHANGE_DROP_SEQUENCE, &s, NULL);
    c[1] = change(MGR_CHANGE_DROP_TABLE, &t, NULL);
    ck_assert_int_eq(render(list, 2, 0), MGR_OK);
    ck_text(out.buf, "-- sequence n goes with t.id\n");
    /* a table of the same name in another schema does not */
    t.schema = "";
    ck_assert_int_eq(render(list, 2, 0), MGR_OK);
    ck_text(out.buf, "DROP SEQUENCE \"s\".\"n\";\n");
}
END_TEST

START_TEST(test_views)
{
    struct mgr_object v = object(MGR_OBJ_VIEW, "", NULL, "v"), v2;

    v.expr = " SELECT 1 AS one;\n";
    ck_text(render_one(change(MGR_CHANGE_CREATE_VIEW, NULL, &v)),
            "CREATE VIEW \"v\" AS SELECT 1 AS one;\n");
    v2 = v;
    v2.expr = "SELECT 2 AS two";
    v2.comment = "two";
    ck_text(render_one(change(MGR_CHANGE_REPLACE_VIEW, &v, &v2)),
            "DROP VIEW \"v\";\n"
            "CREATE VIEW \"v\" AS SELECT 2 AS two;\n"
            "COMMENT ON VIEW \"v\" IS 'two';\n");
    ck_text(render_one(change(MGR_CHANGE_DROP_VIEW, &v2, NULL)),
            "DROP VIEW \"v\";\n");
}
END_TEST

START_TEST(test_comments)
{
    static const struct {
        unsigned kind;
        const char *table;
        const char *want;
    } cases[] = {
        { MGR_OBJ_TABLE, NULL, "COMMENT ON TABLE \"s\".\"o\" IS " },
        { MGR_OBJ_VIEW, NULL, "COMMENT ON VIEW \"s\".\"o\" IS " },
        { MGR_OBJ_INDEX, "t", "COMMENT ON INDEX \"s\".\"o\" IS " },
        { MGR_OBJ_COLUMN, "t", "COMMENT ON COLUMN \"s\".\"t\".\"o\" IS " },
        { MGR_OBJ_CHECK, "t",
          "COMMENT ON CONSTRAINT \"o\" ON \"s\".\"t\" IS " },
        { MGR_OBJ_SEQUENCE, NULL, "COMMENT ON SEQUENCE \"s\".\"o\" IS " },
        { MGR_OBJ_ENUM, NULL, "COMMENT ON TYPE \"s\".\"o\" IS " },
    };
    char want[256];

    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        struct mgr_object o =
            object(cases[k].kind, "s", cases[k].table, "o");
        struct mgr_object with = o;

        with.comment = "a\\b'c";
        snprintf(want, sizeof(want), "%sE'a\\\\b''c';\n", cases[k].want);
        ck_text(render_one(change(MGR_CHANGE_SET_COMMENT, &o, &with)), want);
        snprintf(want, sizeof(want), "%sNULL;\n", cases[k].want);
        ck_text(render_one(change(MGR_CHANGE_SET_COMMENT, &with, &o)), want);
    }
}
END_TEST

/* ---- refusals ------------------------------------------------------------ */

START_TEST(test_render_refuses)
{
    struct mgr_object t = object(MGR_OBJ_TABLE, "a", NULL, "t"), t2 = t;
    struct mgr_object untyped = column("", "t", "c", NULL);
    struct mgr_change c = change(MGR_CHANGE_CREATE_TABLE, NULL, &t);
    const struct mgr_change *list[1] = { &c };

    ck_assert_int_eq(render(list, 1, 0), MGR_EUSAGE);
    ck_assert_str_eq(err.msg, "cannot render CREATE TABLE: the change has "
                              "no table");
    ck_assert_int_eq(render(list, 1, 1), MGR_EUSAGE);
    ck_assert_str_eq(err.msg, "cannot render change 1 of 1");
    c.kind = 0;
    ck_assert_int_eq(render(list, 1, 0), MGR_EUSAGE);
    c.kind = 999;
    ck_assert_int_eq(render(list, 1, 0), MGR_EUSAGE);
    ck_assert_str_eq(err.msg, "cannot render a change of kind 999");
    t2.schema = "b";
    c = change(MGR_CHANGE_RENAME_TABLE, &t, &t2);
    ck_assert_int_eq(render(list, 1, 0), MGR_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "another schema"));
    c = change(MGR_CHANGE_ADD_COLUMN, NULL, &untyped);
    ck_assert_int_eq(render(list, 1, 0), MGR_EUSAGE);
    c = change(MGR_CHANGE_DROP_VIEW, NULL, NULL);
    ck_assert_int_eq(render(list, 1, 0), MGR_EUSAGE);
    c = change(MGR_CHANGE_ALTER_COLUMN, &untyped, NULL);
    ck_assert_int_eq(render(list, 1, 0), MGR_EUSAGE);
    /* a refusal writes nothing */
    ck_assert_str_eq(out.buf, "");
}
END_TEST

/* ---- made-up names ------------------------------------------------------- */

static char *repeat(const char *s, int times)
{
    size_t n = strlen(s);
    char *r = malloc(n * (size_t)times + 1);

    ck_assert_ptr_nonnull(r);
    for (int k = 0; k < times; k++)
        memcpy(r + n * (size_t)k, s, n);
    r[n * (size_t)times] = '\0';
    return r;
}

static int made_up(const char *name, const char *table,
                   const char *const *cols, size_t ncols, const char *label)
{
    return pg_autoname_matches(name, table, cols, ncols, label);
}

START_TEST(test_autoname_plain)
{
    static const char *const a[] = { "a" }, *const ab[] = { "a", "b" };

    ck_assert(made_up("t_pkey", "t", NULL, 0, "pkey"));
    ck_assert(made_up("t_pkey1", "t", NULL, 0, "pkey"));
    ck_assert(made_up("t_pkey12", "t", NULL, 0, "pkey"));
    ck_assert(!made_up("t_pkey01", "t", NULL, 0, "pkey"));
    ck_assert(!made_up("t_pkey1x", "t", NULL, 0, "pkey"));
    ck_assert(made_up("t_a_key", "t", a, 1, "key"));
    ck_assert(made_up("t_a_b_key3", "t", ab, 2, "key"));
    ck_assert(!made_up("t_b_key", "t", a, 1, "key"));
    ck_assert(!made_up("t_a_key", "t", ab, 2, "key"));
    ck_assert(made_up("t_check", "t", NULL, 0, "check"));
    ck_assert(!made_up("u_check", "t", NULL, 0, "check"));
    ck_assert(!made_up(NULL, "t", NULL, 0, "check"));
}
END_TEST

START_TEST(test_autoname_cut)
{
    char *t63 = repeat("t", 63), *c63 = repeat("c", 63), *want;
    const char *cols[] = { c63 };
    /* 30-byte names: the column part stops after the third (92 bytes) */
    char *c30 = repeat("d", 30);
    const char *three[] = { c30, c30, c30, c30 };
    char name[128];

    /* 63 - strlen("_key") - 1 = 58 bytes: 29 of each */
    want = repeat("t", 29);
    snprintf(name, sizeof(name), "%s_%.29s_key", want, c63);
    ck_assert_uint_eq(strlen(name), 63);
    ck_assert(made_up(name, t63, cols, 1, "key"));
    free(want);
    /* the number makes the label longer: 29 + 28 (the column part
     * loses the first byte of a tie) */
    snprintf(name, sizeof(name), "%.29s_%.28s_key7", t63, c63);
    ck_assert(made_up(name, t63, cols, 1, "key"));
    /* no column part: 58 bytes of table */
    snprintf(name, sizeof(name), "%.58s_pkey", t63);
    ck_assert(made_up(name, t63, NULL, 0, "pkey"));
    /* "t" and 57 bytes of "dd.._dd.._dd.." */
    snprintf(name, sizeof(name), "t_%.30s_%.26s_idx", c30, c30);
    ck_assert(made_up(name, "t", three, 4, "idx"));
    free(t63);
    free(c63);
    free(c30);
}
END_TEST

/* Cuts back up to a character boundary. */
START_TEST(test_autoname_multibyte)
{
    /* "x" and 31 two-byte characters: 63 bytes */
    char *e31 = repeat("\xc3\xa9", 31), table[80], name[80];

    snprintf(table, sizeof(table), "x%s", e31);
    /* 58 bytes would split the 29th character: 57 are kept */
    snprintf(name, sizeof(name), "x%.56s_pkey", e31);
    ck_assert(made_up(name, table, NULL, 0, "pkey"));
    snprintf(name, sizeof(name), "x%.57s_pkey", e31);
    ck_assert(!made_up(name, table, NULL, 0, "pkey"));
    free(e31);
}
END_TEST

/* ---- arrays -------------------------------------------------------------- */

START_TEST(test_array_parse)
{
    size_t n = 99;
    const char **items =
        pg_array_parse(&api, "{a,\"b c\",\"d\\\"e\\\\\",\"\",NULL,\"NULL\","
                             "\"{x,y}\"}",
                       &n);

    ck_assert_uint_eq(n, 7);
    ck_assert_str_eq(items[0], "a");
    ck_assert_str_eq(items[1], "b c");
    ck_assert_str_eq(items[2], "d\"e\\");
    ck_assert_str_eq(items[3], "");
    ck_assert_ptr_null(items[4]);
    ck_assert_str_eq(items[5], "NULL");
    ck_assert_str_eq(items[6], "{x,y}");
    mock_free(items);
    items = pg_array_parse(&api, "{}", &n);
    ck_assert_uint_eq(n, 0);
    mock_free(items);
    ck_assert_ptr_null(pg_array_parse(&api, NULL, &n));
    ck_assert_uint_eq(n, 0);
}
END_TEST

/* ---- expression text as it settles ----------------------------------------- */

START_TEST(test_expr_settled)
{
    static const struct {
        const char *printed, *settled;
    } cases[] = {
        /* IN on a varchar column, as typed and as it settles */
        { "status::text = ANY (ARRAY['open'::character varying, "
          "'done'::character varying]::text[])",
          "status::text = ANY (ARRAY['open'::character varying::text, "
          "'done'::character varying::text])" },
        /* settled text stays */
        { "k = ANY (ARRAY['a'::character varying::text])",
          "k = ANY (ARRAY['a'::character varying::text])" },
        { "ARRAY['a,b'::text, 'it''s'::text]::\"char\"[]",
          "ARRAY['a,b'::text::\"char\", 'it''s'::text::\"char\"]" },
        /* not string literals, no cast, no ARRAY: as printed */
        { "n = ANY (ARRAY[1, 2]::bigint[])",
          "n = ANY (ARRAY[1, 2]::bigint[])" },
        { "x = ANY (ARRAY[lower(y), 'b'::text]::text[])",
          "x = ANY (ARRAY[lower(y), 'b'::text]::text[])" },
        { "k = ANY (ARRAY['a'::text])", "k = ANY (ARRAY['a'::text])" },
        { "'ARRAY[''a'']::text[]' <> x", "'ARRAY[''a'']::text[]' <> x" },
        { "myARRAY['a']::text[]", "myARRAY['a']::text[]" },
        { "ARRAY['unclosed'", "ARRAY['unclosed'" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mock_buf_reset(&out);
        pg_expr_settled(&api, cases[i].printed, &out);
        ck_assert_msg(strcmp(out.buf, cases[i].settled) == 0,
                      "case %zu: got %s", i, out.buf);
    }
}
END_TEST

/* ---- suite --------------------------------------------------------------- */

static Suite *dialect_postgresql_render_suite(void)
{
    Suite *s = suite_create("dialect_postgresql_render");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_create_table);
    tcase_add_test(tc, test_table_and_column_statements);
    tcase_add_test(tc, test_alter_column);
    tcase_add_test(tc, test_enum_values_added_in_place);
    tcase_add_test(tc, test_enum_rebuilt);
    tcase_add_test(tc, test_sequences);
    tcase_add_test(tc, test_views);
    tcase_add_test(tc, test_comments);
    tcase_add_test(tc, test_autoname_plain);
    tcase_add_test(tc, test_array_parse);
    tcase_add_test(tc, test_expr_settled);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_render_refuses);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_enum_rebuilt_long_name);
    tcase_add_test(tc, test_autoname_cut);
    tcase_add_test(tc, test_autoname_multibyte);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dialect_postgresql_render_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
