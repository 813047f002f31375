/*
 * check_dialect_postgresql_schema.c: introspect, render and scratch
 * databases of the PostgreSQL dialect plugin (ABI 1.2), driven through
 * its descriptor with a mock host API against a private server
 * (pg_harness.c).
 *
 * Introspection is checked line by line against what mock_schema_add
 * records; render by running the DDL on the server and reading the
 * schema back, which must show the change. Each TCase has a database of
 * its own; each test starts with empty public and "other" schemas.
 * check_dialect_postgresql_render.c checks DDL text without a server.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <migrator/plugin.h>

#include "mock_host.h"
#include "pg_harness.h"
#include "schema_rec.h"

const struct mgr_plugin *mgr_plugin_entry(void);

#define NO_CREATEDB_ROLE "mgr_no_createdb"

/* ---- per-TCase database -------------------------------------------------- */

static char dbname[64];
static char conninfo[600];

static void use_database(const char *name)
{
    char sql[128];

    snprintf(dbname, sizeof(dbname), "%s", name);
    server_conninfo_for("postgres", dbname, conninfo, sizeof(conninfo));
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", dbname);
    admin("postgres", sql);
}

static void drop_database(void)
{
    char sql[128];

    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
             dbname);
    admin("postgres", sql);
}

static void introspect_db(void)
{
    use_database("mgr_introspect");
}

static void render_db(void)
{
    use_database("mgr_render");
}

static void scratch_db(void)
{
    use_database("mgr_scratch");
}

static void limits_db(void)
{
    use_database("mgr_schema_limits");
}

/* ---- per-test fixture ---------------------------------------------------- */

static struct mgr_host_api api;
static const struct mgr_dialect_ops *ops;
static void *state;
static void *conn;
static struct mgr_error err;
static struct mgr_db_error dberr;
static struct schema_rec rec;

/* The tables introspection leaves out in these tests. */
static const char *const excluded[] = { "migrator_version", "migrator_log",
                                        "other.skipped" };

static int q(void *c, const char *sql)
{
    return ops->query(c, sql, NULL, 0, NULL, NULL, NULL, &dberr, &err);
}

#define ck_exec(c, sql)                                                 \
    do {                                                                \
        const char *sql_ = (sql);                                       \
        ck_assert_msg(q((c), sql_) == MGR_OK, "'%s': %s", sql_,         \
                      err.msg);                                         \
    } while (0)

static void setup(void)
{
    const struct mgr_plugin *p = mgr_plugin_entry();

    mock_host_api_init(&api);
    api.schema_add = schema_rec_add;
    mock_host_reset();
    memset(&rec, 0, sizeof(rec));
    ck_assert_int_eq(p->init(&api, NULL, &state, &err), MGR_OK);
    ops = p->ops;
    memset(&err, 0, sizeof(err));
    ck_assert_msg(ops->connect(state, conninfo, &conn, &err) == MGR_OK,
                  "connect: %s", err.msg);
    ck_exec(conn, "DROP SCHEMA IF EXISTS public, other CASCADE");
    ck_exec(conn, "CREATE SCHEMA public");
    ck_exec(conn, "CREATE SCHEMA other");
}

static void teardown(void)
{
    ops->close(conn);
    mgr_plugin_entry()->fini(state);
    schema_rec_release(&rec);
    mock_host_reset();
}

/* ---- helpers ------------------------------------------------------------- */

static int run_statement(void *ctx, const char *stmt, size_t len, int line,
                         struct mgr_error *e)
{
    char *sql = strndup(stmt, len);
    int rc;

    (void)e;
    ck_assert_ptr_nonnull(sql);
    rc = q(ctx, sql);
    ck_assert_msg(rc == MGR_OK, "line %d: '%s': %s", line, sql, err.msg);
    free(sql);
    return rc;
}

/* Every statement of script, on c. */
static void run_script(void *c, const char *script)
{
    ck_assert_int_eq(ops->split(state, script, strlen(script), 1,
                                run_statement, c, &err),
                     MGR_OK);
}

/* Introspect c for schemas (none: the default), the excluded tables
 * left out; what was reported, as mock_schema_text and in rec. */
static const char *introspect_on(void *c, const char *const *schemas,
                                 size_t nschemas)
{
    struct mgr_introspect_request req = {
        sizeof(req), schemas, nschemas, excluded,
        sizeof(excluded) / sizeof(excluded[0]),
    };
    int rc;

    schema_rec_release(&rec);
    mock_buf_release(&mock_schema_text);
    rc = ops->introspect(c, &req, SCHEMA_REC_SINK(&rec), &err);
    ck_assert_msg(rc == MGR_OK, "introspect: %s", err.msg);
    schema_rec_build(&rec);
    return mock_schema_text.buf;
}

static const char *introspect(void)
{
    return introspect_on(conn, NULL, 0);
}

struct value_out {
    char *buf;
    size_t size;
};

static int first_value(void *ctx, size_t ncols, const char *const *names,
                       const char *const *values)
{
    struct value_out *v = ctx;

    (void)names;
    snprintf(v->buf, v->size, "%s",
             ncols && values[0] ? values[0] : "<null>");
    return MGR_OK;
}

/* The first value of the (last) row of sql on c, into out. */
static void select_value(void *c, const char *sql, char *out, size_t size)
{
    struct value_out v = { out, size };

    out[0] = '\0';
    ck_assert_msg(ops->query(c, sql, NULL, 0, first_value, &v, NULL, &dberr,
                             &err) == MGR_OK,
                  "'%s': %s", sql, err.msg);
}

#define ck_value(c, sql, want)                                          \
    do {                                                                \
        char got_[1024];                                                \
        select_value((c), (sql), got_, sizeof(got_));                   \
        ck_assert_str_eq(got_, (want));                                 \
    } while (0)

/* got is want; on a difference, both go to stderr in full first. */
#define ck_text(got, want)                                              \
    do {                                                                \
        const char *got_ = (got), *want_ = (want);                      \
        if (strcmp(got_, want_) != 0)                                   \
            fprintf(stderr, "--- want:\n%s--- got:\n%s---\n", want_,    \
                    got_);                                              \
        ck_assert_str_eq(got_, want_);                                  \
    } while (0)

/* text holds line (a whole line), or not. */
static int has_line(const char *text, const char *line)
{
    size_t n = strlen(line);

    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
        if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
            return 1;
    return 0;
}

/* Whether text has line (then has is 1) or not (0); text goes to stderr
 * when not as expected. */
static int line_is(const char *text, const char *line, int has)
{
    if (has_line(text, line) == has)
        return 1;
    fprintf(stderr, "--- %s line '%s' in:\n%s---\n", has ? "no" : "a",
            line, text);
    return 0;
}

/* Whether nothing in text reads like s (text goes to stderr if not). */
static int line_is_absent(const char *text, const char *s)
{
    if (!strstr(text, s))
        return 1;
    fprintf(stderr, "--- '%s' in:\n%s---\n", s, text);
    return 0;
}

#define ck_line(text, line)                                             \
    ck_assert_msg(line_is((text), (line), 1), "no line '%s'", (line))
#define ck_no_line(text, line)                                          \
    ck_assert_msg(line_is((text), (line), 0), "a line '%s'", (line))

/* Nothing in text reads like s. */
#define ck_nothing_like(text, s)                                        \
    ck_assert_msg(line_is_absent((text), (s)), "'%s' is there", (s))

/* The DDL of changes[0..n), rendered one by one; flags into *flags. */
static char *render_list(const struct mgr_change *const *changes, size_t n,
                         unsigned *flags)
{
    struct mgr_buf out = MGR_BUF_INIT;

    *flags = 0;
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(ops->render(state, changes, n, i, &out, flags, &err) ==
                          MGR_OK,
                      "render %zu: %s", i, err.msg);
    return out.buf;
}

/*
 * Render changes[0..n) and run the DDL on c: in one transaction, or
 * statement by statement when render asks for no transaction (which
 * must be exactly when want_no_transaction says). The DDL, to free.
 */
static char *apply_on(void *c, const struct mgr_change *const *changes,
                      size_t n, int want_no_transaction)
{
    unsigned flags;
    char *ddl = render_list(changes, n, &flags);

    ck_assert_int_eq(!!(flags & MGR_SECTION_NO_TRANSACTION),
                     want_no_transaction);
    if (!want_no_transaction)
        ck_assert_int_eq(ops->begin(c, &err), MGR_OK);
    run_script(c, ddl);
    if (!want_no_transaction)
        ck_assert_msg(ops->commit(c, &err) == MGR_OK, "commit: %s",
                      err.msg);
    return ddl;
}

static void apply(const struct mgr_change *const *changes, size_t n)
{
    free(apply_on(conn, changes, n, 0));
}

/* One change of a kind. */
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

static void apply_one(struct mgr_change c)
{
    const struct mgr_change *list[1] = { &c };

    apply(list, 1);
}

/* The object introspection reported, which must be there. */
static const struct mgr_object *found(unsigned kind, const char *schema,
                                      const char *table, const char *name)
{
    const struct mgr_object *o =
        schema_rec_find(&rec, kind, schema, table, name);

    ck_assert_msg(o != NULL, "no %u %s|%s|%s", kind, schema,
                  table ? table : "", name);
    return o;
}

/* ---- the schema of every kind -------------------------------------------- */

static const char every_kind_sql[] =
    "CREATE TYPE unit_kind AS ENUM ('flat', 'house', 'it''s');\n"
    "CREATE SEQUENCE invoice_no AS integer INCREMENT BY 5 MINVALUE 10\n"
    "    MAXVALUE 100000 START WITH 20 CYCLE;\n"
    "CREATE TABLE properties (\n"
    "    id serial PRIMARY KEY,\n"
    "    name text COLLATE \"C\" NOT NULL DEFAULT 'unnamed',\n"
    "    code varchar(12) UNIQUE,\n"
    "    created timestamp with time zone NOT NULL DEFAULT now()\n"
    ");\n"
    "CREATE TABLE units (\n"
    "    id integer GENERATED ALWAYS AS IDENTITY,\n"
    "    property_id integer NOT NULL REFERENCES properties\n"
    "        ON DELETE CASCADE,\n"
    "    floor integer CHECK (floor >= 0),\n"
    "    rent numeric(10,2) DEFAULT 0,\n"
    "    kind unit_kind NOT NULL DEFAULT 'flat',\n"
    "    tags text[],\n"
    "    ref bigint GENERATED BY DEFAULT AS IDENTITY,\n"
    "    CONSTRAINT units_pk PRIMARY KEY (id),\n"
    "    CONSTRAINT rent_sane CHECK (rent > 0 OR floor = 0),\n"
    "    UNIQUE (property_id, floor),\n"
    "    CONSTRAINT units_ref_once UNIQUE (ref)\n"
    "        DEFERRABLE INITIALLY DEFERRED\n"
    ");\n"
    "CREATE TABLE leases (\n"
    "    unit_id integer,\n"
    "    property_id integer,\n"
    "    floor integer,\n"
    "    starts date NOT NULL,\n"
    "    ends date,\n"
    "    CONSTRAINT lease_unit FOREIGN KEY (unit_id) REFERENCES units (id)\n"
    "        ON UPDATE RESTRICT ON DELETE SET NULL DEFERRABLE,\n"
    "    FOREIGN KEY (property_id, floor)\n"
    "        REFERENCES units (property_id, floor)\n"
    "        ON DELETE SET DEFAULT ON UPDATE CASCADE,\n"
    "    CHECK (ends > starts)\n"
    ");\n"
    "ALTER TABLE leases DROP COLUMN floor;\n"
    "ALTER TABLE leases ADD COLUMN floor integer;\n"
    "ALTER TABLE leases ADD FOREIGN KEY (property_id, floor)\n"
    "    REFERENCES units (property_id, floor)\n"
    "    ON DELETE SET DEFAULT ON UPDATE CASCADE;\n"
    "CREATE INDEX ON units (rent DESC NULLS LAST, (rent * 2));\n"
    "CREATE INDEX units_cheap ON units (rent) WHERE rent < 100;\n"
    "CREATE UNIQUE INDEX ON properties (lower(name));\n"
    "CREATE INDEX units_tags ON units USING gin (tags);\n"
    "CREATE INDEX ON leases (starts NULLS FIRST, ends DESC);\n"
    "CREATE INDEX ON properties (name text_pattern_ops);\n"
    "CREATE VIEW cheap_units AS SELECT id, rent FROM units WHERE rent < 100;\n"
    "COMMENT ON TABLE properties IS 'what we let';\n"
    "COMMENT ON COLUMN properties.name IS 'it''s a name';\n"
    "COMMENT ON VIEW cheap_units IS 'under 100';\n"
    "COMMENT ON INDEX units_cheap IS 'partial';\n"
    "COMMENT ON CONSTRAINT rent_sane ON units IS 'no free flats';\n"
    "CREATE TYPE other.mood AS ENUM ('sad', 'ok');\n"
    "CREATE TABLE other.notes (\n"
    "    id bigserial PRIMARY KEY,\n"
    "    unit_id integer REFERENCES public.units,\n"
    "    mood other.mood,\n"
    "    kind unit_kind\n"
    ");\n"
    "CREATE VIEW other.sad_notes AS\n"
    "    SELECT id FROM other.notes WHERE mood = 'sad';\n"
    "CREATE TABLE migrator_version (version_num varchar(32) PRIMARY KEY);\n"
    "CREATE TABLE migrator_log (id serial PRIMARY KEY, msg text);\n"
    "CREATE INDEX ON migrator_log (msg);\n"
    "CREATE TABLE other.skipped (id serial PRIMARY KEY);\n";

/* What introspect reports of every_kind_sql for the default schema. */
static const char every_kind_text[] =
    "TABLE ||leases\n"
    "TABLE ||properties comment=what we let\n"
    "TABLE ||units\n"
    "COLUMN |leases|unit_id type=integer pos=1\n"
    "COLUMN |leases|property_id type=integer pos=2\n"
    "COLUMN |leases|starts type=date flags=0x1 pos=3\n"
    "COLUMN |leases|ends type=date pos=4\n"
    "COLUMN |leases|floor type=integer pos=5\n"
    "COLUMN |properties|id type=integer "
    "expr=nextval('properties_id_seq'::regclass) flags=0x1 pos=1\n"
    "COLUMN |properties|name type=text expr='unnamed'::text collation=C "
    "comment=it's a name flags=0x1 pos=2\n"
    "COLUMN |properties|code type=character varying(12) pos=3\n"
    "COLUMN |properties|created type=timestamp with time zone expr=now() "
    "flags=0x1 pos=4\n"
    "COLUMN |units|id type=integer flags=0x41 pos=1\n"
    "COLUMN |units|property_id type=integer flags=0x1 pos=2\n"
    "COLUMN |units|floor type=integer pos=3\n"
    "COLUMN |units|rent type=numeric(10,2) expr=0 pos=4\n"
    "COLUMN |units|kind type=unit_kind expr='flat'::unit_kind flags=0x1 "
    "pos=5\n"
    "COLUMN |units|tags type=text[] pos=6\n"
    "COLUMN |units|ref type=bigint flags=0x81 pos=7\n"
    "FOREIGN_KEY |leases|lease_unit items=unit_id ref=|units "
    "ref_columns=id on_delete=SET NULL on_update=RESTRICT flags=0x4\n"
    "CHECK |leases|leases_check expr=ends > starts flags=0x10\n"
    "FOREIGN_KEY |leases|leases_property_id_floor_fkey "
    "items=property_id,floor ref=|units ref_columns=property_id,floor "
    "on_delete=SET DEFAULT on_update=CASCADE flags=0x10\n"
    "UNIQUE |properties|properties_code_key items=code flags=0x10\n"
    "PRIMARY_KEY |properties|properties_pkey items=id flags=0x10\n"
    "CHECK |units|rent_sane expr=rent > 0::numeric OR floor = 0 "
    "comment=no free flats\n"
    "CHECK |units|units_floor_check expr=floor >= 0 flags=0x10\n"
    "PRIMARY_KEY |units|units_pk items=id\n"
    "FOREIGN_KEY |units|units_property_id_fkey items=property_id "
    "ref=|properties ref_columns=id on_delete=CASCADE flags=0x10\n"
    "UNIQUE |units|units_property_id_floor_key items=property_id,floor "
    "flags=0x10\n"
    "UNIQUE |units|units_ref_once items=ref flags=0xc\n"
    "INDEX |leases|leases_starts_ends_idx method=btree items=starts NULLS "
    "FIRST,ends DESC flags=0x10\n"
    "INDEX |properties|properties_lower_idx method=btree "
    "items=lower(name) flags=0x12\n"
    "INDEX |properties|properties_name_idx method=btree items=name "
    "text_pattern_ops flags=0x10\n"
    "INDEX |units|units_cheap expr=rent < 100::numeric comment=partial "
    "method=btree items=rent\n"
    "INDEX |units|units_rent_expr_idx method=btree items=rent DESC NULLS "
    "LAST,(rent * 2::numeric) flags=0x10\n"
    "INDEX |units|units_tags method=gin items=tags\n"
    "ENUM ||unit_kind items=flat,house,it's\n"
    "SEQUENCE ||invoice_no type=integer flags=0x20 seq=20,5,10,100000\n"
    "SEQUENCE ||properties_id_seq type=integer owned_by=properties.id "
    "seq=1,1,1,2147483647\n"
    "VIEW ||cheap_units expr= SELECT units.id,\n"
    "    units.rent\n"
    "   FROM units\n"
    "  WHERE units.rent < 100::numeric; comment=under 100\n";

START_TEST(test_introspect_every_kind)
{
    run_script(conn, every_kind_sql);
    ck_text(introspect(), every_kind_text);
}
END_TEST

/* A schema listed besides the default one: its objects carry its name,
 * its types print qualified, the default schema's do not. */
START_TEST(test_introspect_second_schema)
{
    static const char *const both[] = { "public", "other" };
    const char *text;

    run_script(conn, every_kind_sql);
    text = introspect_on(conn, both, 2);
    ck_assert_msg(strncmp(text, "TABLE ||leases\n", 15) == 0, "%s", text);
    ck_line(text, "TABLE other||notes");
    ck_line(text, "COLUMN other|notes|id type=bigint "
                  "expr=nextval('other.notes_id_seq'::regclass) "
                  "flags=0x1 pos=1");
    ck_line(text, "COLUMN other|notes|mood type=other.mood pos=3");
    ck_line(text, "COLUMN other|notes|kind type=unit_kind pos=4");
    ck_line(text, "PRIMARY_KEY other|notes|notes_pkey items=id flags=0x10");
    ck_line(text, "FOREIGN_KEY other|notes|notes_unit_id_fkey "
                  "items=unit_id ref=|units ref_columns=id flags=0x10");
    ck_line(text, "ENUM other||mood items=sad,ok");
    ck_line(text, "SEQUENCE other||notes_id_seq type=bigint "
                  "owned_by=notes.id seq=1,1,1,9223372036854775807");
    ck_line(text, "VIEW other||sad_notes expr= SELECT notes.id");
    ck_line(text, "  WHERE notes.mood = 'sad'::other.mood;");
    /* other.skipped is excluded by its qualified name, with its
     * sequence */
    ck_nothing_like(text, "skipped");
    ck_nothing_like(text, "migrator_");
    ck_assert_int_eq(rec.schema.ntables, 4);
    ck_assert_int_eq(rec.schema.nenums, 2);
    ck_assert_int_eq(rec.schema.nsequences, 3);
    ck_assert_int_eq(rec.schema.nviews, 2);
}
END_TEST

/* Only a schema that is not the default: the default one is left out,
 * and what it holds is still named without a schema. */
START_TEST(test_introspect_other_schema_only)
{
    static const char *const other[] = { "other" };
    const char *text;

    run_script(conn, every_kind_sql);
    text = introspect_on(conn, other, 1);
    ck_line(text, "TABLE other||notes");
    ck_line(text, "FOREIGN_KEY other|notes|notes_unit_id_fkey "
                  "items=unit_id ref=|units ref_columns=id flags=0x10");
    ck_nothing_like(text, " |");
    ck_assert_int_eq(rec.schema.ntables, 1);
}
END_TEST

/* current_schema() decides which schema is "": here other. */
START_TEST(test_introspect_default_schema_follows_search_path)
{
    static const char *const both[] = { "other", "public" };
    const char *text;

    run_script(conn, every_kind_sql);
    ck_exec(conn, "SET search_path = other, public");
    text = introspect_on(conn, both, 2);
    ck_line(text, "TABLE ||notes");
    ck_line(text, "TABLE public||units");
    ck_line(text, "COLUMN |notes|mood type=mood pos=3");
    ck_line(text, "FOREIGN_KEY |notes|notes_unit_id_fkey items=unit_id "
                  "ref=public|units ref_columns=id flags=0x10");
    ck_line(text, "ENUM ||mood items=sad,ok");
    ck_line(text, "ENUM public||unit_kind items=flat,house,it's");
}
END_TEST

static const char skipped_sql[] =
    "CREATE TABLE ext_t (a int);\n"
    "CREATE TYPE ext_e AS ENUM ('x');\n"
    "CREATE SEQUENCE ext_s;\n"
    "CREATE VIEW ext_v AS SELECT 1 AS one;\n"
    "ALTER EXTENSION plpgsql ADD TABLE ext_t;\n"
    "ALTER EXTENSION plpgsql ADD TYPE ext_e;\n"
    "ALTER EXTENSION plpgsql ADD SEQUENCE ext_s;\n"
    "ALTER EXTENSION plpgsql ADD VIEW ext_v;\n"
    "CREATE TABLE events (id int, at date, PRIMARY KEY (id, at))\n"
    "    PARTITION BY RANGE (at);\n"
    "CREATE TABLE events_2024 PARTITION OF events\n"
    "    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
    "CREATE TABLE events_2025 PARTITION OF events\n"
    "    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\n"
    "CREATE INDEX ON events (at);\n"
    "CREATE TABLE refs (id int, at date, FOREIGN KEY (id, at)\n"
    "    REFERENCES events);\n"
    "CREATE TEMP TABLE pad (a int PRIMARY KEY);\n";

static const char skipped_text[] =
    "TABLE ||events\n"
    "TABLE ||refs\n"
    "COLUMN |events|id type=integer flags=0x1 pos=1\n"
    "COLUMN |events|at type=date flags=0x1 pos=2\n"
    "COLUMN |refs|id type=integer pos=1\n"
    "COLUMN |refs|at type=date pos=2\n"
    "PRIMARY_KEY |events|events_pkey items=id,at flags=0x10\n"
    "FOREIGN_KEY |refs|refs_id_at_fkey items=id,at ref=|events "
    "ref_columns=id,at flags=0x10\n"
    "INDEX |events|events_at_idx method=btree items=at flags=0x10\n";

/* Extensions' objects, partitions and temporary schemas are left out
 * (a foreign key to a partitioned table is reported once). */
START_TEST(test_introspect_skips_extension_partition_temp)
{
    char temp_schema[64], text[4096];
    const char *schemas[2] = { "public", temp_schema };

    run_script(conn, skipped_sql);
    /* the temporary schema, asked for by its name */
    select_value(conn,
                 "SELECT nspname FROM pg_namespace "
                 "WHERE oid = pg_my_temp_schema()",
                 temp_schema, sizeof(temp_schema));
    ck_assert_msg(strncmp(temp_schema, "pg_temp_", 8) == 0, "%s",
                  temp_schema);
    snprintf(text, sizeof(text), "%s", introspect_on(conn, schemas, 2));
    run_script(conn, "ALTER EXTENSION plpgsql DROP TABLE ext_t;\n"
                     "ALTER EXTENSION plpgsql DROP TYPE ext_e;\n"
                     "ALTER EXTENSION plpgsql DROP SEQUENCE ext_s;\n"
                     "ALTER EXTENSION plpgsql DROP VIEW ext_v;\n");
    ck_text(text, skipped_text);
}
END_TEST

/* ---- made-up names ------------------------------------------------------- */

#define LONG_TABLE \
    "a_table_name_of_sixty_three_bytes_which_is_the_most_postgres_ok"
#define LONG_COL1 \
    "first_column_with_a_name_of_sixty_three_bytes_for_cutting_tests"
#define LONG_COL2 \
    "second_column_with_a_name_of_sixty_three_bytes_for_cut_tests_b"
#define LONG_COL3 \
    "third_column_with_a_name_of_sixty_three_bytes_for_cut_tests_cc"
/* two-byte characters, so that cuts fall inside them */
#define MB_TABLE "ünïcødé_tàblé_ñåmé_whérè_cüts_fàll_ïñ_chàrs"
#define MB_COL "çølümñ_wïth_àççéñts_àll_thé_wäy"

static const char autoname_sql[] =
    "CREATE TABLE \"" LONG_TABLE "\" (\n"
    "    \"" LONG_COL1 "\" int PRIMARY KEY,\n"
    "    \"" LONG_COL2 "\" int UNIQUE CHECK (\"" LONG_COL2 "\" > 0),\n"
    "    \"" LONG_COL3 "\" int REFERENCES \"" LONG_TABLE "\",\n"
    "    fourth int,\n"
    "    UNIQUE (\"" LONG_COL1 "\", \"" LONG_COL2 "\", \"" LONG_COL3 "\",\n"
    "        fourth)\n"
    ");\n"
    "CREATE INDEX ON \"" LONG_TABLE "\" (\"" LONG_COL1 "\", \"" LONG_COL2
    "\");\n"
    "CREATE INDEX ON \"" LONG_TABLE "\" ((\"" LONG_COL1 "\" + 1));\n"
    "CREATE TABLE \"" MB_TABLE "\" (\"" MB_COL "\" int PRIMARY KEY,\n"
    "    x int UNIQUE, CHECK (\"" MB_COL "\" > x));\n"
    "CREATE INDEX ON \"" MB_TABLE "\" (\"" MB_COL "\", x);\n"
    "CREATE TABLE t (a int, b int, c int, u text);\n"
    "ALTER TABLE t ADD UNIQUE (a), ADD UNIQUE (a);\n"
    "CREATE INDEX ON t (a);\n"
    "CREATE INDEX ON t (a);\n"
    "CREATE INDEX ON t (lower(u));\n"
    "CREATE INDEX ON t ((a + 1), (b + 1));\n"
    "CREATE INDEX ON t (a) INCLUDE (c);\n"
    "ALTER TABLE t ADD CHECK (a > 0), ADD CHECK (a > 1);\n"
    "ALTER TABLE t ADD CHECK (a > b);\n"
    /* named by hand, not as the server would have */
    "ALTER TABLE t ADD CONSTRAINT t_b_key UNIQUE (a);\n"
    "ALTER TABLE t ADD CONSTRAINT t_a_key01 UNIQUE (a);\n"
    "ALTER TABLE t ADD CONSTRAINT t_a_check_x CHECK (a > 2);\n"
    "CREATE INDEX t_b_idx ON t (a);\n"
    "CREATE INDEX my_index ON t (b);\n";

static int named_by_hand(const char *name)
{
    static const char *const names[] = { "t_b_key", "t_a_key01",
                                         "t_a_check_x", "t_b_idx",
                                         "my_index" };

    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
        if (strcmp(name, names[k]) == 0)
            return 1;
    return 0;
}

/* Whatever the server named is marked, cut, numbered or in two-byte
 * characters; names given by hand are not, even when they look alike. */
START_TEST(test_introspect_autonames)
{
    const char *text;
    size_t checked = 0, cut = 0;

    run_script(conn, autoname_sql);
    text = introspect();
    for (size_t k = 0; k < rec.n; k++) {
        const struct mgr_object *o = rec.objs[k];
        int want;

        if (o->kind < MGR_OBJ_PRIMARY_KEY || o->kind > MGR_OBJ_INDEX)
            continue;
        want = !named_by_hand(o->name);
        if (!!(o->flags & MGR_OBJ_AUTONAME) != want)
            fprintf(stderr, "--- introspected:\n%s---\n", text);
        ck_assert_msg(!!(o->flags & MGR_OBJ_AUTONAME) == want,
                      "%s|%s: flags 0x%x", o->table, o->name, o->flags);
        checked++;
        cut += strlen(o->name) == 63;
    }
    ck_assert_uint_eq(checked, 26);
    ck_assert_uint_ge(cut, 6);
    ck_line(text, "UNIQUE |t|t_a_key1 items=a flags=0x10");
    ck_line(text, "INDEX |t|t_a_idx1 method=btree items=a flags=0x10");
    ck_line(text, "INDEX |t|t_expr_expr1_idx method=btree "
                  "items=(a + 1),(b + 1) flags=0x10");
    ck_line(text, "CHECK |t|t_check expr=a > b flags=0x10");
    ck_line(text, "CHECK |t|t_a_check1 expr=a > 1 flags=0x10");
}
END_TEST

/* ---- limits: round trips ------------------------------------------------- */

/* Lines of the server log past offset that record a statement of
 * backend pid. */
static int statements_logged(long offset, const char *pid)
{
    char path[300], line[8192], execute[64], simple[64];
    FILE *f;
    int n = 0;

    snprintf(path, sizeof(path), "%s/server.log", server_dir);
    snprintf(execute, sizeof(execute), "[%s] LOG:  execute ", pid);
    snprintf(simple, sizeof(simple), "[%s] LOG:  statement: ", pid);
    f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    ck_assert_int_eq(fseek(f, offset, SEEK_SET), 0);
    while (fgets(line, sizeof(line), f))
        n += strstr(line, execute) != NULL || strstr(line, simple) != NULL;
    fclose(f);
    return n;
}

static long log_size(void)
{
    char path[300];
    struct stat st;

    snprintf(path, sizeof(path), "%s/server.log", server_dir);
    ck_assert_int_eq(stat(path, &st), 0);
    return (long)st.st_size;
}

/* Statements one introspect sends, counted in the server's log. */
static int introspect_statements(const char *pid)
{
    long offset = log_size();

    introspect();
    return statements_logged(offset, pid);
}

/* Tables k of n: each with a key, a reference, a check, an index. */
static void make_tables(int from, int to)
{
    char sql[512];

    for (int k = from; k < to; k++) {
        snprintf(sql, sizeof(sql),
                 "CREATE TABLE t%d (id int PRIMARY KEY, up int "
                 "REFERENCES t0, v text CHECK (v <> ''), w int UNIQUE);"
                 "CREATE INDEX ON t%d (v);",
                 k, k);
        run_script(conn, sql);
    }
}

START_TEST(test_limits_constant_round_trips)
{
    char pid[32];
    int one, many;

    select_value(conn, "SELECT pg_backend_pid()", pid, sizeof(pid));
    ck_exec(conn, "SET log_statement = 'all'");
    make_tables(0, 1);
    one = introspect_statements(pid);
    make_tables(1, 120);
    many = introspect_statements(pid);
    ck_assert_int_eq(rec.schema.ntables, 120);
    /* one query per kind of object, whatever the number of tables, and
     * SET/RESET jit around them */
    ck_assert_int_eq(one, 7 + 2);
    ck_assert_int_eq(many, one);
}
END_TEST

/* ---- render: run on the server ------------------------------------------- */

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

static struct mgr_object column(const char *table, const char *name,
                                const char *type, unsigned flags, int pos)
{
    struct mgr_object o = object(MGR_OBJ_COLUMN, "", table, name);

    o.type = type;
    o.flags = flags;
    o.position = pos;
    return o;
}

/* The changes that create schema sc from nothing: enums, sequences,
 * tables, their foreign keys, views. */
static size_t creation_changes(const struct mgr_schema *sc,
                               struct mgr_change **changes_out,
                               const struct mgr_change ***list_out)
{
    size_t max = sc->nenums + sc->nsequences + sc->ntables + sc->nviews;
    struct mgr_change *c;
    size_t n = 0;

    for (size_t t = 0; t < sc->ntables; t++)
        max += sc->tables[t]->nconstraints;
    c = calloc(max, sizeof(*c));
    *list_out = calloc(max, sizeof(**list_out));
    ck_assert(c && *list_out);
    for (size_t k = 0; k < sc->nenums; k++)
        c[n++] = change(MGR_CHANGE_CREATE_ENUM, NULL, sc->enums[k]);
    for (size_t k = 0; k < sc->nsequences; k++)
        c[n++] = change(MGR_CHANGE_CREATE_SEQUENCE, NULL, sc->sequences[k]);
    for (size_t t = 0; t < sc->ntables; t++) {
        c[n] = change(MGR_CHANGE_CREATE_TABLE, NULL, sc->tables[t]->obj);
        c[n++].to_table = sc->tables[t];
    }
    for (size_t t = 0; t < sc->ntables; t++)
        for (size_t k = 0; k < sc->tables[t]->nconstraints; k++)
            if (sc->tables[t]->constraints[k]->kind == MGR_OBJ_FOREIGN_KEY)
                c[n++] = change(MGR_CHANGE_ADD_CONSTRAINT, NULL,
                                sc->tables[t]->constraints[k]);
    for (size_t k = 0; k < sc->nviews; k++)
        c[n++] = change(MGR_CHANGE_CREATE_VIEW, NULL, sc->views[k]);
    for (size_t k = 0; k < n; k++) {
        c[k].to_schema = sc;
        (*list_out)[k] = &c[k];
    }
    *changes_out = c;
    return n;
}

/* What introspect reads, render makes again: every kind of object,
 * created in an empty database, reads back the same. */
START_TEST(test_render_round_trip)
{
    static const char *const both[] = { "public", "other" };
    struct mgr_buf name = MGR_BUF_INIT;
    const struct mgr_change **list;
    struct mgr_change *changes;
    void *scratch;
    char *want, *ddl;
    size_t n;

    run_script(conn, every_kind_sql);
    want = strdup(introspect_on(conn, both, 2));
    n = creation_changes(&rec.schema, &changes, &list);
    ck_assert_msg(ops->scratch_open(state, conn, conninfo, &scratch, &name,
                                    &err) == MGR_OK,
                  "scratch_open: %s", err.msg);
    ck_exec(scratch, "CREATE SCHEMA other");
    ddl = apply_on(scratch, list, n, 0);
    /* the foreign keys come after all the tables */
    ck_assert_ptr_null(strstr(ddl, "FOREIGN KEY (\"unit_id\") REFERENCES "
                                   "\"units\" (\"id\") ON DELETE SET NULL "
                                   "ON UPDATE RESTRICT DEFERRABLE,"));
    ck_text(introspect_on(scratch, both, 2), want);
    ck_assert_int_eq(ops->scratch_close(state, conn, scratch, name.buf, &err),
                     MGR_OK);
    mock_buf_release(&name);
    free(ddl);
    free(want);
    free(changes);
    free(list);
}
END_TEST

/* Two tables that refer to each other, and one that refers to an
 * existing table (its key stays in its CREATE TABLE). */
START_TEST(test_render_foreign_key_cycle)
{
    static const char *const id[] = { "id" }, *const a_ref[] = { "b_id" },
                             *const b_ref[] = { "a_id" };
    struct mgr_object a = object(MGR_OBJ_TABLE, "", NULL, "a"),
                      b = object(MGR_OBJ_TABLE, "other", NULL, "b");
    struct mgr_object a_id = column("a", "id", "integer", MGR_OBJ_NOT_NULL, 1),
                      a_b = column("a", "b_id", "integer", 0, 2),
                      b_id = column("b", "id", "integer", MGR_OBJ_NOT_NULL, 1),
                      b_a = column("b", "a_id", "integer", 0, 2);
    struct mgr_object a_pk = object(MGR_OBJ_PRIMARY_KEY, "", "a", "a_pk"),
                      b_pk = object(MGR_OBJ_PRIMARY_KEY, "other", "b", "b_pk"),
                      a_fk = object(MGR_OBJ_FOREIGN_KEY, "", "a", "a_b"),
                      b_fk = object(MGR_OBJ_FOREIGN_KEY, "other", "b", "b_a");
    const struct mgr_object *a_cols[] = { &a_id, &a_b },
                            *b_cols[] = { &b_id, &b_a },
                            *a_cons[] = { &a_pk, &a_fk },
                            *b_cons[] = { &b_pk, &b_fk };
    struct mgr_table ta = { &a, a_cols, 2, a_cons, 2, NULL, 0 },
                     tb = { &b, b_cols, 2, b_cons, 2, NULL, 0 };
    struct mgr_change c[4];
    const struct mgr_change *list[4] = { &c[0], &c[1], &c[2], &c[3] };
    const char *text;

    b_id.schema = b_a.schema = "other";
    a_pk.items = b_pk.items = id;
    a_pk.nitems = b_pk.nitems = 1;
    a_fk.items = a_ref;
    b_fk.items = b_ref;
    a_fk.nitems = b_fk.nitems = 1;
    a_fk.ref_schema = "other";
    a_fk.ref_table = "b";
    b_fk.ref_schema = "";
    b_fk.ref_table = "a";
    a_fk.ref_columns = b_fk.ref_columns = id;
    a_fk.on_delete = "CASCADE";
    b_fk.flags = MGR_OBJ_DEFERRABLE | MGR_OBJ_INITIALLY_DEFERRED;
    c[0] = change(MGR_CHANGE_CREATE_TABLE, NULL, &a);
    c[0].to_table = &ta;
    c[1] = change(MGR_CHANGE_CREATE_TABLE, NULL, &b);
    c[1].to_table = &tb;
    c[2] = change(MGR_CHANGE_ADD_CONSTRAINT, NULL, &a_fk);
    c[3] = change(MGR_CHANGE_ADD_CONSTRAINT, NULL, &b_fk);
    apply(list, 4);
    /* now a table whose key refers to a table that exists */
    c[0] = change(MGR_CHANGE_CREATE_TABLE, NULL, &b);
    c[0].to_table = &tb;
    b.name = b_id.table = b_a.table = b_pk.table = b_fk.table = "c";
    b_pk.name = "c_pk";
    b_fk.name = "c_a";
    apply(list, 1);

    text = introspect_on(conn, (const char *const[]){ "public", "other" }, 2);
    ck_line(text, "FOREIGN_KEY |a|a_b items=b_id ref=other|b ref_columns=id "
                  "on_delete=CASCADE");
    ck_line(text, "FOREIGN_KEY other|b|b_a items=a_id ref=|a ref_columns=id "
                  "flags=0xc");
    ck_line(text, "FOREIGN_KEY other|c|c_a items=a_id ref=|a ref_columns=id "
                  "flags=0xc");
    ck_line(text, "PRIMARY_KEY other|c|c_pk items=id");
}
END_TEST

static const char tables_sql[] =
    "CREATE TABLE t (id int PRIMARY KEY, a text, b int);\n"
    "CREATE TABLE gone (x int);\n"
    "INSERT INTO t VALUES (1, 'one', 1);\n";

/* Tables, columns, constraints and indexes made, renamed and dropped. */
START_TEST(test_render_table_changes)
{
    static const char *const a2[] = { "a2" }, *const lower_c[] = { "lower(c)" };
    struct mgr_object t, t2, gone, c = column("t", "c", "text",
                                              MGR_OBJ_NOT_NULL, 4);
    struct mgr_object a, a_renamed, b, pk, check, unique, index;
    struct mgr_change ch[9];
    const struct mgr_change *list[9];
    const char *text;

    run_script(conn, tables_sql);
    introspect();
    t = t2 = *found(MGR_OBJ_TABLE, "", NULL, "t");
    gone = *found(MGR_OBJ_TABLE, "", NULL, "gone");
    a = a_renamed = *found(MGR_OBJ_COLUMN, "", "t", "a");
    b = *found(MGR_OBJ_COLUMN, "", "t", "b");
    pk = *found(MGR_OBJ_PRIMARY_KEY, "", "t", "t_pkey");
    t2.name = "t2";
    a_renamed.name = "a2";
    c.expr = "'x'::text";
    c.collation = "C";
    c.comment = "it's c";
    check = object(MGR_OBJ_CHECK, "", "t", "t_c_check");
    check.expr = "c <> ''";
    unique = object(MGR_OBJ_UNIQUE, "", "t", "t_a2_key");
    unique.items = a2;
    unique.nitems = 1;
    index = object(MGR_OBJ_INDEX, "", "t", "t_c_idx");
    index.items = lower_c;
    index.nitems = 1;
    index.method = "btree";
    index.expr = "c <> 'x'::text";
    index.flags = MGR_OBJ_UNIQUE_INDEX;
    index.comment = "one per c";
    ch[0] = change(MGR_CHANGE_ADD_COLUMN, NULL, &c);
    ch[1] = change(MGR_CHANGE_DROP_COLUMN, &b, NULL);
    ch[2] = change(MGR_CHANGE_RENAME_COLUMN, &a, &a_renamed);
    ch[3] = change(MGR_CHANGE_ADD_CONSTRAINT, NULL, &check);
    ch[4] = change(MGR_CHANGE_ADD_CONSTRAINT, NULL, &unique);
    ch[5] = change(MGR_CHANGE_DROP_CONSTRAINT, &pk, NULL);
    ch[6] = change(MGR_CHANGE_CREATE_INDEX, NULL, &index);
    ch[7] = change(MGR_CHANGE_DROP_TABLE, &gone, NULL);
    ch[8] = change(MGR_CHANGE_RENAME_TABLE, &t, &t2);
    for (size_t k = 0; k < 9; k++)
        list[k] = &ch[k];
    apply(list, 9);

    text = introspect();
    ck_text(text,
            "TABLE ||t2\n"
            "COLUMN |t2|id type=integer flags=0x1 pos=1\n"
            "COLUMN |t2|a2 type=text pos=2\n"
            "COLUMN |t2|c type=text expr='x'::text collation=C "
            "comment=it's c flags=0x1 pos=3\n"
            "UNIQUE |t2|t_a2_key items=a2\n"
            "CHECK |t2|t_c_check expr=c <> ''::text\n"
            "INDEX |t2|t_c_idx expr=c <> 'x'::text comment=one per c "
            "method=btree items=lower(c) flags=0x2\n");
    ck_value(conn, "SELECT a2 || c FROM t2", "onex");

    index.table = "t2";
    apply_one(change(MGR_CHANGE_DROP_INDEX, &index, NULL));
    ck_nothing_like(introspect(), "INDEX");
}
END_TEST

static const char columns_sql[] =
    "CREATE TABLE m (\n"
    "    n text DEFAULT '7',\n"
    "    nn integer,\n"
    "    d integer DEFAULT 1,\n"
    "    co text,\n"
    "    idn integer NOT NULL,\n"
    "    s serial\n"
    ");\n"
    "INSERT INTO m (n, nn, idn) VALUES ('42', 1, 1);\n";

/* The column called name of m as introspected, and a copy to change. */
static const struct mgr_object *m_column(const char *name,
                                         struct mgr_object *copy)
{
    const struct mgr_object *col = found(MGR_OBJ_COLUMN, "", "m", name);

    *copy = *col;
    return col;
}

static struct mgr_change alter(const struct mgr_object *from,
                               const struct mgr_object *to, unsigned bits)
{
    struct mgr_change c = change(MGR_CHANGE_ALTER_COLUMN, from, to);

    c.alter = bits;
    return c;
}

/* Each part of ALTER COLUMN, and back. */
START_TEST(test_render_alter_column)
{
    struct mgr_object n, nn, d, co, idn, s;
    struct mgr_change c[6];
    const struct mgr_change *list[6];
    const char *text;

    for (size_t k = 0; k < 6; k++)
        list[k] = &c[k];
    run_script(conn, columns_sql);
    introspect();
    c[0] = alter(m_column("n", &n), &n, MGR_ALTER_TYPE | MGR_ALTER_DEFAULT);
    n.type = "integer";
    n.expr = "7";
    c[1] = alter(m_column("nn", &nn), &nn, MGR_ALTER_NULLABLE);
    nn.flags |= MGR_OBJ_NOT_NULL;
    c[2] = alter(m_column("d", &d), &d, MGR_ALTER_DEFAULT);
    d.expr = "2";
    c[3] = alter(m_column("co", &co), &co, MGR_ALTER_COLLATION);
    co.collation = "C";
    c[4] = alter(m_column("idn", &idn), &idn, MGR_ALTER_IDENTITY);
    idn.flags |= MGR_OBJ_IDENTITY_ALWAYS;
    /* serial to identity */
    c[5] = alter(m_column("s", &s), &s, MGR_ALTER_DEFAULT | MGR_ALTER_IDENTITY);
    s.expr = NULL;
    s.flags |= MGR_OBJ_IDENTITY_DEFAULT;
    apply(list, 6);
    text = introspect();
    ck_line(text, "COLUMN |m|n type=integer expr=7 pos=1");
    ck_line(text, "COLUMN |m|nn type=integer flags=0x1 pos=2");
    ck_line(text, "COLUMN |m|d type=integer expr=2 pos=3");
    ck_line(text, "COLUMN |m|co type=text collation=C pos=4");
    ck_line(text, "COLUMN |m|idn type=integer flags=0x41 pos=5");
    ck_line(text, "COLUMN |m|s type=integer flags=0x81 pos=6");
    ck_value(conn, "SELECT n + 1 FROM m", "43");

    c[0] = alter(m_column("nn", &nn), &nn, MGR_ALTER_NULLABLE);
    nn.flags &= ~MGR_OBJ_NOT_NULL;
    c[1] = alter(m_column("d", &d), &d, MGR_ALTER_DEFAULT);
    d.expr = NULL;
    c[2] = alter(m_column("co", &co), &co, MGR_ALTER_COLLATION);
    co.collation = NULL;
    c[3] = alter(m_column("idn", &idn), &idn, MGR_ALTER_IDENTITY);
    idn.flags = MGR_OBJ_NOT_NULL | MGR_OBJ_IDENTITY_DEFAULT;
    c[4] = alter(m_column("s", &s), &s,
                 MGR_ALTER_IDENTITY | MGR_ALTER_NULLABLE);
    s.flags = 0;
    /* a type and a collation at once */
    c[5] = alter(m_column("n", &n), &n, MGR_ALTER_TYPE | MGR_ALTER_COLLATION);
    n.type = "character varying(10)";
    n.collation = "C";
    n.expr = "'7'::character varying";
    apply(list, 6);
    text = introspect();
    ck_line(text, "COLUMN |m|n type=character varying(10) "
                  "expr='7'::character varying collation=C pos=1");
    ck_line(text, "COLUMN |m|nn type=integer pos=2");
    ck_line(text, "COLUMN |m|d type=integer pos=3");
    ck_line(text, "COLUMN |m|co type=text pos=4");
    ck_line(text, "COLUMN |m|idn type=integer flags=0x81 pos=5");
    ck_line(text, "COLUMN |m|s type=integer pos=6");
    ck_value(conn, "SELECT n FROM m", "42");
}
END_TEST

static const char enums_sql[] =
    "CREATE TYPE mood AS ENUM ('sad', 'meh', 'ok');\n"
    "CREATE TABLE diary (id int, m mood DEFAULT 'ok',\n"
    "    ms mood[] DEFAULT '{sad}', note text);\n"
    "INSERT INTO diary VALUES (1, 'sad', '{ok,sad}');\n"
    "CREATE TABLE other.log (m mood NOT NULL);\n"
    "INSERT INTO other.log VALUES ('ok');\n";

/* An enum made, given values in place, rebuilt and dropped. */
START_TEST(test_render_enums)
{
    static const char *const both[] = { "public", "other" };
    static const char *const added[] = { "sad", "meh", "fine", "ok" },
                             *const last[] = { "sad", "meh", "fine", "ok",
                                               "great" },
                             *const rebuilt[] = { "great", "ok", "sad" },
                             *const ab[] = { "a", "b" };
    struct mgr_object feeling = object(MGR_OBJ_ENUM, "other", NULL,
                                       "feeling");
    struct mgr_object mood, mood2, mood3;
    struct mgr_change c;
    const struct mgr_change *list[1] = { &c };
    const char *text;

    run_script(conn, enums_sql);
    feeling.items = ab;
    feeling.nitems = 2;
    apply_one(change(MGR_CHANGE_CREATE_ENUM, NULL, &feeling));

    introspect_on(conn, both, 2);
    mood = mood2 = mood3 = *found(MGR_OBJ_ENUM, "", NULL, "mood");
    mood2.items = added;
    mood2.nitems = 4;
    c = change(MGR_CHANGE_ADD_ENUM_VALUE, &mood, &mood2);
    c.value_index = 2;
    free(apply_on(conn, list, 1, 1));
    mood3.items = last;
    mood3.nitems = 5;
    c = change(MGR_CHANGE_ADD_ENUM_VALUE, &mood2, &mood3);
    c.value_index = 4;
    free(apply_on(conn, list, 1, 1));
    ck_line(introspect_on(conn, both, 2),
            "ENUM ||mood items=sad,meh,fine,ok,great");

    /* values removed and moved: the type is rebuilt around its
     * columns, defaults and rows */
    mood = mood2 = *found(MGR_OBJ_ENUM, "", NULL, "mood");
    mood2.items = rebuilt;
    mood2.nitems = 3;
    c = change(MGR_CHANGE_REPLACE_ENUM, &mood, &mood2);
    c.from_schema = c.to_schema = &rec.schema;
    apply(list, 1);
    text = introspect_on(conn, both, 2);
    ck_line(text, "ENUM ||mood items=great,ok,sad");
    ck_line(text, "COLUMN |diary|m type=mood expr='ok'::mood pos=2");
    ck_line(text, "COLUMN |diary|ms type=mood[] expr='{sad}'::mood[] pos=3");
    ck_line(text, "COLUMN other|log|m type=mood flags=0x1 pos=1");
    ck_line(text, "ENUM other||feeling items=a,b");
    ck_value(conn, "SELECT m || ' ' || ms::text FROM diary", "sad {ok,sad}");
    ck_value(conn, "SELECT m FROM other.log", "ok");
    ck_value(conn, "SELECT 'great'::mood < 'sad'::mood", "t");
    ck_value(conn, "SELECT count(*) FROM pg_type WHERE typname ~ 'mgr_old'",
             "0");

    apply_one(change(MGR_CHANGE_DROP_ENUM, &feeling, NULL));
    ck_nothing_like(introspect_on(conn, both, 2), "feeling");
}
END_TEST

/* Sequences made (owned by a table that exists, or by one made later
 * in the list), altered and dropped (with their owner, or alone). */
START_TEST(test_render_sequences)
{
    static const char *const id[] = { "id" };
    struct mgr_object s1 = object(MGR_OBJ_SEQUENCE, "", NULL, "s1"),
                      s2 = object(MGR_OBJ_SEQUENCE, "", NULL, "s2");
    struct mgr_object later = object(MGR_OBJ_TABLE, "", NULL, "later");
    struct mgr_object later_id = column("later", "id", "bigint",
                                        MGR_OBJ_NOT_NULL, 1);
    struct mgr_object later_pk = object(MGR_OBJ_PRIMARY_KEY, "", "later",
                                        "later_pkey");
    const struct mgr_object *cols[] = { &later_id }, *cons[] = { &later_pk };
    struct mgr_table t = { &later, cols, 1, cons, 1, NULL, 0 };
    struct mgr_object s1b, s2_now, later_now;
    struct mgr_change c[3];
    const struct mgr_change *list[3] = { &c[0], &c[1], &c[2] };
    const char *text;

    ck_exec(conn, "CREATE TABLE owner (id int, n int)");
    s1.type = "bigint";
    s1.seq_increment = 2;
    s1.seq_min = 1;
    s1.seq_max = 1000;
    s1.seq_start = 5;
    s1.flags = MGR_OBJ_CYCLE;
    s1.owned_by = "owner.n";
    s2 = s1;
    s2.name = "s2";
    s2.flags = 0;
    s2.owned_by = "later.id";
    later_id.expr = "nextval('s2'::regclass)";
    later_pk.items = id;
    later_pk.nitems = 1;
    c[0] = change(MGR_CHANGE_CREATE_SEQUENCE, NULL, &s1);
    c[1] = change(MGR_CHANGE_CREATE_SEQUENCE, NULL, &s2);
    c[2] = change(MGR_CHANGE_CREATE_TABLE, NULL, &later);
    c[2].to_table = &t;
    apply(list, 3);
    text = introspect();
    ck_line(text, "SEQUENCE ||s1 type=bigint owned_by=owner.n flags=0x20 "
                  "seq=5,2,1,1000");
    ck_line(text, "SEQUENCE ||s2 type=bigint owned_by=later.id "
                  "seq=5,2,1,1000");

    s1b = s1;
    s1b.seq_increment = 3;
    s1b.seq_max = 2000;
    s1b.flags = 0;
    s1b.owned_by = NULL;
    apply_one(change(MGR_CHANGE_ALTER_SEQUENCE, &s1, &s1b));
    ck_line(introspect(), "SEQUENCE ||s1 type=bigint seq=5,3,1,2000");

    /* s2 goes with its table; s1 alone */
    later_now = *found(MGR_OBJ_TABLE, "", NULL, "later");
    s2_now = *found(MGR_OBJ_SEQUENCE, "", NULL, "s2");
    c[0] = change(MGR_CHANGE_DROP_TABLE, &later_now, NULL);
    c[1] = change(MGR_CHANGE_DROP_SEQUENCE, &s2_now, NULL);
    c[2] = change(MGR_CHANGE_DROP_SEQUENCE, &s1b, NULL);
    apply(list, 3);
    ck_nothing_like(introspect(), "SEQUENCE");
}
END_TEST

/* Bounds that leave the current value out: a sequence not used yet (its
 * value is still the old start) and one in use, counting up and down. */
START_TEST(test_render_sequence_bounds)
{
    struct mgr_object up, up2, down, down2;
    const char *text;

    run_script(conn, "CREATE SEQUENCE fresh;\n"
                     "CREATE SEQUENCE used;\n"
                     "SELECT nextval('used'), nextval('used');\n"
                     "CREATE SEQUENCE down INCREMENT BY -1;\n"
                     "SELECT nextval('down');\n");
    introspect();
    up = up2 = *found(MGR_OBJ_SEQUENCE, "", NULL, "fresh");
    up2.seq_min = up2.seq_start = 10;
    apply_one(change(MGR_CHANGE_ALTER_SEQUENCE, &up, &up2));
    ck_value(conn, "SELECT nextval('fresh')", "10");
    up = up2 = *found(MGR_OBJ_SEQUENCE, "", NULL, "used");
    up2.seq_min = up2.seq_start = 2;
    apply_one(change(MGR_CHANGE_ALTER_SEQUENCE, &up, &up2));
    /* past the new minimum already: left where it was */
    ck_value(conn, "SELECT nextval('used')", "3");
    down = down2 = *found(MGR_OBJ_SEQUENCE, "", NULL, "down");
    down2.seq_max = -10;
    down2.seq_start = -10;
    apply_one(change(MGR_CHANGE_ALTER_SEQUENCE, &down, &down2));
    ck_value(conn, "SELECT nextval('down')", "-10");
    text = introspect();
    ck_line(text, "SEQUENCE ||fresh type=bigint "
                  "seq=10,1,10,9223372036854775807");
    ck_line(text, "SEQUENCE ||down type=bigint "
                  "seq=-10,-1,-9223372036854775808,-10");
}
END_TEST

/* A view made, replaced with a column fewer and one renamed (which
 * CREATE OR REPLACE cannot do), and dropped; its comment kept. */
START_TEST(test_render_views)
{
    struct mgr_object v = object(MGR_OBJ_VIEW, "", NULL, "v"), v2;
    struct mgr_object ov = object(MGR_OBJ_VIEW, "other", NULL, "ov");
    const char *text;

    ck_exec(conn, "CREATE TABLE p (a int, b int)");
    ck_exec(conn, "INSERT INTO p VALUES (1, 2)");
    v.expr = "SELECT a, b FROM p;";
    v.comment = "first";
    ov.expr = " SELECT count(*) AS n FROM public.p";
    apply_one(change(MGR_CHANGE_CREATE_VIEW, NULL, &v));
    apply_one(change(MGR_CHANGE_CREATE_VIEW, NULL, &ov));
    v2 = v;
    v2.expr = "SELECT a + b AS total FROM p";
    v2.comment = "second";
    apply_one(change(MGR_CHANGE_REPLACE_VIEW, &v, &v2));
    text = introspect_on(conn, (const char *const[]){ "public", "other" }, 2);
    ck_line(text, "VIEW ||v expr= SELECT p.a + p.b AS total");
    ck_line(text, "   FROM p; comment=second");
    ck_line(text, "VIEW other||ov expr= SELECT count(*) AS n");
    ck_value(conn, "SELECT total FROM v", "3");
    apply_one(change(MGR_CHANGE_DROP_VIEW, &v2, NULL));
    ck_nothing_like(introspect(), "VIEW");
}
END_TEST

static const char comments_sql[] =
    "CREATE TABLE c (id int CONSTRAINT c_pk PRIMARY KEY, v text);\n"
    "CREATE INDEX c_v ON c (v);\n"
    "CREATE VIEW cv AS SELECT id FROM c;\n";

/* The objects of comments_sql, as just introspected, with comment. */
static void comment_changes(struct mgr_object *objs, struct mgr_change *c,
                            const struct mgr_change **list,
                            const char *comment)
{
    introspect();
    objs[0] = *found(MGR_OBJ_TABLE, "", NULL, "c");
    objs[1] = *found(MGR_OBJ_COLUMN, "", "c", "v");
    objs[2] = *found(MGR_OBJ_PRIMARY_KEY, "", "c", "c_pk");
    objs[3] = *found(MGR_OBJ_INDEX, "", "c", "c_v");
    objs[4] = *found(MGR_OBJ_VIEW, "", NULL, "cv");
    for (size_t k = 0; k < 5; k++) {
        objs[k].comment = comment;
        c[k] = change(MGR_CHANGE_SET_COMMENT, &objs[k], &objs[k]);
        list[k] = &c[k];
    }
}

/* Comments set on each kind of object, then taken off. */
START_TEST(test_render_comments)
{
    struct mgr_object objs[5];
    struct mgr_change c[5];
    const struct mgr_change *list[5];
    const char *text;

    run_script(conn, comments_sql);
    comment_changes(objs, c, list, "it's \\ odd");
    apply(list, 5);
    text = introspect();
    ck_line(text, "TABLE ||c comment=it's \\ odd");
    ck_line(text, "COLUMN |c|v type=text comment=it's \\ odd pos=2");
    ck_line(text, "PRIMARY_KEY |c|c_pk comment=it's \\ odd items=id");
    ck_line(text, "INDEX |c|c_v comment=it's \\ odd method=btree items=v");
    ck_line(text, "   FROM c; comment=it's \\ odd");

    comment_changes(objs, c, list, NULL);
    apply(list, 5);
    ck_nothing_like(introspect(), "comment=");
}
END_TEST

/* ---- scratch databases --------------------------------------------------- */

#define COUNT_SCRATCH                                                   \
    "SELECT count(*) FROM pg_database WHERE datname ~ '^migrator_scratch_'"

START_TEST(test_scratch_open_close)
{
    struct mgr_buf name = MGR_BUF_INIT, name2 = MGR_BUF_INIT;
    void *scratch, *scratch2;
    char prefix[64];

    ck_assert_msg(ops->scratch_open(state, conn, conninfo, &scratch, &name,
                                    &err) == MGR_OK,
                  "scratch_open: %s", err.msg);
    snprintf(prefix, sizeof(prefix), "migrator_scratch_%ld_", (long)getpid());
    ck_assert_msg(strncmp(name.buf, prefix, strlen(prefix)) == 0, "%s",
                  name.buf);
    ck_value(scratch, "SELECT current_database()", name.buf);
    /* empty, and usable */
    ck_assert_str_eq(introspect_on(scratch, NULL, 0), "");
    ck_exec(scratch, "CREATE TABLE t (a int)");
    ck_line(introspect_on(scratch, NULL, 0), "TABLE ||t");
    /* a second one at the same time has a name of its own */
    ck_assert_int_eq(ops->scratch_open(state, conn, conninfo, &scratch2,
                                       &name2, &err),
                     MGR_OK);
    ck_assert_str_ne(name.buf, name2.buf);
    ck_value(conn, COUNT_SCRATCH, "2");
    ck_assert_int_eq(ops->scratch_close(state, conn, scratch, name.buf, &err),
                     MGR_OK);
    ck_assert_int_eq(ops->scratch_close(state, conn, scratch2, name2.buf,
                                        &err),
                     MGR_OK);
    ck_value(conn, COUNT_SCRATCH, "0");
    mock_buf_release(&name);
    mock_buf_release(&name2);
}
END_TEST

/* A name taken (a run elsewhere with the same PID, or one killed before
 * it cleaned up): the next number. */
START_TEST(test_scratch_name_taken)
{
    struct mgr_buf name = MGR_BUF_INIT;
    char taken[96], sql[128], want[96];
    void *scratch;

    snprintf(taken, sizeof(taken), "migrator_scratch_%ld_1", (long)getpid());
    snprintf(want, sizeof(want), "migrator_scratch_%ld_2", (long)getpid());
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", taken);
    admin("postgres", sql);
    ck_assert_msg(ops->scratch_open(state, conn, conninfo, &scratch, &name,
                                    &err) == MGR_OK,
                  "scratch_open: %s", err.msg);
    ck_assert_str_eq(name.buf, want);
    ck_assert_int_eq(ops->scratch_close(state, conn, scratch, name.buf, &err),
                     MGR_OK);
    snprintf(sql, sizeof(sql), "DROP DATABASE %s", taken);
    admin("postgres", sql);
    ck_value(conn, COUNT_SCRATCH, "0");
    mock_buf_release(&name);
}
END_TEST

/* The URL's other parameters are kept; only the database changes. */
START_TEST(test_scratch_url_form)
{
    struct mgr_buf name = MGR_BUF_INIT;
    char url[700];
    void *scratch;

    snprintf(url, sizeof(url),
             "postgresql://postgres@/%s?host=%s&port=%s"
             "&application_name=scratchy",
             dbname, server_dir, server_port);
    ck_assert_msg(ops->scratch_open(state, conn, url, &scratch, &name, &err) ==
                      MGR_OK,
                  "scratch_open: %s", err.msg);
    ck_value(scratch, "SELECT current_setting('application_name')",
             "scratchy");
    ck_value(scratch, "SELECT current_database()", name.buf);
    ck_assert_int_eq(ops->scratch_close(state, conn, scratch, name.buf, &err),
                     MGR_OK);
    ck_value(conn, COUNT_SCRATCH, "0");
    mock_buf_release(&name);
}
END_TEST

/* Removed whatever state either connection is in. */
START_TEST(test_scratch_close_after_error)
{
    struct mgr_buf name = MGR_BUF_INIT;
    void *scratch;

    ck_assert_int_eq(ops->scratch_open(state, conn, conninfo, &scratch, &name,
                                       &err),
                     MGR_OK);
    ck_assert_int_eq(ops->begin(scratch, &err), MGR_OK);
    ck_assert_int_eq(q(scratch, "SELECT 1/0"), MGR_EDB);
    /* the host's connection is inside a transaction too */
    ck_assert_int_eq(ops->begin(conn, &err), MGR_OK);
    ck_exec(conn, "CREATE TABLE kept (a int)");
    ck_assert_msg(ops->scratch_close(state, conn, scratch, name.buf, &err) ==
                      MGR_OK,
                  "scratch_close: %s", err.msg);
    ck_value(conn, COUNT_SCRATCH, "0");
    ck_assert_int_eq(ops->commit(conn, &err), MGR_OK);
    ck_line(introspect(), "TABLE ||kept");
    mock_buf_release(&name);
}
END_TEST

/* A role without CREATEDB: MGR_EDB, which points at dev_url. */
START_TEST(test_scratch_role_may_not_create)
{
    struct mgr_buf name = MGR_BUF_INIT;
    void *weak, *scratch = &scratch;
    char ci[600];

    server_conninfo_for(NO_CREATEDB_ROLE, dbname, ci, sizeof(ci));
    ck_assert_int_eq(ops->connect(state, ci, &weak, &err), MGR_OK);
    ck_assert_int_eq(ops->scratch_open(state, weak, ci, &scratch, &name,
                                       &err),
                     MGR_EDB);
    ck_assert_ptr_null(scratch);
    ck_assert_msg(strstr(err.msg, "may not create databases") &&
                      strstr(err.msg, "CREATEDB") &&
                      strstr(err.msg, "dev_url"),
                  "%s", err.msg);
    ops->close(weak);
    ck_value(conn, COUNT_SCRATCH, "0");
    mock_buf_release(&name);
}
END_TEST

/* The database is made but cannot be reached: it is dropped again. */
START_TEST(test_scratch_connect_fails)
{
    struct mgr_buf name = MGR_BUF_INIT;
    void *scratch = &scratch;
    char ci[600];

    server_conninfo_for("no_such_role", dbname, ci, sizeof(ci));
    ck_assert_int_eq(ops->scratch_open(state, conn, ci, &scratch, &name,
                                       &err),
                     MGR_EDB);
    ck_assert_ptr_null(scratch);
    ck_assert_ptr_nonnull(strstr(err.msg, "no_such_role"));
    ck_value(conn, COUNT_SCRATCH, "0");
    mock_buf_release(&name);
}
END_TEST

/* Only databases scratch_open makes are ever dropped. */
START_TEST(test_scratch_close_refuses_other_names)
{
    ck_assert_int_eq(ops->scratch_close(state, conn, NULL, dbname, &err),
                     MGR_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "not a scratch database"));
    ck_value(conn, "SELECT current_database()", dbname);
    ck_assert_int_eq(ops->scratch_close(state, conn, NULL, "", &err),
                     MGR_OK);
}
END_TEST

/* ---- suite --------------------------------------------------------------- */

static Suite *dialect_postgresql_schema_suite(void)
{
    Suite *s = suite_create("dialect_postgresql_schema");
    TCase *tc = tcase_create("introspect");

    tcase_add_unchecked_fixture(tc, introspect_db, drop_database);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_introspect_every_kind);
    tcase_add_test(tc, test_introspect_second_schema);
    tcase_add_test(tc, test_introspect_other_schema_only);
    tcase_add_test(tc, test_introspect_default_schema_follows_search_path);
    tcase_add_test(tc, test_introspect_skips_extension_partition_temp);
    tcase_add_test(tc, test_introspect_autonames);
    suite_add_tcase(s, tc);

    tc = tcase_create("render");
    tcase_add_unchecked_fixture(tc, render_db, drop_database);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_render_round_trip);
    tcase_add_test(tc, test_render_foreign_key_cycle);
    tcase_add_test(tc, test_render_table_changes);
    tcase_add_test(tc, test_render_alter_column);
    tcase_add_test(tc, test_render_enums);
    tcase_add_test(tc, test_render_sequences);
    tcase_add_test(tc, test_render_sequence_bounds);
    tcase_add_test(tc, test_render_views);
    tcase_add_test(tc, test_render_comments);
    suite_add_tcase(s, tc);

    tc = tcase_create("scratch");
    tcase_add_unchecked_fixture(tc, scratch_db, drop_database);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_scratch_open_close);
    tcase_add_test(tc, test_scratch_name_taken);
    tcase_add_test(tc, test_scratch_url_form);
    tcase_add_test(tc, test_scratch_close_after_error);
    tcase_add_test(tc, test_scratch_role_may_not_create);
    tcase_add_test(tc, test_scratch_connect_fails);
    tcase_add_test(tc, test_scratch_close_refuses_other_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_unchecked_fixture(tc, limits_db, drop_database);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_limits_constant_round_trips);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    static const char *const roles[] = {
        "CREATE ROLE " NO_CREATEDB_ROLE " LOGIN",
        NULL,
    };

    return harness_main("check_dialect_postgresql_schema",
                        dialect_postgresql_schema_suite, roles);
}
