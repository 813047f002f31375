/*
 * check_dialect_postgresql_noserver.c: the parts of the PostgreSQL
 * dialect plugin that need no server: the descriptor, quoting, the
 * statement splitter and needs_no_transaction. Driven through the
 * descriptor with a mock host API; always runs, whether or not a
 * PostgreSQL server is installed. check_dialect_postgresql.c runs what
 * the splitter makes of the same scripts (pg_scripts.h) on a server.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/plugin.h>

#include "mock_host.h"
#include "split_rec.h"
#include "pg_scripts.h"

const struct mgr_plugin *mgr_plugin_entry(void);

/* ---- fixture ------------------------------------------------------------- */

/* The shared mock host (mock_host.h); filled by setup(). */
static struct mgr_host_api api;
static const struct mgr_dialect_ops *ops;
static void *state;
static struct mgr_error err;

static void setup(void)
{
    const struct mgr_plugin *p = mgr_plugin_entry();

    ck_assert_int_eq(p->kind, MGR_PLUGIN_DIALECT);
    ck_assert_str_eq(p->name, "postgresql");
    mock_host_api_init(&api);
    api.meta_add = mock_unused_meta_add;
    api.exec_section_begin = mock_unused_exec_section_begin;
    api.exec_sql = mock_unused_exec_sql;
    mock_host_reset();
    ck_assert_int_eq(p->init(&api, NULL, &state, &err), MGR_OK);
    ops = p->ops;
    memset(&err, 0, sizeof(err));
}

/* ---- split helpers ------------------------------------------------------- */

static struct split_rec sp;

static void split_reset(void)
{
    split_rec_reset(&sp);
}

static int split(const char *text, int first_line)
{
    split_reset();
    return ops->split(state, text, strlen(text), first_line,
                      split_rec_emit, &sp, &err);
}

#define ck_stmt(i, l, s) ck_split_stmt(&sp, i, l, s)

static void teardown(void)
{
    split_reset();
    mgr_plugin_entry()->fini(state);
    /* split and quoting leave nothing allocated behind */
    ck_assert_int_eq(mock_live_allocations, 0);
}

/* Whether needs_no_transaction says so; the reason into why_out. */
static int nnt(const char *stmt, char *why_out, size_t size)
{
    struct mgr_buf why = { 0, 0, mgr_buf_empty };
    int r = ops->needs_no_transaction(state, stmt, strlen(stmt), &why);

    if (why_out)
        snprintf(why_out, size, "%s", why.buf);
    mock_buf_release(&why);
    return r;
}

/* ---- descriptor ---------------------------------------------------------- */

START_TEST(test_descriptor)
{
    const struct mgr_plugin *p = mgr_plugin_entry();

    ck_assert_uint_eq(p->abi_version, MGR_ABI_VERSION);
    ck_assert_uint_eq(p->size, sizeof(struct mgr_plugin));
    ck_assert_uint_eq(ops->size, sizeof(struct mgr_dialect_ops));
    ck_assert_str_eq(ops->schemes[0], "postgresql");
    ck_assert_str_eq(ops->schemes[1], "postgres");
    /* "host=... dbname=..." strings: the host's pseudo-scheme for them. */
    ck_assert_str_eq(ops->schemes[2], "conninfo");
    ck_assert_ptr_null(ops->schemes[3]);
    ck_assert_int_eq(ops->transactional_ddl, 1);
    ck_assert_str_eq(ops->version_column_type, "VARCHAR(32)");
    ck_assert_ptr_nonnull(ops->connect);
    ck_assert_ptr_nonnull(ops->close);
    ck_assert_ptr_nonnull(ops->query);
    ck_assert_ptr_nonnull(ops->begin);
    ck_assert_ptr_nonnull(ops->commit);
    ck_assert_ptr_nonnull(ops->rollback);
    ck_assert_ptr_nonnull(ops->unlock);
    ck_assert_ptr_nonnull(ops->quote_ident);
    ck_assert_ptr_nonnull(ops->quote_literal);
    ck_assert_ptr_nonnull(ops->split);
    ck_assert_ptr_nonnull(ops->needs_no_transaction);
    ck_assert_ptr_nonnull(ops->table_exists);
    ck_assert_ptr_nonnull(ops->interrupt);
    ck_assert_ptr_nonnull(ops->lock_check);
    /* ABI 1.1: one attempt; the host owns the wait. */
    ck_assert(MGR_OPS_HAS(ops, struct mgr_dialect_ops, try_lock));
    ck_assert_ptr_nonnull(ops->try_lock);
    ck_assert_ptr_null(ops->lock);
    /* ABI 1.2: schema introspection, DDL and scratch databases. */
    ck_assert(MGR_OPS_HAS(ops, struct mgr_dialect_ops, scratch_close));
    ck_assert_ptr_nonnull(ops->introspect);
    ck_assert_ptr_nonnull(ops->render);
    ck_assert_ptr_nonnull(ops->scratch_open);
    ck_assert_ptr_nonnull(ops->scratch_close);
}
END_TEST

/* ---- quoting ------------------------------------------------------------- */

static void quoted(void (*fn)(void *, const char *, struct mgr_buf *),
                   const char *in, const char *want)
{
    struct mgr_buf b = { 0, 0, mgr_buf_empty };

    mock_buf_add(&b, "<", 1);
    fn(state, in, &b);
    ck_assert_str_eq(b.buf + 1, want);
    mock_buf_release(&b);
}

START_TEST(test_quote_forms)
{
    quoted(ops->quote_ident, "plain", "\"plain\"");
    quoted(ops->quote_ident, "Mixed Case", "\"Mixed Case\"");
    quoted(ops->quote_ident, "a\"b\"\"", "\"a\"\"b\"\"\"\"\"");
    quoted(ops->quote_ident, "", "\"\"");
    quoted(ops->quote_literal, "plain", "'plain'");
    quoted(ops->quote_literal, "it's", "'it''s'");
    quoted(ops->quote_literal, "a\\b'c", "E'a\\\\b''c'");
    quoted(ops->quote_literal, "", "''");
}
END_TEST

/* ---- split: core --------------------------------------------------------- */

START_TEST(test_split_b8)
{
    ck_assert_int_eq(split(b8_script, 1), MGR_OK);
    ck_assert_int_eq(sp.n, 5);
    ck_stmt(0, 2, "CREATE TABLE \"semi;colon\" (v text)");
    ck_stmt(1, 3, "INSERT INTO \"semi;colon\" VALUES (';'), (E'\\';'),\n"
                  "    ('it''s;')");
    ck_stmt(2, 6, "CREATE FUNCTION f_dollar() RETURNS text LANGUAGE sql\n"
                  "    AS $$SELECT 'a;b'$$");
    ck_stmt(3, 8, "CREATE FUNCTION f_tag() RETURNS text LANGUAGE plpgsql "
                  "AS $body$\nBEGIN\n  RETURN 'x;' || $$y;$$; -- $body "
                  "not closed here\nEND;\n$body$");
    ck_stmt(4, 14, "SELECT f_dollar() || f_tag()");
}
END_TEST

START_TEST(test_split_begin_atomic)
{
    ck_assert_int_eq(split(atomic_script, 1), MGR_OK);
    ck_assert_int_eq(sp.n, 3);
    ck_stmt(0, 1, "CREATE FUNCTION f_atomic(x int) RETURNS int LANGUAGE "
                  "sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN x > "
                  "0 THEN x ELSE 0 END;\nEND");
    ck_stmt(1, 6, "CREATE OR REPLACE PROCEDURE p_atomic() LANGUAGE sql\n"
                  "BEGIN ATOMIC SELECT 1; END");
    ck_stmt(2, 8, "SELECT f_atomic(5)");
}
END_TEST

START_TEST(test_split_parentheses_and_rules)
{
    ck_assert_int_eq(split(rules_script, 1), MGR_OK);
    ck_assert_int_eq(sp.n, 4);
    ck_stmt(0, 1, "CREATE TABLE a (x int)");
    ck_stmt(1, 1, "CREATE TABLE b (x int)");
    ck_stmt(2, 2, "CREATE RULE r AS ON INSERT TO a DO ALSO\n"
                  "  (INSERT INTO b VALUES (1); INSERT INTO b VALUES (2))");
    ck_stmt(3, 4, "INSERT INTO a VALUES (0)");
}
END_TEST

START_TEST(test_split_lexical_corners)
{
    ck_assert_int_eq(split(corners_script, 1), MGR_OK);
    ck_assert_int_eq(sp.n, 7);
    ck_stmt(0, 1, "SELECT 1 AS a$b$");
    ck_stmt(1, 1, "SELECT $1");
    ck_stmt(2, 1, "SELECT U&'d\\0061t;a'");
    ck_stmt(3, 1, "SELECT 'a\\'");
    ck_stmt(4, 1, "SELECT E'\\\\'");
    ck_stmt(5, 1, "SELECT \"x\"\"y;\" FROM t");
    ck_stmt(6, 1, "SELECT $q$ $$ ; $q$");

    ck_assert_int_eq(split(comments_script, 1), MGR_OK);
    ck_assert_int_eq(sp.n, 2);
    ck_stmt(0, 1, "SELECT 1 +-- '\n 2");
    ck_stmt(1, 2, "SELECT 3");
}
END_TEST

START_TEST(test_split_lines)
{
    ck_assert_int_eq(split("\n\n  SELECT 1;\n\n/* c\n */ SELECT\n2;;\r\n"
                           "-- only a comment\r\n;  \n",
                           10),
                     MGR_OK);
    ck_assert_int_eq(sp.n, 2);
    ck_stmt(0, 12, "SELECT 1");
    ck_stmt(1, 15, "SELECT\n2");

    /* newlines inside strings, identifiers, dollar quotes and comments
     * count */
    ck_assert_int_eq(split("SELECT 'a\nb', \"c\nd\", $$e\nf$$, E'\\\n';"
                           " /* \n\n */ SELECT 2",
                           1),
                     MGR_OK);
    ck_assert_int_eq(sp.n, 2);
    ck_assert_int_eq(sp.line[1], 7);
}
END_TEST

START_TEST(test_split_nothing)
{
    ck_assert_int_eq(split("", 1), MGR_OK);
    ck_assert_int_eq(sp.n, 0);
    ck_assert_int_eq(split("  ;;  -- x\n/* y /* z */ */ ;\n\n", 1), MGR_OK);
    ck_assert_int_eq(sp.n, 0);
    ck_assert_int_eq(ops->split(state, NULL, 0, 1, split_rec_emit, &sp, &err),
                     MGR_OK);
    ck_assert_int_eq(sp.n, 0);
}
END_TEST

START_TEST(test_split_respects_len)
{
    static const char text[] = "SELECT 1; SELECT 2; SELECT 'unterminated";

    ck_assert_int_eq(ops->split(state, text, 18, 1, split_rec_emit, &sp, &err),
                     MGR_OK);
    ck_assert_int_eq(sp.n, 2);
    ck_stmt(1, 1, "SELECT 2");
}
END_TEST

/* ---- split: errors ------------------------------------------------------- */

START_TEST(test_split_unterminated)
{
    static const struct {
        const char *text;
        const char *msg;
    } cases[] = {
        { "SELECT 1;\nSELECT 'abc\n;\n", "line 8: unterminated quoted string" },
        { "SELECT 1;\n\nSELECT E'abc\\';",
          "line 9: unterminated quoted string" },
        { "SELECT U&'x", "line 7: unterminated quoted string" },
        { "SELECT \"abc;\n", "line 7: unterminated quoted identifier" },
        { "SELECT 1;\nCREATE FUNCTION f() AS $x$ body;\n$y$;\n",
          "line 8: unterminated dollar-quoted string" },
        { "SELECT 1;\n/* a /* b */ ;\n", "line 8: unterminated /* comment" },
        { "SELECT $$", "line 7: unterminated dollar-quoted string" },
        { "SELECT E'\\", "line 7: unterminated quoted string" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memset(&err, 0, sizeof(err));
        ck_assert_int_eq(split(cases[i].text, 7), MGR_ESCRIPT);
        ck_assert_int_eq(err.code, MGR_ESCRIPT);
        ck_assert_str_eq(err.msg, cases[i].msg);
        /* nothing was emitted: the whole text is checked first */
        ck_assert_int_eq(sp.n, 0);
    }
}
END_TEST

START_TEST(test_split_emit_error_stops)
{
    sp.fail_at = 2;
    ck_assert_int_eq(ops->split(state, "SELECT 1; SELECT 2; SELECT 3", 28, 1,
                                split_rec_emit, &sp, &err),
                     MGR_EDB);
    ck_assert_int_eq(sp.n, 2);
    ck_assert_str_eq(err.msg, "emit refused 2");
}
END_TEST

/* ---- needs_no_transaction ------------------------------------------------ */

START_TEST(test_needs_no_transaction_yes)
{
    static const struct {
        const char *stmt;
        const char *why;
    } cases[] = {
        { "CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX CONCURRENTLY" },
        { "create unique index concurrently if not exists i on t (a)",
          "CREATE INDEX CONCURRENTLY" },
        { "DROP INDEX CONCURRENTLY IF EXISTS i", "DROP INDEX CONCURRENTLY" },
        { "REINDEX INDEX CONCURRENTLY i", "REINDEX CONCURRENTLY" },
        { "REINDEX (VERBOSE, CONCURRENTLY) TABLE t", "REINDEX CONCURRENTLY" },
        { "reindex (verbose) schema public", "REINDEX SCHEMA" },
        { "REINDEX DATABASE d", "REINDEX DATABASE" },
        { "REINDEX SYSTEM", "REINDEX SYSTEM" },
        { "VACUUM", "VACUUM" },
        { "/* first */ -- then\n vacuum (analyze) t", "VACUUM" },
        { "CREATE DATABASE d", "CREATE DATABASE" },
        { "DROP DATABASE IF EXISTS d", "DROP DATABASE" },
        { "ALTER SYSTEM SET work_mem = '4MB'", "ALTER SYSTEM" },
        { "CREATE TABLESPACE ts LOCATION '/x'", "CREATE TABLESPACE" },
        { "DROP TABLESPACE ts", "DROP TABLESPACE" },
        { "ALTER DATABASE \"D\" SET TABLESPACE ts",
          "ALTER DATABASE ... SET TABLESPACE" },
        { "ALTER TABLE p DETACH PARTITION c CONCURRENTLY",
          "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY" },
        { "DISCARD ALL", "DISCARD ALL" },
        { "CLUSTER VERBOSE", "CLUSTER without a table name" },
        { "BEGIN", "BEGIN (transaction control)" },
        { "begin isolation level serializable", "BEGIN (transaction control)" },
        { "START TRANSACTION", "START TRANSACTION (transaction control)" },
        { "COMMIT", "COMMIT (transaction control)" },
        { "COMMIT PREPARED 'x'", "COMMIT (transaction control)" },
        { "END", "END (transaction control)" },
        { "ROLLBACK TO SAVEPOINT s", "ROLLBACK (transaction control)" },
        { "ABORT", "ABORT (transaction control)" },
        { "SAVEPOINT s", "SAVEPOINT (transaction control)" },
        { "RELEASE SAVEPOINT s", "RELEASE (transaction control)" },
        { "PREPARE TRANSACTION 'x'",
          "PREPARE TRANSACTION (transaction control)" },
    };
    char why[128];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_msg(nnt(cases[i].stmt, why, sizeof(why)) == 1, "'%s'",
                      cases[i].stmt);
        ck_assert_str_eq(why, cases[i].why);
    }
}
END_TEST

START_TEST(test_needs_no_transaction_no)
{
    static const char *const cases[] = {
        "INSERT INTO t VALUES ('VACUUM')",
        "SELECT 'CREATE INDEX CONCURRENTLY'",
        "SELECT $$VACUUM$$",
        "\"VACUUM\"",
        "-- VACUUM\nSELECT 1",
        "/* BEGIN */ SELECT 1",
        "CREATE INDEX i ON t (a)",
        "CREATE TABLE vacuum_log (a int)",
        "DROP TABLE database",
        "DROP INDEX i",
        "PREPARE p AS SELECT 1",
        "ALTER DATABASE d SET work_mem = '1MB'",
        "ALTER TABLE t ADD COLUMN concurrently_x int",
        "ALTER TABLE p DETACH PARTITION c",
        "REINDEX TABLE schema",
        "CLUSTER t USING i",
        "DISCARD PLANS",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC "
        "SELECT 1; END",
        "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "",
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        ck_assert_msg(nnt(cases[i], NULL, 0) == 0, "'%s'", cases[i]);
    ck_assert_int_eq(ops->needs_no_transaction(state, "VACUUM", 6, NULL), 1);
    /* only len bytes count */
    ck_assert_int_eq(ops->needs_no_transaction(state, "VACUUM", 3, NULL), 0);
}
END_TEST

/* ---- limits -------------------------------------------------------------- */

/* Checks statement k starts on line k + 1 and reads as expected. */
struct count_ctx {
    int n;
    int bad;
};

static int count_stmt(void *ctx, const char *stmt, size_t len, int line,
                      struct mgr_error *e)
{
    struct count_ctx *c = ctx;
    char want[64];
    int n = snprintf(want, sizeof(want), "INSERT INTO t VALUES (%d)", c->n);

    (void)e;
    if (line != c->n + 1 || len != (size_t)n || memcmp(stmt, want, len) != 0)
        c->bad++;
    c->n++;
    return MGR_OK;
}

START_TEST(test_limits_twenty_thousand_statements)
{
    struct mgr_buf text = { 0, 0, mgr_buf_empty };
    struct count_ctx c = { 0, 0 };

    for (int i = 0; i < 20000; i++)
        mock_buf_addf(&text, "INSERT INTO t VALUES (%d); -- row %d\n", i, i);
    ck_assert_int_eq(ops->split(state, text.buf, text.len, 1, count_stmt, &c,
                                &err),
                     MGR_OK);
    ck_assert_int_eq(c.n, 20000);
    ck_assert_int_eq(c.bad, 0);
    mock_buf_release(&text);
}
END_TEST

/* A 4 MB literal full of ';' and newlines is one statement. */
START_TEST(test_limits_huge_literal)
{
    size_t n = 4u << 20;
    char *text = mock_alloc(n + 64);
    size_t len;

    memcpy(text, "SELECT length('", 15);
    for (size_t i = 0; i < n; i++)
        text[15 + i] = i % 7 == 0 ? ';' : (i % 11 == 0 ? '\n' : 'x');
    len = 15 + n;
    memcpy(text + len, "'); SELECT 2", 13);
    len += 12;
    ck_assert_int_eq(ops->split(state, text, len, 1, split_rec_emit, &sp, &err),
                     MGR_OK);
    ck_assert_int_eq(sp.n, 2);
    ck_assert_uint_eq(strlen(sp.stmt[0]), 15 + n + 2);
    ck_assert_int_eq(memcmp(sp.stmt[0], text, 15 + n + 2), 0);
    ck_assert_str_eq(sp.stmt[1], "SELECT 2");
    ck_assert_int_eq(sp.line[1], 1 + (int)((n - 1) / 11 - (n - 1) / 77));
    mock_free(text);
}
END_TEST

/* ---- suite --------------------------------------------------------------- */

static Suite *dialect_postgresql_noserver_suite(void)
{
    Suite *s = suite_create("dialect_postgresql_noserver");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_descriptor);
    tcase_add_test(tc, test_quote_forms);
    tcase_add_test(tc, test_split_b8);
    tcase_add_test(tc, test_split_begin_atomic);
    tcase_add_test(tc, test_split_parentheses_and_rules);
    tcase_add_test(tc, test_split_lexical_corners);
    tcase_add_test(tc, test_split_lines);
    tcase_add_test(tc, test_split_nothing);
    tcase_add_test(tc, test_split_respects_len);
    tcase_add_test(tc, test_needs_no_transaction_yes);
    tcase_add_test(tc, test_needs_no_transaction_no);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_split_unterminated);
    tcase_add_test(tc, test_split_emit_error_stops);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_limits_twenty_thousand_statements);
    tcase_add_test(tc, test_limits_huge_literal);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dialect_postgresql_noserver_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
