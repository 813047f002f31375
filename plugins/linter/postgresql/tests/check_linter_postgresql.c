/*
 * check_linter_postgresql.c: the PostgreSQL linter, driven through its
 * descriptor with the mock host API. Each test writes SQL; the suite
 * parses it with libpg_query and reads the JSON with the core's reader,
 * as `migrator lint` does, and hands the statements over section by
 * section. Findings are read back from the mock's lines
 * ("t.sql:LINE rule severity table=... lock=... rewrite size") and from
 * the messages and hints recorded here.
 */
#include "autoconfig.h"

#include <check.h>
#include <pg_query.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/plugin.h>

#include "json_tree.h"
#include "json_walk.h"
#include "mock_host.h"

const struct mgr_plugin *mgr_plugin_entry(void);

/* The core's error setter, which json_tree.c calls (the rest of the
 * core's error.c is not linked in). */
int mgr_error_set(struct mgr_error *e, int code, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return code;
    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return code;
}

/* ---- fixtures ----------------------------------------------------------- */

#define MAX_STMTS 64
#define MAX_FINDINGS 64

static struct mgr_host_api api;
static const struct mgr_plugin *plugin;
static const struct mgr_linter_ops *ops;
static void *state, *run;
static struct mgr_error err;
static bool ended;

/* The statements handed over: the host keeps them for the whole run. */
static struct mgr_lint_statement stmts[MAX_STMTS];
static struct json_tree *trees[MAX_STMTS];
static char *errors[MAX_STMTS];
static size_t nstmts;
static int next_line;

/* The section being written. */
static const char *revision;
static enum mgr_direction direction;
static unsigned section_flags;
static size_t section_index;

/* What the plugin reported, beyond the mock's lines. */
static char *messages[MAX_FINDINGS], *hints[MAX_FINDINGS];
static const char *rules[MAX_FINDINGS];
static size_t nfindings;

static bool rule_known(const char *id)
{
    for (size_t i = 0; ops->rules[i]; i++) {
        if (strcmp(ops->rules[i]->id, id) == 0)
            return true;
    }
    return false;
}

static int record_report(struct mgr_lint *l,
                         const struct mgr_lint_statement *st,
                         const struct mgr_finding *f, struct mgr_error *e)
{
    size_t n;

    ck_assert_msg(rule_known(f->rule), "rule %s is not declared", f->rule);
    ck_assert_uint_eq(f->size, sizeof(struct mgr_finding));
    ck_assert_ptr_nonnull(f->message);
    ck_assert_ptr_null(strchr(f->message, '\n'));
    n = strlen(f->message);
    ck_assert_msg(n > 0 && f->message[n - 1] != '.', "'%s' ends in a period",
                  f->message);
    ck_assert_uint_lt(nfindings, MAX_FINDINGS);
    rules[nfindings] = f->rule;
    messages[nfindings] = strdup(f->message);
    hints[nfindings] = strdup(f->hint ? f->hint : "");
    nfindings++;
    return mock_lint_report(l, st, f, e);
}

static void section(const char *rev, enum mgr_direction dir, unsigned flags)
{
    revision = rev;
    direction = dir;
    section_flags = flags;
    section_index = 0;
}

static void begin_run(void)
{
    ck_assert_int_eq(ops->begin(state, NULL, &run, &err), MGR_OK);
    ended = false;
    section("r1", MGR_UPGRADE, 0);
}

static void setup(void)
{
    plugin = mgr_plugin_entry();
    ck_assert_uint_eq(plugin->abi_version, MGR_ABI_VERSION);
    ck_assert_int_eq(plugin->kind, MGR_PLUGIN_LINTER);
    ck_assert_str_eq(plugin->name, "postgresql");
    ops = plugin->ops;
    ck_assert_uint_eq(ops->size, sizeof(struct mgr_linter_ops));
    memset(&err, 0, sizeof(err));
    mock_host_api_init(&api);
    api.lint_report = record_report;
    mock_host_reset();
    nstmts = 0;
    nfindings = 0;
    next_line = 1;
    ck_assert_int_eq(plugin->init(&api, NULL, &state, &err), MGR_OK);
    begin_run();
}

static void end_run(void)
{
    ck_assert_int_eq(ops->end(run, NULL, &err), MGR_OK);
    ended = true;
}

static void teardown(void)
{
    if (!ended)
        end_run();
    plugin->fini(state);
    ck_assert_int_eq(mock_live_allocations, 0);
    for (size_t i = 0; i < nstmts; i++) {
        json_tree_free(trees[i]);
        free(errors[i]);
    }
    for (size_t i = 0; i < nfindings; i++) {
        free(messages[i]);
        free(hints[i]);
    }
    mock_host_reset();
}

/* Hand over one statement of the current section; returns its line. */
static int sql(const char *text)
{
    struct mgr_lint_statement *st = &stmts[nstmts];
    PgQueryParseResult r = pg_query_parse(text);
    const struct mgr_json *root = NULL;

    ck_assert_uint_lt(nstmts, MAX_STMTS);
    memset(st, 0, sizeof(*st));
    trees[nstmts] = NULL;
    errors[nstmts] = NULL;
    if (r.error) {
        errors[nstmts] = strdup(r.error->message);
    } else {
        ck_assert_int_eq(json_tree_parse(r.parse_tree, strlen(r.parse_tree),
                                         &trees[nstmts], &root, &err),
                         MGR_OK);
    }
    pg_query_free_parse_result(r);
    st->size = sizeof(*st);
    st->revision = revision;
    st->path = "t.sql";
    st->dir = direction;
    st->flags = section_flags;
    st->index = section_index++;
    st->line = next_line;
    st->text = text;
    st->len = strlen(text);
    st->tree = root;
    st->parse_format = root ? "pg_query-15" : "";
    st->parse_error = errors[nstmts];
    st->dialect = "postgresql";
    nstmts++;
    next_line += 2;
    ck_assert_int_eq(ops->statement(run, NULL, st, &err), MGR_OK);
    return st->line;
}

/* The mock's record of the findings. */
static const char *out(void)
{
    return mock_lint_text.buf;
}

/* How many findings of rule there are. */
static int count(const char *rule)
{
    int n = 0;

    for (size_t i = 0; i < nfindings; i++)
        n += strcmp(rules[i], rule) == 0;
    return n;
}

static const char *message_of(const char *rule)
{
    for (size_t i = 0; i < nfindings; i++) {
        if (strcmp(rules[i], rule) == 0)
            return messages[i];
    }
    ck_abort_msg("no %s finding in:\n%s", rule, out());
    return NULL;
}

/* The hint of the nth (from 0) finding of rule. */
static const char *hint_nth(const char *rule, int nth)
{
    for (size_t i = 0; i < nfindings; i++) {
        if (strcmp(rules[i], rule) == 0 && nth-- == 0)
            return hints[i];
    }
    ck_abort_msg("no such %s finding in:\n%s", rule, out());
    return NULL;
}

static const char *hint_of(const char *rule)
{
    return hint_nth(rule, 0);
}

/* The mock's line has text (a whole "t.sql:3 rule severity ..." or a
 * part of one). */
#define ck_has(text)                                                     \
    ck_assert_msg(strstr(out(), (text)) != NULL, "no '%s' in:\n%s",      \
                  (text), out())
#define ck_hasnt(text)                                                   \
    ck_assert_msg(strstr(out(), (text)) == NULL, "'%s' in:\n%s", (text), \
                  out())
#define ck_contains(hay, needle)                                         \
    ck_assert_msg(strstr((hay), (needle)) != NULL, "no '%s' in:\n%s",    \
                  (needle), (hay))

/* ---- ADD COLUMN ---------------------------------------------------------- */

START_TEST(test_required_field)
{
    sql("SET LOCAL lock_timeout = '1s'");
    sql("ALTER TABLE units ADD COLUMN rent numeric NOT NULL");
    sql("ALTER TABLE units ADD COLUMN fee numeric NOT NULL DEFAULT 0");
    sql("CREATE TABLE leases (id bigint PRIMARY KEY)");
    sql("ALTER TABLE leases ADD COLUMN rent numeric NOT NULL");
    sql("ALTER TABLE units ADD COLUMN note text");
    sql("ALTER TABLE units ADD COLUMN code text PRIMARY KEY");
    ck_has("t.sql:3 adding-required-field error table=units "
           "lock=ACCESS EXCLUSIVE\n");
    ck_has("t.sql:13 adding-required-field error");
    ck_assert_int_eq(count("adding-required-field"), 2);
    ck_assert_str_eq(message_of("adding-required-field"),
                     "ADD COLUMN rent NOT NULL without a DEFAULT fails "
                     "when units has rows");
    ck_assert_str_eq(
        hint_of("adding-required-field"),
        "add it nullable (with a constant DEFAULT for new rows if it has "
        "one), backfill it in batches, then constrain it:\n"
        "ALTER TABLE units ADD COLUMN rent numeric;\n"
        "-- backfill it in batches, then:\n"
        "ALTER TABLE units ADD CONSTRAINT units_rent_not_null CHECK (rent "
        "IS NOT NULL) NOT VALID;\n"
        "-- in a later transaction:\n"
        "ALTER TABLE units VALIDATE CONSTRAINT units_rent_not_null;\n"
        "ALTER TABLE units ALTER COLUMN rent SET NOT NULL;\n"
        "ALTER TABLE units DROP CONSTRAINT units_rent_not_null;");
}
END_TEST

START_TEST(test_field_with_default)
{
    sql("SET LOCAL lock_timeout = '1s'");
    sql("ALTER TABLE t ADD COLUMN a uuid DEFAULT gen_random_uuid()");
    sql("ALTER TABLE t ADD COLUMN b timestamptz DEFAULT now()");
    sql("ALTER TABLE t ADD COLUMN c bigint GENERATED ALWAYS AS (x * 2) "
        "STORED");
    sql("ALTER TABLE t ADD COLUMN d text DEFAULT my_func()");
    sql("ALTER TABLE t ADD COLUMN e bigint GENERATED BY DEFAULT AS "
        "IDENTITY");
    sql("ALTER TABLE t ADD COLUMN f text DEFAULT 'x' || 'y'");
    sql("CREATE TABLE n (id bigint)");
    sql("ALTER TABLE n ADD COLUMN a uuid DEFAULT gen_random_uuid()");
    ck_has("t.sql:3 adding-field-with-default error table=t "
           "lock=ACCESS EXCLUSIVE rewrite size\n");
    ck_has("t.sql:7 adding-field-with-default error");
    ck_has("t.sql:9 adding-field-with-default warning");
    ck_has("t.sql:11 adding-field-with-default error");
    ck_hasnt("t.sql:5 ");
    ck_hasnt("t.sql:13 ");
    ck_assert_int_eq(count("adding-field-with-default"), 4);
    ck_assert_str_eq(message_of("adding-field-with-default"),
                     "ADD COLUMN a with DEFAULT gen_random_uuid(), which "
                     "is volatile, rewrites t under ACCESS EXCLUSIVE");
    ck_assert_str_eq(hint_of("adding-field-with-default"),
                     "add the column without the default, set the default "
                     "for new rows, then backfill the old rows in "
                     "batches:\n"
                     "ALTER TABLE t ADD COLUMN a uuid;\n"
                     "ALTER TABLE t ALTER COLUMN a SET DEFAULT "
                     "gen_random_uuid();");
}
END_TEST

START_TEST(test_serial_primary_key)
{
    sql("ALTER TABLE t ADD COLUMN id bigserial PRIMARY KEY");
    sql("ALTER TABLE t ADD COLUMN n serial");
    ck_has("t.sql:1 adding-serial-primary-key-field error table=t "
           "lock=ACCESS EXCLUSIVE rewrite size\n");
    /* The key says it all: no second finding about the same column. */
    ck_assert_int_eq(count("disallowed-unique-constraint"), 0);
    ck_assert_int_eq(count("adding-field-with-default"), 1);
    ck_has("t.sql:3 adding-field-with-default error");
    ck_contains(hint_of("adding-serial-primary-key-field"),
                "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING "
                "INDEX t_pkey;");
}
END_TEST

START_TEST(test_inline_constraints)
{
    sql("ALTER TABLE t ADD COLUMN a bigint REFERENCES u (id)");
    sql("ALTER TABLE t ADD COLUMN b bigint CHECK (b > 0)");
    sql("ALTER TABLE t ADD COLUMN c text UNIQUE");
    ck_has("t.sql:1 adding-foreign-key-constraint error table=t "
           "lock=SHARE ROW EXCLUSIVE size\n");
    ck_has("t.sql:3 constraint-missing-not-valid error table=t");
    ck_has("t.sql:5 disallowed-unique-constraint error table=t");
    ck_assert_str_eq(hint_of("adding-foreign-key-constraint"),
                     "add it NOT VALID (a short lock, no scan), then "
                     "validate it in a later transaction, which lets reads "
                     "and writes go on:\n"
                     "ALTER TABLE t ADD COLUMN a bigint;\n"
                     "ALTER TABLE t ADD CONSTRAINT t_a_fkey FOREIGN KEY "
                     "(a) REFERENCES u (id) NOT VALID;\n"
                     "ALTER TABLE t VALIDATE CONSTRAINT t_a_fkey;");
}
END_TEST

/* ---- ALTER COLUMN -------------------------------------------------------- */

START_TEST(test_changing_column_type)
{
    sql("ALTER TABLE t ALTER COLUMN a TYPE bigint");
    sql("ALTER TABLE t ADD COLUMN v varchar(10)");
    sql("ALTER TABLE t ALTER COLUMN v TYPE varchar(20)");
    sql("ALTER TABLE t ALTER COLUMN v TYPE text");
    sql("ALTER TABLE t ALTER COLUMN w TYPE text");
    sql("ALTER TABLE t ALTER COLUMN v TYPE varchar(5)");
    sql("CREATE TABLE n (a integer)");
    sql("ALTER TABLE n ALTER COLUMN a TYPE bigint");
    ck_has("t.sql:1 changing-column-type error table=t "
           "lock=ACCESS EXCLUSIVE rewrite size\n");
    ck_assert_str_eq(message_of("changing-column-type"),
                     "ALTER COLUMN a TYPE bigint rewrites t under ACCESS "
                     "EXCLUSIVE");
    ck_hasnt("t.sql:5 changing");
    ck_hasnt("t.sql:7 changing");
    ck_has("t.sql:9 changing-column-type warning table=t "
           "lock=ACCESS EXCLUSIVE size\n");
    ck_has("t.sql:11 changing-column-type error");
    ck_assert_int_eq(count("changing-column-type"), 3);
}
END_TEST

START_TEST(test_not_nullable_field)
{
    sql("ALTER TABLE t ALTER COLUMN a SET NOT NULL");
    sql("ALTER TABLE t ADD CONSTRAINT t_b_nn CHECK (b IS NOT NULL) "
        "NOT VALID");
    sql("ALTER TABLE t ALTER COLUMN b SET NOT NULL");
    section("r2", MGR_UPGRADE, 0);
    sql("ALTER TABLE t VALIDATE CONSTRAINT t_b_nn");
    sql("ALTER TABLE t ALTER COLUMN b SET NOT NULL");
    sql("CREATE TABLE n (a text)");
    sql("ALTER TABLE n ALTER COLUMN a SET NOT NULL");
    ck_has("t.sql:1 adding-not-nullable-field error table=t "
           "lock=ACCESS EXCLUSIVE size\n");
    ck_has("t.sql:5 adding-not-nullable-field error");
    ck_assert_int_eq(count("adding-not-nullable-field"), 2);
    ck_assert_int_eq(count("constraint-missing-not-valid"), 0);
}
END_TEST

START_TEST(test_drop_not_null)
{
    sql("ALTER TABLE t ALTER COLUMN a DROP NOT NULL");
    sql("CREATE TABLE n (a text NOT NULL)");
    sql("ALTER TABLE n ALTER COLUMN a DROP NOT NULL");
    ck_has("t.sql:1 ban-drop-not-null warning table=t\n");
    ck_assert_int_eq(count("ban-drop-not-null"), 1);
}
END_TEST

/* ---- constraints --------------------------------------------------------- */

START_TEST(test_check_not_valid)
{
    sql("ALTER TABLE t ADD CONSTRAINT c1 CHECK (a > 0)");
    sql("ALTER TABLE t ADD CONSTRAINT c2 CHECK (a > 0) NOT VALID");
    sql("ALTER TABLE t VALIDATE CONSTRAINT c2");
    section("r2", MGR_UPGRADE, 0);
    sql("ALTER TABLE t ADD CONSTRAINT c3 CHECK (a > 0) NOT VALID");
    section("r3", MGR_UPGRADE, 0);
    sql("ALTER TABLE t VALIDATE CONSTRAINT c3");
    section("r4", MGR_UPGRADE, MGR_LINT_NO_TRANSACTION);
    sql("ALTER TABLE t ADD CONSTRAINT c4 CHECK (a > 0) NOT VALID");
    sql("ALTER TABLE t VALIDATE CONSTRAINT c4");
    sql("CREATE TABLE n (a int)");
    sql("ALTER TABLE n ADD CONSTRAINT c5 CHECK (a > 0)");
    ck_has("t.sql:1 constraint-missing-not-valid error table=t "
           "lock=ACCESS EXCLUSIVE size\n");
    ck_has("t.sql:5 constraint-missing-not-valid warning table=t "
           "lock=ACCESS EXCLUSIVE size\n");
    ck_assert_int_eq(count("constraint-missing-not-valid"), 2);
    ck_assert_str_eq(hint_of("constraint-missing-not-valid"),
                     "add it NOT VALID (a short lock, no scan), then "
                     "validate it in a later transaction, which lets reads "
                     "and writes go on:\n"
                     "ALTER TABLE t ADD CONSTRAINT c1 CHECK (a > 0) NOT "
                     "VALID;\n"
                     "ALTER TABLE t VALIDATE CONSTRAINT c1;");
}
END_TEST

START_TEST(test_foreign_key)
{
    sql("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (u_id) REFERENCES "
        "s.u (id) ON DELETE CASCADE");
    sql("ALTER TABLE t ADD CONSTRAINT fk2 FOREIGN KEY (u_id) REFERENCES "
        "s.u (id) NOT VALID");
    sql("ALTER TABLE t ADD FOREIGN KEY (a, b) REFERENCES v");
    ck_has("t.sql:1 adding-foreign-key-constraint error table=t "
           "lock=SHARE ROW EXCLUSIVE size\n");
    ck_has("t.sql:5 adding-foreign-key-constraint");
    ck_assert_int_eq(count("adding-foreign-key-constraint"), 2);
    ck_assert_str_eq(message_of("adding-foreign-key-constraint"),
                     "ADD FOREIGN KEY without NOT VALID scans t under SHARE "
                     "ROW EXCLUSIVE on t and s.u");
    ck_contains(hint_of("adding-foreign-key-constraint"),
                "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (u_id) "
                "REFERENCES s.u (id) ON DELETE CASCADE NOT VALID;\n");
    ck_contains(hint_nth("adding-foreign-key-constraint", 1),
                "VALIDATE CONSTRAINT t_a_b_fkey;");
}
END_TEST

START_TEST(test_unique_constraint)
{
    sql("ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)");
    sql("ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE USING INDEX t_a_idx");
    sql("ALTER TABLE t ADD PRIMARY KEY (id)");
    sql("CREATE TABLE n (a int)");
    sql("ALTER TABLE n ADD UNIQUE (a)");
    ck_has("t.sql:1 disallowed-unique-constraint error table=t "
           "lock=ACCESS EXCLUSIVE size\n");
    ck_has("t.sql:5 disallowed-unique-constraint error");
    ck_assert_int_eq(count("disallowed-unique-constraint"), 2);
    ck_assert_str_eq(hint_of("disallowed-unique-constraint"),
                     "build the index without blocking writes (in a "
                     "transaction=false section), then attach it:\n"
                     "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "
                     "t_a_key ON t (a);\n"
                     "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE USING "
                     "INDEX t_a_key;");
    ck_contains(hint_nth("disallowed-unique-constraint", 1),
                "PRIMARY KEY USING INDEX t_pkey;");
}
END_TEST

/* ---- indexes ------------------------------------------------------------- */

START_TEST(test_index_creation)
{
    sql("CREATE INDEX ON t (a, lower(b)) WHERE c IS NULL");
    sql("CREATE TABLE n (a int)");
    sql("CREATE INDEX n_a ON n (a)");
    section("r1", MGR_UPGRADE, MGR_LINT_NO_TRANSACTION);
    sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS t_b ON t (b)");
    ck_has("t.sql:1 require-concurrent-index-creation error table=t "
           "lock=SHARE size\n");
    ck_assert_int_eq(count("require-concurrent-index-creation"), 1);
    ck_assert_int_eq(count("ban-concurrent-index-creation-in-transaction"),
                     0);
    ck_assert_str_eq(hint_of("require-concurrent-index-creation"),
                     "build it without blocking writes, in a section that "
                     "runs outside a transaction (-- migrate:upgrade "
                     "transaction=false):\n"
                     "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a_lower_idx "
                     "ON t (a, lower(b)) WHERE c IS NULL;");
}
END_TEST

START_TEST(test_index_deletion)
{
    sql("DROP INDEX old_idx");
    sql("CREATE TABLE n (a int)");
    sql("CREATE INDEX n_a ON n (a)");
    sql("DROP INDEX n_a");
    sql("CREATE INDEX ON n (a)");
    sql("DROP INDEX IF EXISTS n_a_idx");
    section("r2", MGR_UPGRADE, MGR_LINT_NO_TRANSACTION);
    sql("DROP INDEX CONCURRENTLY IF EXISTS s.other_idx");
    ck_has("t.sql:1 require-concurrent-index-deletion error "
           "lock=ACCESS EXCLUSIVE\n");
    ck_assert_int_eq(count("require-concurrent-index-deletion"), 1);
    ck_assert_int_eq(count("ban-concurrent-index-creation-in-transaction"),
                     0);
}
END_TEST

START_TEST(test_concurrent_in_transaction)
{
    sql("CREATE INDEX CONCURRENTLY t_a ON t (a)");
    sql("DROP INDEX CONCURRENTLY t_b");
    sql("REINDEX INDEX CONCURRENTLY t_c");
    ck_has("t.sql:1 ban-concurrent-index-creation-in-transaction error "
           "table=t\n");
    ck_has("t.sql:3 ban-concurrent-index-creation-in-transaction error\n");
    ck_has("t.sql:5 ban-concurrent-index-creation-in-transaction error\n");
    ck_assert_int_eq(count("require-concurrent-index-creation"), 0);
    ck_contains(hint_of("ban-concurrent-index-creation-in-transaction"),
                "-- migrate:upgrade transaction=false\n"
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);");
}
END_TEST

START_TEST(test_reindex_and_unique_index)
{
    sql("REINDEX TABLE t");
    sql("CREATE TABLE n (a int)");
    sql("REINDEX TABLE n");
    section("r1", MGR_UPGRADE, MGR_LINT_NO_TRANSACTION);
    sql("REINDEX TABLE CONCURRENTLY t");
    sql("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a)");
    sql("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS n_a ON n (a)");
    ck_has("t.sql:1 require-concurrent-reindex error table=t lock=SHARE "
           "rewrite size\n");
    ck_assert_int_eq(count("require-concurrent-reindex"), 1);
    ck_has("t.sql:9 unique-index-on-existing-table warning table=t\n");
    ck_assert_int_eq(count("unique-index-on-existing-table"), 1);
    ck_assert_str_eq(hint_of("unique-index-on-existing-table"),
                     "look for duplicates first; a failed CREATE INDEX "
                     "CONCURRENTLY leaves an invalid index to drop before "
                     "a retry:\n"
                     "SELECT a, count(*) FROM t GROUP BY a HAVING "
                     "count(*) > 1;");
}
END_TEST

/* ---- rewrites and renames ------------------------------------------------ */

START_TEST(test_rewrites)
{
    sql("ALTER TABLE t SET TABLESPACE fast");
    sql("ALTER TABLE t SET LOGGED");
    sql("CLUSTER t USING t_pkey");
    sql("VACUUM FULL t");
    sql("VACUUM (ANALYZE) t");
    sql("CREATE TABLE n (a int)");
    sql("ALTER TABLE n SET UNLOGGED");
    sql("VACUUM FULL n");
    ck_has("t.sql:1 table-rewrite error table=t lock=ACCESS EXCLUSIVE "
           "rewrite size\n");
    ck_has("t.sql:3 table-rewrite error");
    ck_has("t.sql:5 ban-cluster error table=t");
    ck_has("t.sql:7 ban-vacuum-full error table=t");
    ck_assert_int_eq(count("table-rewrite"), 2);
    ck_assert_int_eq(count("ban-vacuum-full"), 1);
    ck_assert_str_eq(message_of("table-rewrite"),
                     "SET TABLESPACE rewrites t under ACCESS EXCLUSIVE");
}
END_TEST

START_TEST(test_renames)
{
    sql("ALTER TABLE t RENAME COLUMN a TO b");
    sql("ALTER TABLE s.t RENAME TO u");
    sql("ALTER TABLE t ADD COLUMN c text");
    sql("ALTER TABLE t RENAME COLUMN c TO d");
    sql("CREATE TABLE n (a int)");
    sql("ALTER TABLE n RENAME TO m");
    sql("ALTER TABLE m RENAME COLUMN a TO b");
    ck_has("t.sql:1 renaming-column warning table=t "
           "lock=ACCESS EXCLUSIVE\n");
    ck_has("t.sql:3 renaming-table warning table=s.t");
    ck_assert_int_eq(count("renaming-column"), 1);
    ck_assert_int_eq(count("renaming-table"), 1);
    ck_assert_str_eq(hint_of("renaming-table"),
                     "leave a view under the old name until the code has "
                     "moved, in the same transaction:\n"
                     "ALTER TABLE s.t RENAME TO u;\n"
                     "CREATE VIEW s.t AS SELECT * FROM s.u;");
}
END_TEST

/* ---- enum values --------------------------------------------------------- */

START_TEST(test_enum_value)
{
    sql("ALTER TYPE mood ADD VALUE 'happy'");
    sql("UPDATE t SET m = 'sad'");
    sql("UPDATE t SET m = 'happy'::mood WHERE id = 1");
    section("r2", MGR_UPGRADE, 0);
    sql("UPDATE t SET m = 'happy'");
    section("r3", MGR_UPGRADE, MGR_LINT_NO_TRANSACTION);
    sql("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'glad'");
    sql("UPDATE t SET m = 'glad'");
    ck_has("t.sql:5 enum-value-used-in-same-transaction error\n");
    ck_assert_int_eq(count("enum-value-used-in-same-transaction"), 1);
    ck_contains(message_of("enum-value-used-in-same-transaction"),
                "'happy'");
}
END_TEST

/* ---- lock_timeout -------------------------------------------------------- */

START_TEST(test_lock_timeout)
{
    sql("ALTER TABLE t ADD COLUMN a text");
    sql("ALTER TABLE t ADD COLUMN b text");
    section("r2", MGR_UPGRADE, 0);
    sql("SET LOCAL lock_timeout = '2s'");
    sql("ALTER TABLE t ADD COLUMN c text");
    section("r3", MGR_UPGRADE, MGR_LINT_NO_TRANSACTION);
    sql("SET LOCAL lock_timeout = '2s'");
    sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS t_c ON t (c)");
    sql("ALTER TABLE t ADD COLUMN d text");
    section("r4", MGR_UPGRADE, 0);
    sql("SET lock_timeout = 0");
    sql("CREATE TABLE n (id bigint, t_id bigint REFERENCES t)");
    section("r5", MGR_UPGRADE, 0);
    sql("SELECT set_config('lock_timeout', '2s', true)");
    sql("TRUNCATE t");
    ck_has("t.sql:1 require-lock-timeout warning table=t "
           "lock=ACCESS EXCLUSIVE\n");
    ck_has("t.sql:13 require-lock-timeout warning table=t");
    ck_has("t.sql:17 require-lock-timeout warning table=t "
           "lock=SHARE ROW EXCLUSIVE\n");
    ck_assert_int_eq(count("require-lock-timeout"), 3);
    ck_assert_str_eq(hint_of("require-lock-timeout"),
                     "set a lock_timeout at the top of the section, and "
                     "retry the migration when it times out:\n"
                     "SET LOCAL lock_timeout = '2s';");
}
END_TEST

/* ---- types --------------------------------------------------------------- */

START_TEST(test_type_preferences)
{
    sql("CREATE TABLE t (id serial PRIMARY KEY, a integer, b smallint, "
        "c json, d timestamp, e time, f char(3), g varchar(10), "
        "h bigint, i jsonb, j timestamptz, k text, l varchar, "
        "m bigserial, n bpchar)");
    ck_has("t.sql:1 prefer-bigint-over-int notice\n");
    ck_assert_int_eq(count("prefer-bigint-over-int"), 3);
    ck_assert_int_eq(count("prefer-identity"), 2);
    ck_assert_int_eq(count("prefer-jsonb"), 1);
    ck_assert_int_eq(count("prefer-timestamptz"), 2);
    ck_assert_int_eq(count("ban-char-field"), 2);
    ck_assert_int_eq(count("prefer-text-field"), 1);
    ck_assert_str_eq(message_of("prefer-text-field"),
                     "column t.g is varchar(10): prefer text");
    ck_assert_str_eq(message_of("prefer-bigint-over-int"),
                     "column t.id is serial: prefer bigint");
    ck_assert_int_eq((int)nfindings, 11);
}
END_TEST

START_TEST(test_types_elsewhere)
{
    sql("ALTER TABLE \"Big T\" ADD COLUMN \"Doc\" json");
    sql("ALTER TABLE t ALTER COLUMN a TYPE varchar(20)");
    ck_has("t.sql:1 prefer-jsonb notice\n");
    ck_assert_str_eq(message_of("prefer-jsonb"),
                     "column \"Big T\".\"Doc\" is json: prefer jsonb");
    ck_has("t.sql:3 prefer-text-field notice\n");
}
END_TEST

/* ---- other statements ---------------------------------------------------- */

START_TEST(test_bans)
{
    sql("DROP DATABASE prod");
    sql("TRUNCATE t CASCADE");
    sql("TRUNCATE t");
    sql("ALTER DOMAIN pos ADD CONSTRAINT p CHECK (VALUE > 0)");
    sql("ALTER DOMAIN pos DROP CONSTRAINT p");
    sql("CREATE DOMAIN pos2 AS int CHECK (VALUE > 0)");
    sql("CREATE DOMAIN pos3 AS int DEFAULT 0");
    ck_has("t.sql:1 ban-drop-database error\n");
    ck_has("t.sql:3 ban-truncate-cascade error table=t\n");
    ck_assert_int_eq(count("ban-truncate-cascade"), 1);
    ck_has("t.sql:7 ban-alter-domain-with-add-constraint error\n");
    ck_assert_int_eq(count("ban-alter-domain-with-add-constraint"), 1);
    ck_has("t.sql:11 ban-create-domain-with-constraint warning\n");
    ck_assert_int_eq(count("ban-create-domain-with-constraint"), 1);
}
END_TEST

START_TEST(test_transaction_nesting)
{
    sql("BEGIN");
    sql("SAVEPOINT a");
    sql("COMMIT");
    sql("START TRANSACTION");
    ck_has("t.sql:1 transaction-nesting error\n");
    ck_has("t.sql:5 transaction-nesting error\n");
    ck_has("t.sql:7 transaction-nesting error\n");
    ck_assert_int_eq(count("transaction-nesting"), 3);
}
END_TEST

START_TEST(test_parse_error_and_quoting)
{
    sql("ALTER TABLE t ADD COLUMN x text DEFALT ''");
    sql("ALTER TABLE \"user\" ALTER COLUMN a SET NOT NULL");
    sql("ALTER TABLE \"Sales\".\"Orders\" ALTER COLUMN a SET NOT NULL");
    sql("ALTER TABLE public.orders ALTER COLUMN a SET NOT NULL");
    ck_hasnt("t.sql:1 ");
    ck_has("t.sql:3 adding-not-nullable-field error table=\"user\" ");
    ck_has("t.sql:5 adding-not-nullable-field error "
           "table=\"Sales\".\"Orders\" ");
    ck_has("t.sql:7 adding-not-nullable-field error table=public.orders ");
}
END_TEST

/* ---- end of run ---------------------------------------------------------- */

START_TEST(test_fk_without_index)
{
    sql("CREATE TABLE a (id bigint PRIMARY KEY)");
    sql("CREATE TABLE b (id bigint PRIMARY KEY, a_id bigint REFERENCES a)");
    sql("CREATE TABLE c (a_id bigint REFERENCES a, x int, "
        "PRIMARY KEY (a_id, x))");
    sql("CREATE TABLE d (id bigint, a_id bigint, "
        "CONSTRAINT d_a FOREIGN KEY (a_id) REFERENCES a (id))");
    sql("CREATE INDEX d_a_idx ON d (a_id, id)");
    sql("ALTER TABLE old ADD COLUMN a_id bigint");
    sql("ALTER TABLE old ADD CONSTRAINT old_a FOREIGN KEY (a_id) "
        "REFERENCES a NOT VALID");
    sql("ALTER TABLE old ADD CONSTRAINT old_z FOREIGN KEY (z_id) "
        "REFERENCES a NOT VALID");
    end_run();
    ck_has("t.sql:3 foreign-key-without-index warning\n");
    ck_has("t.sql:13 foreign-key-without-index warning table=old\n");
    ck_assert_int_eq(count("foreign-key-without-index"), 2);
    ck_assert_str_eq(message_of("foreign-key-without-index"),
                     "foreign key b (a_id) to a has no index on its "
                     "columns: deletes and updates on a scan b");
    ck_assert_str_eq(hint_of("foreign-key-without-index"),
                     "index its columns:\n"
                     "CREATE INDEX b_a_id_idx ON b (a_id);");
}
END_TEST

START_TEST(test_fk_cycles)
{
    sql("CREATE TABLE a (id bigint PRIMARY KEY, b_id bigint, "
        "parent bigint REFERENCES a)");
    sql("CREATE TABLE b (id bigint PRIMARY KEY, c_id bigint)");
    sql("CREATE TABLE c (id bigint PRIMARY KEY, "
        "a_id bigint REFERENCES a (id))");
    sql("ALTER TABLE b ADD FOREIGN KEY (c_id) REFERENCES c");
    sql("ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b");
    sql("ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES old");
    end_run();
    ck_has("t.sql:9 circular-foreign-key warning\n");
    ck_assert_int_eq(count("circular-foreign-key"), 1);
    ck_assert_str_eq(message_of("circular-foreign-key"),
                     "foreign keys form a cycle: a -> b -> c -> a");
}
END_TEST

START_TEST(test_two_table_cycle)
{
    sql("CREATE TABLE a (id bigint PRIMARY KEY, b_id bigint)");
    sql("CREATE TABLE b (id bigint PRIMARY KEY, "
        "a_id bigint REFERENCES a)");
    sql("ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) "
        "REFERENCES b");
    end_run();
    ck_has("t.sql:5 circular-foreign-key warning\n");
    ck_assert_str_eq(message_of("circular-foreign-key"),
                     "foreign keys form a cycle: a -> b -> a");
}
END_TEST

/* ---- the catalogue ------------------------------------------------------- */

START_TEST(test_catalogue)
{
    size_t n = 0;

    ck_assert_ptr_nonnull(ops->dialects);
    ck_assert_str_eq(ops->dialects[0], "postgresql");
    ck_assert_ptr_null(ops->dialects[1]);
    for (; ops->rules[n]; n++) {
        const struct mgr_lint_rule *r = ops->rules[n];

        for (const char *p = r->id; *p; p++)
            ck_assert_msg((*p >= 'a' && *p <= 'z') || *p == '-',
                          "rule id '%s' is not kebab-case", r->id);
        ck_assert_ptr_null(strchr(r->summary, '\n'));
        ck_assert(r->severity >= MGR_SEVERITY_NOTICE &&
                  r->severity <= MGR_SEVERITY_ERROR);
        for (size_t j = 0; j < n; j++)
            ck_assert_str_ne(ops->rules[j]->id, r->id);
    }
    ck_assert_uint_eq(n, 34);
    ck_assert_ptr_nonnull(ops->table_size_sql);
    ck_assert_ptr_nonnull(strstr(ops->table_size_sql, "to_regclass($1)"));
    ck_assert_ptr_nonnull(ops->trace_relations_sql);
    ck_assert_ptr_nonnull(ops->trace_locks_sql);
    ck_assert_ptr_nonnull(ops->trace_constraints_sql);
    ck_assert_ptr_nonnull(ops->trace_session_sql);
    ck_assert_ptr_nonnull(strstr(ops->trace_locks_sql, "$1"));
    ck_assert_ptr_nonnull(ops->trace_hold_sql);
}
END_TEST

START_TEST(test_without_tree)
{
    struct mgr_lint_statement st;

    memset(&st, 0, sizeof(st));
    st.size = sizeof(st);
    st.revision = "r1";
    st.path = "t.sql";
    st.dir = MGR_UPGRADE;
    st.line = 1;
    st.text = "ALTER TABLE t ADD COLUMN a int NOT NULL";
    st.len = strlen(st.text);
    st.parse_format = "";
    st.dialect = "postgresql";
    ck_assert_int_eq(ops->statement(run, NULL, &st, &err), MGR_OK);
    ck_assert_str_eq(out(), "");
}
END_TEST

/* ---- json_walk (plugins/common) ----------------------------------------- */

static struct json_tree *jw_tree;

static const struct mgr_json *json(const char *text)
{
    const struct mgr_json *root = NULL;

    json_tree_free(jw_tree);
    ck_assert_int_eq(json_tree_parse(text, strlen(text), &jw_tree, &root,
                                     &err),
                     MGR_OK);
    return root;
}

static int count_strings(const struct mgr_json *v, void *ctx)
{
    int *n = ctx;

    *n += v->type == MGR_JSON_STRING;
    return *n == 3 ? 7 : 0;
}

START_TEST(test_json_walk)
{
    const struct mgr_json *v = json(
        "{\"RangeVar\":{\"schemaname\":\"s\",\"relname\":\"t\","
        "\"inh\":true,\"n\":2.5,\"l\":[{\"String\":{\"sval\":\"a\"}},"
        "{\"String\":{\"sval\":\"b\"}}]}}");
    const struct mgr_json *body;
    const char *schema, *parts[1];
    int n = 0;

    ck_assert_str_eq(jw_node(v, &body), "RangeVar");
    ck_assert_ptr_eq(jw_node_body(v, "RangeVar"), body);
    ck_assert_ptr_null(jw_node_body(v, "String"));
    ck_assert_str_eq(jw_rangevar(v, &schema), "t");
    ck_assert_str_eq(schema, "s");
    ck_assert_str_eq(jw_rangevar(body, &schema), "t");
    ck_assert(jw_get_bool(body, "inh"));
    ck_assert(!jw_get_bool(body, "relname"));
    ck_assert(jw_get_is(body, "relname", "t"));
    ck_assert(jw_get_num(body, "n", 0) == 2.5);
    ck_assert(jw_get_num(body, "relname", -1) == -1);
    ck_assert_uint_eq(jw_len(jw_get(body, "l")), 2);
    ck_assert_ptr_null(jw_at(jw_get(body, "l"), 2));
    ck_assert_str_eq(jw_string_node(jw_at(jw_get(body, "l"), 1)), "b");
    /* A list longer than the room: the count, and the first parts. */
    ck_assert_uint_eq(jw_name_list(jw_get(body, "l"), parts, 1), 2);
    ck_assert_str_eq(parts[0], "a");
    ck_assert_str_eq(jw_name_last(jw_get(body, "l")), "b");
    /* Wrong types and NULL answer nothing. */
    ck_assert_ptr_null(jw_get(NULL, "x"));
    ck_assert_ptr_null(jw_get(jw_get(body, "l"), "x"));
    ck_assert_ptr_null(jw_get_str(body, "inh"));
    ck_assert_ptr_null(jw_node(jw_get(body, "l"), NULL));
    ck_assert_uint_eq(jw_name_list(body, parts, 1), 0);
    ck_assert_ptr_null(jw_name_last(jw_get(body, "relname")));
    ck_assert_uint_eq(jw_len(jw_get(body, "inh")), 0);
    ck_assert_ptr_null(jw_rangevar(NULL, &schema));
    /* The walk stops with the visitor's value. */
    ck_assert_int_eq(jw_walk(v, count_strings, &n), 7);
    ck_assert_int_eq(n, 3);
    n = -10;
    ck_assert_int_eq(jw_walk(v, count_strings, &n), 0);
    ck_assert_int_eq(n, -6);
    json_tree_free(jw_tree);
    jw_tree = NULL;
}
END_TEST

static Suite *linter_postgresql_suite(void)
{
    Suite *s = suite_create("linter_postgresql");
    TCase *tc = tcase_create("columns");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_required_field);
    tcase_add_test(tc, test_field_with_default);
    tcase_add_test(tc, test_serial_primary_key);
    tcase_add_test(tc, test_inline_constraints);
    tcase_add_test(tc, test_changing_column_type);
    tcase_add_test(tc, test_not_nullable_field);
    tcase_add_test(tc, test_drop_not_null);
    tcase_add_test(tc, test_type_preferences);
    tcase_add_test(tc, test_types_elsewhere);
    suite_add_tcase(s, tc);

    tc = tcase_create("constraints");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_check_not_valid);
    tcase_add_test(tc, test_foreign_key);
    tcase_add_test(tc, test_unique_constraint);
    suite_add_tcase(s, tc);

    tc = tcase_create("indexes");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_index_creation);
    tcase_add_test(tc, test_index_deletion);
    tcase_add_test(tc, test_concurrent_in_transaction);
    tcase_add_test(tc, test_reindex_and_unique_index);
    suite_add_tcase(s, tc);

    tc = tcase_create("statements");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_rewrites);
    tcase_add_test(tc, test_renames);
    tcase_add_test(tc, test_enum_value);
    tcase_add_test(tc, test_lock_timeout);
    tcase_add_test(tc, test_bans);
    tcase_add_test(tc, test_transaction_nesting);
    tcase_add_test(tc, test_parse_error_and_quoting);
    suite_add_tcase(s, tc);

    tc = tcase_create("graph");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_fk_without_index);
    tcase_add_test(tc, test_fk_cycles);
    tcase_add_test(tc, test_two_table_cycle);
    suite_add_tcase(s, tc);

    tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_catalogue);
    tcase_add_test(tc, test_without_tree);
    tcase_add_test(tc, test_json_walk);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(linter_postgresql_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
