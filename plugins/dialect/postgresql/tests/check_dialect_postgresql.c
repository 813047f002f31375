/*
 * check_dialect_postgresql.c: the PostgreSQL dialect plugin, driven
 * through its descriptor with a mock host API, against a private server
 * that tests/pg/pg_server.sh starts for the run (and stops after it).
 *
 * Each TCase gets a database of its own (created by its unchecked
 * fixture); each test starts with an empty public schema. When the
 * harness finds no PostgreSQL server the suite exits 77 (skipped); with
 * MGR_PGSQL_TESTS_REQUIRED=yes the harness makes that a failure. What
 * needs no server (the descriptor, quoting, the splitter,
 * needs_no_transaction) is checked by check_dialect_postgresql_noserver.c,
 * which always runs; the split tests here run its scripts on the server.
 */
#include "autoconfig.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include <migrator/plugin.h>

#include "mock_host.h"
#include "pg_harness.h"
#include "split_rec.h"
#include "pg_scripts.h"

const struct mgr_plugin *mgr_plugin_entry(void);

/* ---- the server ---------------------------------------------------------- */

#define APP_NAME "migrator/" PACKAGE_VERSION
#define PW_ROLE "mgr_pwuser"
#define PW_GOOD "right-Pw-1"

static char dbname[64];           /* the current TCase's database */
static char conninfo[600];        /* the same with dbname=<dbname> */

static void use_database(const char *name)
{
    char sql[128];

    snprintf(dbname, sizeof(dbname), "%s", name);
    snprintf(conninfo, sizeof(conninfo),
             "host=%s port=%s user=postgres dbname=%s", server_dir,
             server_port, dbname);
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

static void core_db(void)
{
    use_database("mgr_core");
}

static void errors_db(void)
{
    use_database("mgr_errors");
}

static void limits_db(void)
{
    use_database("mgr_limits");
}

/* ---- per-test fixture ---------------------------------------------------- */

/* The shared mock host (mock_host.h); filled by setup(). */
static struct mgr_host_api api;
static const struct mgr_dialect_ops *ops;
static void *state;
static void *conn;
static void *conn2;
static struct mgr_error err;
static struct mgr_db_error dberr;

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

    ck_assert_int_eq(p->kind, MGR_PLUGIN_DIALECT);
    ck_assert_str_eq(p->name, "postgresql");
    mock_host_api_init(&api);
    api.meta_add = mock_unused_meta_add;
    api.exec_section_begin = mock_unused_exec_section_begin;
    api.exec_sql = mock_unused_exec_sql;
    ck_assert_int_eq(p->init(&api, NULL, &state, &err), MGR_OK);
    ops = p->ops;
    memset(&err, 0, sizeof(err));
    mock_host_reset();
    conn2 = NULL;
    ck_assert_msg(ops->connect(state, conninfo, &conn, &err) == MGR_OK,
                  "connect: %s", err.msg);
    ck_exec(conn, "DROP SCHEMA IF EXISTS public CASCADE");
    ck_exec(conn, "CREATE SCHEMA public");
    mock_log_calls = 0;
}

static void teardown(void)
{
    if (conn2)
        ops->close(conn2);
    ops->close(conn);
    mgr_plugin_entry()->fini(state);
}

/* A second connection to the TCase's database, closed by teardown. */
static void *second(void)
{
    ck_assert_msg(ops->connect(state, conninfo, &conn2, &err) == MGR_OK,
                  "connect: %s", err.msg);
    return conn2;
}

/* ---- rows ---------------------------------------------------------------- */

/* Rows as text: values joined by '|', NULL as <null>, rows by '\n'. */
struct rows {
    struct mgr_buf text;
    struct mgr_buf names;
    int n;
    int stop_after; /* return MGR_ECHECK after that many rows; 0: never */
};

static int collect(void *ctx, size_t ncols, const char *const *names,
                   const char *const *values)
{
    struct rows *r = ctx;

    if (r->n == 0)
        for (size_t i = 0; i < ncols; i++)
            mock_buf_addf(&r->names, "%s%s", i ? "," : "", names[i]);
    if (r->n > 0)
        mock_buf_add(&r->text, "\n", 1);
    for (size_t i = 0; i < ncols; i++)
        mock_buf_addf(&r->text, "%s%s", i ? "|" : "",
                      values[i] ? values[i] : "<null>");
    r->n++;
    if (r->stop_after && r->n >= r->stop_after)
        return MGR_ECHECK;
    return MGR_OK;
}

static void rows_init(struct rows *r)
{
    memset(r, 0, sizeof(*r));
    r->text.buf = mgr_buf_empty;
    r->names.buf = mgr_buf_empty;
}

static void rows_release(struct rows *r)
{
    mock_buf_release(&r->text);
    mock_buf_release(&r->names);
}

/* The rows of sql on c as text (see struct rows), into out. */
static void select_text(void *c, const char *sql, char *out, size_t size)
{
    struct rows r;
    int rc;

    rows_init(&r);
    rc = ops->query(c, sql, NULL, 0, collect, &r, NULL, &dberr, &err);
    ck_assert_msg(rc == MGR_OK, "'%s': %s", sql, err.msg);
    snprintf(out, size, "%s", r.text.buf);
    rows_release(&r);
}

#define ck_select(c, sql, want)                                         \
    do {                                                                \
        char got_[4096];                                                \
        select_text((c), (sql), got_, sizeof(got_));                    \
        ck_assert_str_eq(got_, (want));                                 \
    } while (0)

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int exists(const char *schema, const char *table)
{
    int e = -1;

    ck_assert_msg(ops->table_exists(conn, schema, table, &e, &err) ==
                      MGR_OK,
                  "table_exists: %s", err.msg);
    return e;
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

static void split_teardown(void)
{
    split_reset();
    teardown();
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

/* ---- connect: core ------------------------------------------------------- */

START_TEST(test_connect_conninfo_session_settings)
{
    char want[256];

    snprintf(want, sizeof(want), "%s|%s|1s|UTF8", dbname, APP_NAME);
    ck_select(conn,
              "SELECT current_database(), "
              "current_setting('application_name'), "
              "current_setting('client_connection_check_interval'), "
              "current_setting('client_encoding')",
              want);
    /* statement_timeout is left alone */
    ck_select(conn, "SHOW statement_timeout", "0");
}
END_TEST

START_TEST(test_connect_url_forms)
{
    static const char *const schemes[] = { "postgresql", "postgres" };
    char url[700], want[128];
    void *c;

    for (int i = 0; i < 2; i++) {
        snprintf(url, sizeof(url), "%s://postgres@/%s?host=%s&port=%s",
                 schemes[i], dbname, server_dir, server_port);
        ck_assert_msg(ops->connect(state, url, &c, &err) == MGR_OK,
                      "%s: %s", url, err.msg);
        snprintf(want, sizeof(want), "%s|postgres", dbname);
        ck_select(c, "SELECT current_database(), current_user", want);
        ops->close(c);
    }
}
END_TEST

START_TEST(test_connect_user_application_name_wins)
{
    char ci[700];
    void *c;

    snprintf(ci, sizeof(ci), "%s application_name=deploy-7", conninfo);
    ck_assert_int_eq(ops->connect(state, ci, &c, &err), MGR_OK);
    ck_select(c, "SHOW application_name", "deploy-7");
    ops->close(c);
}
END_TEST

START_TEST(test_connect_password_role)
{
    char ci[700];
    void *c;

    snprintf(ci, sizeof(ci),
             "host=%s port=%s user=" PW_ROLE " password=" PW_GOOD
             " dbname=%s",
             server_dir, server_port, dbname);
    ck_assert_msg(ops->connect(state, ci, &c, &err) == MGR_OK, "%s",
                  err.msg);
    ck_select(c, "SELECT current_user", PW_ROLE);
    ops->close(c);
}
END_TEST

/* ---- connect: errors ----------------------------------------------------- */

START_TEST(test_connect_unreachable)
{
    void *c = (void *)&c;

    ck_assert_int_eq(ops->connect(state,
                                  "host=/nonexistent/mgr port=5 "
                                  "dbname=x connect_timeout=3",
                                  &c, &err),
                     MGR_ECONN);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot connect to the database: "));
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/mgr"));

    /* a URL with a password: the password never shows */
    ck_assert_int_eq(ops->connect(state,
                                  "postgresql://bob:Sekr3t-pw@/x?host="
                                  "/nonexistent/mgr&port=5",
                                  &c, &err),
                     MGR_ECONN);
    ck_assert_ptr_null(strstr(err.msg, "Sekr3t-pw"));
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/mgr"));
}
END_TEST

START_TEST(test_connect_bad_password)
{
    char ci[700];
    void *c;

    snprintf(ci, sizeof(ci),
             "host=%s port=%s user=" PW_ROLE " password=Wr0ng-pw dbname=%s",
             server_dir, server_port, dbname);
    ck_assert_int_eq(ops->connect(state, ci, &c, &err), MGR_EDB);
    ck_assert_msg(strstr(err.msg, "failed: FATAL: password authentication "
                                  "failed for user \"" PW_ROLE "\"") != NULL,
                  "%s", err.msg);
    ck_assert_ptr_null(strstr(err.msg, "Wr0ng-pw"));

    snprintf(ci, sizeof(ci), "postgresql://" PW_ROLE ":Wr0ng-pw@/%s?host=%s"
                             "&port=%s",
             dbname, server_dir, server_port);
    ck_assert_int_eq(ops->connect(state, ci, &c, &err), MGR_EDB);
    ck_assert_ptr_nonnull(strstr(err.msg, "password authentication failed"));
    ck_assert_ptr_null(strstr(err.msg, "Wr0ng-pw"));
}
END_TEST

START_TEST(test_connect_no_such_database)
{
    char ci[700];
    void *c;

    snprintf(ci, sizeof(ci), "host=%s port=%s user=postgres dbname=nosuchdb",
             server_dir, server_port);
    ck_assert_int_eq(ops->connect(state, ci, &c, &err), MGR_EDB);
    ck_assert_ptr_nonnull(strstr(err.msg, "\"nosuchdb\" does not exist"));
}
END_TEST

START_TEST(test_connect_invalid_url)
{
    void *c;

    ck_assert_int_eq(ops->connect(state, "host=x nonsense", &c, &err),
                     MGR_ECONFIG);
    ck_assert_ptr_nonnull(strstr(err.msg, "invalid database URL: "));
    /* a malformed password is not echoed either */
    ck_assert_int_eq(ops->connect(state, "postgresql://u:pw%zzX@/db", &c,
                                  &err),
                     MGR_ECONFIG);
    ck_assert_ptr_null(strstr(err.msg, "pw%zzX"));
    ck_assert_int_eq(ops->connect(state, "host=x sslmode=sometimes", &c,
                                  &err),
                     MGR_ECONFIG);
    ck_assert_ptr_nonnull(strstr(err.msg, "sslmode"));
}
END_TEST

/* ---- query: core --------------------------------------------------------- */

START_TEST(test_query_params_nulls_rows)
{
    const char *params[] = { "41", NULL, "it's" };
    struct rows r;
    long affected = 7;

    rows_init(&r);
    ck_assert_int_eq(ops->query(conn,
                                "SELECT $1::int + 1 AS a, $2::text AS b, "
                                "$3::text AS c, NULL AS d",
                                params, 3, collect, &r, &affected, &dberr,
                                &err),
                     MGR_OK);
    ck_assert_int_eq(r.n, 1);
    ck_assert_str_eq(r.names.buf, "a,b,c,d");
    ck_assert_str_eq(r.text.buf, "42|<null>|it's|<null>");
    ck_assert_int_eq(affected, -1);
    rows_release(&r);

    ck_select(conn, "SELECT g, g * 2 FROM generate_series(1, 3) g",
              "1|2\n2|4\n3|6");
    ck_select(conn, "SELECT 1 WHERE false", "");
}
END_TEST

START_TEST(test_query_row_callback_stops)
{
    struct rows r;

    rows_init(&r);
    r.stop_after = 3;
    ck_assert_int_eq(ops->query(conn, "SELECT generate_series(1, 100)", NULL,
                                0, collect, &r, NULL, &dberr, &err),
                     MGR_ECHECK);
    ck_assert_int_eq(r.n, 3);
    ck_assert_str_eq(r.text.buf, "1\n2\n3");
    rows_release(&r);
    /* rows may be discarded */
    ck_assert_int_eq(ops->query(conn, "SELECT 1", NULL, 0, NULL, NULL, NULL,
                                NULL, &err),
                     MGR_OK);
}
END_TEST

START_TEST(test_query_affected)
{
    const char *two[] = { "1" };
    long n = 0;

    ck_assert_int_eq(ops->query(conn, "CREATE TABLE t (a int)", NULL, 0,
                                NULL, NULL, &n, NULL, &err),
                     MGR_OK);
    ck_assert_int_eq(n, -1);
    ck_assert_int_eq(ops->query(conn,
                                "INSERT INTO t VALUES (1), (2), (3)", NULL,
                                0, NULL, NULL, &n, NULL, &err),
                     MGR_OK);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(ops->query(conn, "UPDATE t SET a = a + 10 WHERE a > $1",
                                two, 1, NULL, NULL, &n, NULL, &err),
                     MGR_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(ops->query(conn, "DELETE FROM t WHERE a = 99", NULL, 0,
                                NULL, NULL, &n, NULL, &err),
                     MGR_OK);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(ops->query(conn, "SELECT * FROM t", NULL, 0, NULL,
                                NULL, &n, NULL, &err),
                     MGR_OK);
    ck_assert_int_eq(n, -1);
    ck_assert_int_eq(ops->query(conn, "  ", NULL, 0, NULL, NULL, &n, NULL,
                                &err),
                     MGR_OK);
    ck_select(conn, "SELECT a FROM t ORDER BY a", "1\n12\n13");
}
END_TEST

START_TEST(test_server_notices_logged)
{
    ck_exec(conn, "DO $$BEGIN RAISE WARNING 'careful: %', 42; END$$");
    ck_assert_int_eq(mock_log_calls, 1);
    ck_assert_int_eq(mock_log_level, MGR_LOG_WARNING);
    ck_assert_str_eq(mock_log_last, "WARNING: careful: 42");
    ck_exec(conn, "DO $$BEGIN RAISE NOTICE 'fyi'; END$$");
    ck_assert_int_eq(mock_log_calls, 2);
    ck_assert_int_eq(mock_log_level, MGR_LOG_INFO);
}
END_TEST

/* ---- query: errors ------------------------------------------------------- */

START_TEST(test_query_error_fields)
{
    const char *sql;

    sql = "SELECT * FROM nosuch_table";
    ck_assert_int_eq(q(conn, sql), MGR_EDB);
    ck_assert_str_eq(err.msg, "relation \"nosuch_table\" does not exist");
    ck_assert_str_eq(dberr.sqlstate, "42P01");
    ck_assert_int_eq(dberr.offset, 14);
    ck_assert_str_eq(dberr.detail, "");

    sql = "SELECT 1 + nosuch_fn(1)";
    ck_assert_int_eq(q(conn, sql), MGR_EDB);
    ck_assert_str_eq(dberr.sqlstate, "42883");
    ck_assert_ptr_nonnull(strstr(dberr.hint, "No function matches"));
    ck_assert_int_eq(dberr.offset, 11);

    ck_exec(conn, "CREATE TABLE u (id int PRIMARY KEY)");
    ck_exec(conn, "INSERT INTO u VALUES (1)");
    ck_assert_int_eq(q(conn, "INSERT INTO u VALUES (1)"), MGR_EDB);
    ck_assert_str_eq(dberr.sqlstate, "23505");
    ck_assert_str_eq(dberr.detail, "Key (id)=(1) already exists.");
    ck_assert_int_eq(dberr.offset, -1);

    /* the offset is in bytes, the server counts characters */
    sql = "SELECT 'd\xc3\xa9j\xc3\xa0', nosuch_col";
    ck_assert_int_eq(q(conn, sql), MGR_EDB);
    ck_assert_int_eq(dberr.offset, (int)(strstr(sql, "nosuch") - sql));

    /* the connection is still usable */
    ck_select(conn, "SELECT 7", "7");
}
END_TEST

START_TEST(test_query_one_statement_only)
{
    ck_assert_int_eq(q(conn, "SELECT 1; SELECT 2"), MGR_EDB);
    ck_assert_str_eq(dberr.sqlstate, "42601");
    ck_assert_ptr_nonnull(strstr(err.msg, "multiple commands"));
}
END_TEST

START_TEST(test_query_copy_refused)
{
    ck_exec(conn, "CREATE TABLE c (a int)");
    ck_assert_int_eq(q(conn, "COPY c FROM STDIN"), MGR_EDB);
    ck_assert_ptr_nonnull(strstr(err.msg, "COPY FROM STDIN is not "
                                          "supported"));
    ck_select(conn, "SELECT count(*) FROM c", "0");
    ck_assert_int_eq(q(conn, "COPY (SELECT 1) TO STDOUT"), MGR_EDB);
    ck_assert_ptr_nonnull(strstr(err.msg, "COPY TO STDOUT is not "
                                          "supported"));
    ck_select(conn, "SELECT 8", "8");
}
END_TEST

START_TEST(test_query_connection_lost)
{
    char pid[32], sql[96];

    select_text(conn, "SELECT pg_backend_pid()", pid, sizeof(pid));
    snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%s)", pid);
    ck_select(second(), sql, "t");
    ck_assert_int_eq(q(conn, "SELECT 1"), MGR_ECONN);
    ck_assert_ptr_nonnull(strstr(err.msg, "connection to the database "
                                          "lost"));
    ck_assert_int_eq(q(conn, "SELECT 1"), MGR_ECONN);
    ck_assert_int_eq(ops->begin(conn, &err), MGR_ECONN);
    ck_assert_int_eq(ops->rollback(conn, &err), MGR_ECONN);
}
END_TEST

START_TEST(test_query_too_many_params)
{
    static const char *params[65536];

    ck_assert_int_eq(ops->query(conn, "SELECT 1", params, 65536, NULL, NULL,
                                NULL, &dberr, &err),
                     MGR_EDB);
    ck_assert_ptr_nonnull(strstr(err.msg, "too many parameters"));
}
END_TEST

/* ---- transactions -------------------------------------------------------- */

START_TEST(test_transactional_ddl_rollback)
{
    ck_assert_int_eq(ops->begin(conn, &err), MGR_OK);
    ck_exec(conn, "CREATE TABLE x1 (a int)");
    ck_assert_int_eq(q(conn, "CREATE TABLE x1 (a int)"), MGR_EDB);
    ck_assert_str_eq(dberr.sqlstate, "42P07");
    ck_assert_int_eq(ops->rollback(conn, &err), MGR_OK);
    ck_assert_int_eq(exists(NULL, "x1"), 0);
}
END_TEST

START_TEST(test_commit_persists)
{
    ck_assert_int_eq(ops->begin(conn, &err), MGR_OK);
    ck_exec(conn, "CREATE TABLE kept (a int)");
    ck_exec(conn, "INSERT INTO kept VALUES (5)");
    ck_assert_int_eq(ops->commit(conn, &err), MGR_OK);
    ck_select(second(), "SELECT a FROM kept", "5");
    /* rollback outside a transaction has nothing to do */
    ck_assert_int_eq(ops->rollback(conn, &err), MGR_OK);
}
END_TEST

START_TEST(test_commit_after_failed_statement)
{
    ck_assert_int_eq(ops->begin(conn, &err), MGR_OK);
    ck_exec(conn, "CREATE TABLE gone (a int)");
    ck_assert_int_eq(q(conn, "SELECT nosuch"), MGR_EDB);
    ck_assert_int_eq(ops->commit(conn, &err), MGR_EDB);
    ck_assert_ptr_nonnull(strstr(err.msg, "rolled back"));
    ck_assert_int_eq(exists(NULL, "gone"), 0);
    /* the session is usable: a new transaction can begin */
    ck_assert_int_eq(ops->begin(conn, &err), MGR_OK);
    ck_assert_int_eq(ops->commit(conn, &err), MGR_OK);
}
END_TEST

START_TEST(test_commit_deferred_constraint_fails)
{
    ck_exec(conn, "CREATE TABLE p (id int PRIMARY KEY)");
    ck_exec(conn, "CREATE TABLE ch (p int REFERENCES p "
                  "DEFERRABLE INITIALLY DEFERRED)");
    ck_assert_int_eq(ops->begin(conn, &err), MGR_OK);
    ck_exec(conn, "INSERT INTO ch VALUES (1)");
    ck_assert_int_eq(ops->commit(conn, &err), MGR_EDB);
    ck_assert_ptr_nonnull(strstr(err.msg, "[SQLSTATE 23503]"));
    ck_select(conn, "SELECT count(*) FROM ch", "0");
}
END_TEST

START_TEST(test_transaction_misuse)
{
    ck_assert_int_eq(ops->commit(conn, &err), MGR_EDB);
    ck_assert_ptr_nonnull(strstr(err.msg, "no transaction is open"));
    ck_assert_int_eq(ops->begin(conn, &err), MGR_OK);
    ck_assert_int_eq(ops->begin(conn, &err), MGR_EDB);
    ck_assert_ptr_nonnull(strstr(err.msg, "open already"));
    ck_assert_int_eq(ops->rollback(conn, &err), MGR_OK);
}
END_TEST

/* ---- table_exists -------------------------------------------------------- */

START_TEST(test_table_exists)
{
    ck_exec(conn, "CREATE SCHEMA other");
    ck_exec(conn, "CREATE TABLE public.t1 (a int)");
    ck_exec(conn, "CREATE TABLE other.t2 (a int)");
    ck_exec(conn, "CREATE TABLE \"MixedCase\" (a int)");
    ck_assert_int_eq(exists(NULL, "t1"), 1);
    ck_assert_int_eq(exists("", "t1"), 1);
    ck_assert_int_eq(exists("public", "t1"), 1);
    ck_assert_int_eq(exists("other", "t1"), 0);
    ck_assert_int_eq(exists("other", "t2"), 1);
    ck_assert_int_eq(exists(NULL, "t2"), 0); /* not on the search_path */
    ck_assert_int_eq(exists(NULL, "MixedCase"), 1);
    ck_assert_int_eq(exists(NULL, "mixedcase"), 0);
    ck_assert_int_eq(exists("nosuchschema", "t1"), 0);

    /* asking does not fail the current transaction */
    ck_assert_int_eq(ops->begin(conn, &err), MGR_OK);
    ck_assert_int_eq(exists(NULL, "absent"), 0);
    ck_exec(conn, "CREATE TABLE absent (a int)");
    ck_assert_int_eq(exists(NULL, "absent"), 1);
    ck_assert_int_eq(ops->commit(conn, &err), MGR_OK);
}
END_TEST

/* ---- quoting ------------------------------------------------------------- */

START_TEST(test_quote_hostile_round_trip)
{
    static const char name[] = "schema_migrations\"; DROP TABLE big; --";
    static const char value[] = "O'Reilly \\x; -- \\' $$ \"q\"";
    struct mgr_buf sql = { 0, 0, mgr_buf_empty };
    const char *params[1] = { value };
    struct rows r;

    ck_exec(conn, "CREATE TABLE big (a int)");
    mock_buf_addf(&sql, "CREATE TABLE ");
    ops->quote_ident(state, name, &sql);
    mock_buf_addf(&sql, " (v text)");
    ck_exec(conn, sql.buf);
    ck_assert_int_eq(exists(NULL, name), 1);
    ck_assert_int_eq(exists(NULL, "big"), 1);

    sql.len = 0;
    mock_buf_addf(&sql, "INSERT INTO ");
    ops->quote_ident(state, name, &sql);
    mock_buf_addf(&sql, " VALUES (");
    ops->quote_literal(state, value, &sql);
    mock_buf_addf(&sql, ")");
    ck_exec(conn, sql.buf);

    sql.len = 0;
    mock_buf_addf(&sql, "SELECT count(*) FROM ");
    ops->quote_ident(state, name, &sql);
    mock_buf_addf(&sql, " WHERE v = $1");
    rows_init(&r);
    ck_assert_int_eq(ops->query(conn, sql.buf, params, 1, collect, &r, NULL,
                                &dberr, &err),
                     MGR_OK);
    ck_assert_str_eq(r.text.buf, "1");
    rows_release(&r);
    mock_buf_release(&sql);

    /* the same with standard_conforming_strings off: E'' still right */
    ck_exec(conn, "SET standard_conforming_strings = off");
    sql.len = 0;
    mock_buf_addf(&sql, "SELECT ");
    ops->quote_literal(state, value, &sql);
    mock_buf_addf(&sql, " = $1");
    rows_init(&r);
    ck_assert_int_eq(ops->query(conn, sql.buf, params, 1, collect, &r, NULL,
                                &dberr, &err),
                     MGR_OK);
    ck_assert_str_eq(r.text.buf, "t");
    rows_release(&r);
    mock_buf_release(&sql);
}
END_TEST

/* ---- lock: core ---------------------------------------------------------- */

/*
 * One try_lock of c for key: returns *got_out, failing the test when the
 * attempt itself fails. The holder's description goes to holder (may be
 * NULL).
 */
static int try_lock(void *c, const char *key, struct mgr_buf *holder)
{
    int got = -1, rc = ops->try_lock(c, key, 1000, &got, holder, &err);

    ck_assert_msg(rc == MGR_OK, "try_lock: %d %s", rc, err.msg);
    ck_assert(got == 0 || got == 1);
    return got;
}

/* No transaction is open on c: begin works (it refuses inside one). */
static void ck_no_transaction(void *c)
{
    ck_assert_msg(ops->begin(c, &err) == MGR_OK, "%s", err.msg);
    ck_assert_int_eq(ops->rollback(c, &err), MGR_OK);
}

START_TEST(test_try_lock_conflict_names_holder)
{
    struct mgr_buf holder = { 0, 0, mgr_buf_empty };
    char pid[32], want[64];
    void *b = second();

    select_text(conn, "SELECT pg_backend_pid()", pid, sizeof(pid));
    ck_assert_int_eq(try_lock(conn, "\"public\".\"v\"", NULL), 1);
    ck_no_transaction(conn);

    /* Held by conn: b is refused, told who holds it. */
    ck_assert_int_eq(try_lock(b, "\"public\".\"v\"", &holder), 0);
    snprintf(want, sizeof(want), "pid %s (", pid);
    ck_assert_msg(strncmp(holder.buf, want, strlen(want)) == 0, "%s",
                  holder.buf);
    ck_assert_msg(strstr(holder.buf, "application '" APP_NAME "'") != NULL,
                  "%s", holder.buf);
    /* a Unix socket: no client address */
    ck_assert_msg(strstr(holder.buf, ", client local, connected since ") !=
                      NULL,
                  "%s", holder.buf);
    ck_assert_int_eq(holder.buf[holder.len - 1], ')');
    ck_no_transaction(b);
    /* ...also without a holder buffer; nothing is logged. */
    ck_assert_int_eq(try_lock(b, "\"public\".\"v\"", NULL), 0);
    ck_assert_int_eq(mock_log_calls, 0);

    /* conn again: it holds it already. */
    ck_assert_int_eq(try_lock(conn, "\"public\".\"v\"", NULL), 1);

    /* another key is another lock */
    ck_assert_int_eq(try_lock(b, "\"public\".\"w\"", NULL), 1);
    ck_assert_int_eq(ops->unlock(b, "\"public\".\"w\"", &err), MGR_OK);

    /* released: now b gets it, and conn is refused */
    ck_assert_int_eq(ops->unlock(conn, "\"public\".\"v\"", &err), MGR_OK);
    ck_assert_int_eq(try_lock(b, "\"public\".\"v\"", NULL), 1);
    ck_assert_int_eq(try_lock(conn, "\"public\".\"v\"", NULL), 0);
    ck_assert_int_eq(ops->unlock(b, "\"public\".\"v\"", &err), MGR_OK);
    mock_buf_release(&holder);
}
END_TEST

START_TEST(test_try_lock_free_when_holder_session_ends)
{
    void *b = second();
    long deadline;
    int got = 0;

    ck_assert_int_eq(try_lock(b, "k", NULL), 1);
    ck_assert_int_eq(try_lock(conn, "k", NULL), 0);
    ops->close(b); /* the session's end releases the lock */
    conn2 = NULL;
    /* The server ends the session a moment after the client leaves. */
    deadline = now_ms() + 5000;
    while (!got && now_ms() < deadline) {
        got = try_lock(conn, "k", NULL);
        if (!got)
            usleep(20 * 1000);
    }
    ck_assert_int_eq(got, 1);
    ck_assert_int_eq(ops->unlock(conn, "k", &err), MGR_OK);
}
END_TEST

START_TEST(test_lock_same_key_twice_is_one_lock)
{
    void *b = second();

    ck_assert_int_eq(try_lock(conn, "k", NULL), 1);
    ck_assert_int_eq(try_lock(conn, "k", NULL), 1);
    ck_assert_int_eq(ops->unlock(conn, "k", &err), MGR_OK);
    ck_assert_int_eq(try_lock(b, "k", NULL), 1);
    ck_assert_int_eq(ops->unlock(b, "k", &err), MGR_OK);
}
END_TEST

START_TEST(test_lock_is_per_database)
{
    char ci[700];
    void *c;

    admin("postgres", "DROP DATABASE IF EXISTS mgr_other WITH (FORCE)");
    admin("postgres", "CREATE DATABASE mgr_other");
    snprintf(ci, sizeof(ci), "host=%s port=%s user=postgres dbname=mgr_other",
             server_dir, server_port);
    ck_assert_int_eq(ops->connect(state, ci, &c, &err), MGR_OK);
    ck_assert_int_eq(try_lock(conn, "k", NULL), 1);
    ck_assert_int_eq(try_lock(c, "k", NULL), 1);
    ops->close(c);
    admin("postgres", "DROP DATABASE mgr_other WITH (FORCE)");
}
END_TEST

START_TEST(test_lock_check)
{
    ck_assert_int_eq(try_lock(conn, "k", NULL), 1);
    ck_assert_int_eq(ops->lock_check(conn, "k", &err), MGR_OK);
    ck_no_transaction(conn);
}
END_TEST

/* ---- lock: errors -------------------------------------------------------- */

START_TEST(test_unlock_not_held)
{
    ck_assert_int_eq(ops->unlock(conn, "never-taken", &err), MGR_ELOCKED);
    ck_assert_msg(strncmp(err.msg, "the migration lock was lost",
                          strlen("the migration lock was lost")) == 0,
                  "%s", err.msg);
    ck_assert_ptr_nonnull(strstr(err.msg, "'never-taken'"));
    /* the server's warning was not passed on */
    ck_assert_int_eq(mock_log_calls, 0);
}
END_TEST

START_TEST(test_lock_check_not_held)
{
    ck_assert_int_eq(ops->lock_check(conn, "k", &err), MGR_ELOCKED);
    ck_assert_ptr_nonnull(strstr(err.msg, "not held by this session"));
}
END_TEST

/* Released behind our back: lock_check and unlock both notice. */
START_TEST(test_lock_lost)
{
    ck_assert_int_eq(try_lock(conn, "k", NULL), 1);
    ck_exec(conn, "SELECT pg_advisory_unlock_all()");
    ck_assert_int_eq(ops->lock_check(conn, "k", &err), MGR_ELOCKED);
    ck_assert_ptr_nonnull(strstr(err.msg, "the migration lock was lost"));
    ck_assert_int_eq(ops->unlock(conn, "k", &err), MGR_ELOCKED);
    ck_assert_ptr_nonnull(strstr(err.msg, "the migration lock was lost"));
}
END_TEST

START_TEST(test_lock_inside_transaction_refused)
{
    int got = -1;

    ck_assert_int_eq(ops->begin(conn, &err), MGR_OK);
    ck_assert_int_eq(ops->try_lock(conn, "k", 1000, &got, NULL, &err),
                     MGR_EDB);
    ck_assert_int_eq(got, 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "inside a transaction"));
    ck_assert_int_eq(ops->rollback(conn, &err), MGR_OK);
    ck_assert_int_eq(try_lock(conn, "k", NULL), 1);
}
END_TEST

START_TEST(test_lock_other_key_while_holding)
{
    int got = -1;

    ck_assert_int_eq(try_lock(conn, "k", NULL), 1);
    ck_assert_int_eq(ops->try_lock(conn, "j", 1000, &got, NULL, &err),
                     MGR_EPLUGIN);
    ck_assert_int_eq(got, 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "'k'"));
    ck_assert_int_eq(ops->lock_check(conn, "k", &err), MGR_OK);
}
END_TEST

START_TEST(test_lock_connection_lost)
{
    char pid[32], sql[96];
    int got = -1;

    select_text(conn, "SELECT pg_backend_pid()", pid, sizeof(pid));
    snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%s)", pid);
    ck_select(second(), sql, "t");
    ck_assert_int_eq(ops->try_lock(conn, "k", 1000, &got, NULL, &err),
                     MGR_ECONN);
    ck_assert_int_eq(got, 0);
}
END_TEST

/* ---- split: the server agrees -------------------------------------------- */

/* (check_dialect_postgresql_noserver.c checks the statements and their
 * lines; these run them.) */

static const char b8_tag_body[] =
    "\nBEGIN\n  RETURN 'x;' || $$y;$$; -- $body not closed here\nEND;\n";

START_TEST(test_split_b8)
{
    ck_assert_int_eq(split(b8_script, 1), MGR_OK);
    ck_assert_int_eq(sp.n, 5);
    for (int i = 0; i < 4; i++)
        ck_exec(conn, sp.stmt[i]);
    ck_select(conn, sp.stmt[4], "a;bx;y;");
    ck_select(conn, "SELECT v FROM \"semi;colon\" ORDER BY v",
              "';\n;\nit's;");
    ck_select(conn, "SELECT prosrc FROM pg_proc WHERE proname = 'f_tag'",
              b8_tag_body);
}
END_TEST

START_TEST(test_split_begin_atomic)
{
    ck_assert_int_eq(split(atomic_script, 1), MGR_OK);
    ck_assert_int_eq(sp.n, 3);
    ck_exec(conn, sp.stmt[0]);
    ck_exec(conn, sp.stmt[1]);
    ck_select(conn, sp.stmt[2], "5");
}
END_TEST

START_TEST(test_split_parentheses_and_rules)
{
    ck_assert_int_eq(split(rules_script, 1), MGR_OK);
    ck_assert_int_eq(sp.n, 4);
    for (int i = 0; i < 4; i++)
        ck_exec(conn, sp.stmt[i]);
    ck_select(conn, "SELECT count(*) FROM b", "2");
}
END_TEST

START_TEST(test_split_lexical_corners)
{
    ck_assert_int_eq(split(corners_script, 1), MGR_OK);
    ck_assert_int_eq(sp.n, 7);
    ck_select(conn, sp.stmt[0], "1");
    ck_select(conn, sp.stmt[2], "dat;a");
    ck_select(conn, sp.stmt[3], "a\\");
    ck_select(conn, sp.stmt[4], "\\");
    ck_select(conn, sp.stmt[6], " $$ ; ");

    ck_assert_int_eq(split(comments_script, 1), MGR_OK);
    ck_assert_int_eq(sp.n, 2);
    ck_select(conn, sp.stmt[0], "3");
    ck_select(conn, sp.stmt[1], "3");
}
END_TEST

/* ---- needs_no_transaction ------------------------------------------------ */

/* What the list claims, the server confirms: each fails in a transaction
 * block with SQLSTATE 25001. */
START_TEST(test_needs_no_transaction_matches_server)
{
    static const char *const cases[] = {
        "VACUUM t",
        "CREATE INDEX CONCURRENTLY i2 ON t (a)",
        "DROP INDEX CONCURRENTLY i",
        "REINDEX TABLE CONCURRENTLY t",
        "REINDEX SCHEMA public",
        "CREATE DATABASE mgr_never",
        "DROP DATABASE mgr_never",
        "ALTER SYSTEM SET work_mem = '4MB'",
        "CREATE TABLESPACE ts LOCATION '/nonexistent'",
        "DROP TABLESPACE ts",
        "ALTER DATABASE mgr_errors SET TABLESPACE pg_default",
        "ALTER TABLE pt DETACH PARTITION pt1 CONCURRENTLY",
        "DISCARD ALL",
        "CLUSTER",
    };

    ck_exec(conn, "CREATE TABLE t (a int)");
    ck_exec(conn, "CREATE INDEX i ON t (a)");
    ck_exec(conn, "CREATE TABLE pt (a int) PARTITION BY RANGE (a)");
    ck_exec(conn, "CREATE TABLE pt1 PARTITION OF pt FOR VALUES FROM (0) "
                  "TO (10)");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_msg(nnt(cases[i], NULL, 0) == 1, "'%s'", cases[i]);
        ck_assert_int_eq(ops->begin(conn, &err), MGR_OK);
        ck_assert_msg(q(conn, cases[i]) == MGR_EDB, "'%s' ran", cases[i]);
        ck_assert_msg(strcmp(dberr.sqlstate, "25001") == 0, "'%s': %s %s",
                      cases[i], dberr.sqlstate, err.msg);
        ck_assert_int_eq(ops->rollback(conn, &err), MGR_OK);
    }
}
END_TEST

/* ---- limits -------------------------------------------------------------- */

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
    ck_assert_str_eq(sp.stmt[1], "SELECT 2");
    ck_select(conn, sp.stmt[0], "4194304");
    free(text);
}
END_TEST

START_TEST(test_limits_many_rows_and_params)
{
    static const char *params[1000];
    static char values[1000][8];
    struct mgr_buf sql = { 0, 0, mgr_buf_empty };
    struct rows r;

    rows_init(&r);
    ck_assert_int_eq(ops->query(conn, "SELECT g FROM generate_series(1, "
                                      "200000) g",
                                NULL, 0, collect, &r, NULL, &dberr, &err),
                     MGR_OK);
    ck_assert_int_eq(r.n, 200000);
    rows_release(&r);

    mock_buf_addf(&sql, "SELECT array_length(ARRAY[");
    for (int i = 0; i < 1000; i++) {
        snprintf(values[i], sizeof(values[i]), "%d", i);
        params[i] = i == 500 ? NULL : values[i];
        mock_buf_addf(&sql, "%s$%d", i ? ", " : "", i + 1);
    }
    mock_buf_addf(&sql, "]::int[], 1), (ARRAY[$1, $1000]::int[])[2]");
    rows_init(&r);
    ck_assert_int_eq(ops->query(conn, sql.buf, params, 1000, collect, &r,
                                NULL, &dberr, &err),
                     MGR_OK);
    ck_assert_str_eq(r.text.buf, "1000|999");
    rows_release(&r);
    mock_buf_release(&sql);
}
END_TEST

START_TEST(test_limits_long_identifier)
{
    char name[64];
    struct mgr_buf sql = { 0, 0, mgr_buf_empty };

    memset(name, 'N', 63);
    name[63] = '\0';
    mock_buf_addf(&sql, "CREATE TABLE ");
    ops->quote_ident(state, name, &sql);
    mock_buf_addf(&sql, " (a int)");
    ck_exec(conn, sql.buf);
    ck_assert_int_eq(exists(NULL, name), 1);
    mock_buf_release(&sql);
}
END_TEST

START_TEST(test_limits_try_lock_does_not_wait)
{
    char key[2048];
    void *b = second();
    long t0;

    ck_assert_int_eq(try_lock(conn, "k", NULL), 1);
    t0 = now_ms();
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(try_lock(b, "k", NULL), 0);
    ck_assert_int_lt(now_ms() - t0, 2000);
    /* a long key is hashed, not refused */
    memset(key, 'k', sizeof(key) - 1);
    key[sizeof(key) - 1] = '\0';
    ck_assert_int_eq(try_lock(b, key, NULL), 1);
    ck_assert_int_eq(ops->unlock(b, key, &err), MGR_OK);
}
END_TEST

START_TEST(test_limits_long_password_not_echoed)
{
    char ci[3000], pw[2049];
    void *c;

    memset(pw, 'p', sizeof(pw) - 1);
    pw[sizeof(pw) - 1] = '\0';
    snprintf(ci, sizeof(ci),
             "host=/nonexistent/mgr port=5 dbname=x password=%s", pw);
    ck_assert_int_eq(ops->connect(state, ci, &c, &err), MGR_ECONN);
    ck_assert_ptr_null(strstr(err.msg, "pppppppp"));
}
END_TEST

/* ---- suite --------------------------------------------------------------- */

/* ---- lock timeouts and signals (ABI 1.4) -------------------------------- */

/* A libpq session named 'blocker' holding t in ACCESS EXCLUSIVE mode, in
 * a transaction left open; its pid in pid. */
static PGconn *hold_table(char *pid, size_t size)
{
    char info[700];
    PGconn *b;
    PGresult *res;

    snprintf(info, sizeof(info), "%s application_name=blocker", conninfo);
    b = PQconnectdb(info);
    ck_assert_msg(PQstatus(b) == CONNECTION_OK, "%s", PQerrorMessage(b));
    PQclear(PQexec(b, "BEGIN"));
    res = PQexec(b, "LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
    ck_assert_int_eq(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    snprintf(pid, size, "pid %d ", PQbackendPID(b));
    return b;
}

START_TEST(test_lock_timeout_names_blocker)
{
    char pid[32];
    PGconn *b;
    long t0, ms;
    int rc;

    ck_exec(conn, "CREATE TABLE t (a int)");
    b = hold_table(pid, sizeof(pid));
    ck_assert_int_eq(ops->set_lock_timeout(conn, 500, &err), MGR_OK);
    t0 = now_ms();
    rc = q(conn, "SELECT * FROM t");
    ms = now_ms() - t0;
    ck_assert_msg(rc == MGR_ELOCKTIMEOUT, "%d: %s", rc, err.msg);
    ck_assert_msg(ms >= 450 && ms < 1500, "gave up after %ld ms", ms);
    ck_assert_str_eq(dberr.sqlstate, "55P03");
    ck_assert_msg(strstr(err.msg, "waited 500ms for a lock held by ") &&
                      strstr(err.msg, pid) &&
                      strstr(err.msg, "application_name 'blocker'") &&
                      strstr(err.msg, "LOCK TABLE t IN ACCESS EXCLUSIVE"),
                  "%s", err.msg);
    /* NOWAIT fails at once with the same SQLSTATE: no lock timeout. */
    ck_assert_int_eq(ops->begin(conn, &err), MGR_OK);
    ck_assert_int_eq(q(conn, "LOCK TABLE t IN SHARE MODE NOWAIT"), MGR_EDB);
    ck_assert_str_eq(dberr.sqlstate, "55P03");
    ck_assert_int_eq(ops->rollback(conn, &err), MGR_OK);
    /* Set inside a transaction that rolls back: still set after it. */
    ck_assert_int_eq(ops->set_lock_timeout(conn, 0, &err), MGR_OK);
    ck_assert_int_eq(ops->begin(conn, &err), MGR_OK);
    ck_assert_int_eq(ops->set_lock_timeout(conn, 300, &err), MGR_OK);
    ck_assert_int_eq(ops->rollback(conn, &err), MGR_OK);
    ck_select(conn, "SHOW lock_timeout", "300ms");
    ck_assert_int_eq(q(conn, "SELECT * FROM t"), MGR_ELOCKTIMEOUT);
    /* 0: no limit of ours (the server's default again). */
    ck_assert_int_eq(ops->set_lock_timeout(conn, 0, &err), MGR_OK);
    ck_select(conn, "SHOW lock_timeout", "0");
    PQfinish(b);
}
END_TEST

static void on_alarm(int sig)
{
    (void)sig;
    mock_interrupt_signal = SIGTERM;
}

START_TEST(test_signal_cancels_statement)
{
    long t0, ms;

    /* The signal comes while the statement runs (a cancel that reaches
     * the server before the statement does is dropped by it). */
    signal(SIGALRM, on_alarm);
    ualarm(300000, 0);
    t0 = now_ms();
    ck_assert_int_eq(q(conn, "SELECT pg_sleep(30)"), MGR_EDB);
    ms = now_ms() - t0;
    ck_assert_str_eq(dberr.sqlstate, "57014");
    ck_assert_msg(ms >= 250 && ms < 1300, "took %ld ms", ms);
    /* The connection stays usable for the rollback. */
    ck_select(conn, "SELECT 1", "1");
}
END_TEST

START_TEST(test_signal_closes_silent_server)
{
    char pid[32];
    long t0, ms;
    int rc;

    select_text(conn, "SELECT pg_backend_pid()", pid, sizeof(pid));
    ck_assert_int_eq(kill((pid_t)atol(pid), SIGSTOP), 0);
    mock_interrupt_signal = SIGINT;
    t0 = now_ms();
    rc = q(conn, "SELECT 1");
    ms = now_ms() - t0;
    kill((pid_t)atol(pid), SIGCONT);
    ck_assert_msg(rc == MGR_EINTR, "%d: %s", rc, err.msg);
    ck_assert_msg(ms >= 900 && ms < 1600, "took %ld ms", ms);
    ck_assert_ptr_nonnull(strstr(err.msg, "did not answer the cancel"));
    /* Closed: later calls fail cleanly. */
    ck_assert_int_eq(q(conn, "SELECT 1"), MGR_ECONN);
    ck_assert_int_eq(ops->rollback(conn, &err), MGR_ECONN);
}
END_TEST

START_TEST(test_connect_opts_read_only)
{
    struct mgr_connect_options o = { sizeof(o), 5000,
                                     MGR_CONNECT_READ_ONLY };
    void *ro = NULL;

    ck_assert_msg(ops->connect_opts(state, conninfo, &o, &ro, &err) ==
                      MGR_OK,
                  "%s", err.msg);
    ck_assert_int_eq(ops->query(ro, "CREATE TABLE w (a int)", NULL, 0, NULL,
                                NULL, NULL, &dberr, &err),
                     MGR_EDB);
    ck_assert_str_eq(dberr.sqlstate, "25006");
    ops->close(ro);
}
END_TEST

static Suite *dialect_postgresql_suite(void)
{
    Suite *s = suite_create("dialect_postgresql");
    TCase *tc = tcase_create("core");

    tcase_add_unchecked_fixture(tc, core_db, drop_database);
    tcase_add_checked_fixture(tc, setup, split_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_connect_conninfo_session_settings);
    tcase_add_test(tc, test_connect_url_forms);
    tcase_add_test(tc, test_connect_user_application_name_wins);
    tcase_add_test(tc, test_connect_password_role);
    tcase_add_test(tc, test_query_params_nulls_rows);
    tcase_add_test(tc, test_query_row_callback_stops);
    tcase_add_test(tc, test_query_affected);
    tcase_add_test(tc, test_server_notices_logged);
    tcase_add_test(tc, test_transactional_ddl_rollback);
    tcase_add_test(tc, test_commit_persists);
    tcase_add_test(tc, test_table_exists);
    tcase_add_test(tc, test_quote_hostile_round_trip);
    tcase_add_test(tc, test_try_lock_conflict_names_holder);
    tcase_add_test(tc, test_try_lock_free_when_holder_session_ends);
    tcase_add_test(tc, test_lock_same_key_twice_is_one_lock);
    tcase_add_test(tc, test_lock_is_per_database);
    tcase_add_test(tc, test_lock_check);
    tcase_add_test(tc, test_split_b8);
    tcase_add_test(tc, test_split_begin_atomic);
    tcase_add_test(tc, test_split_parentheses_and_rules);
    tcase_add_test(tc, test_split_lexical_corners);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_unchecked_fixture(tc, errors_db, drop_database);
    tcase_add_checked_fixture(tc, setup, split_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_connect_unreachable);
    tcase_add_test(tc, test_connect_bad_password);
    tcase_add_test(tc, test_connect_no_such_database);
    tcase_add_test(tc, test_connect_invalid_url);
    tcase_add_test(tc, test_query_error_fields);
    tcase_add_test(tc, test_query_one_statement_only);
    tcase_add_test(tc, test_query_copy_refused);
    tcase_add_test(tc, test_query_connection_lost);
    tcase_add_test(tc, test_query_too_many_params);
    tcase_add_test(tc, test_commit_after_failed_statement);
    tcase_add_test(tc, test_commit_deferred_constraint_fails);
    tcase_add_test(tc, test_transaction_misuse);
    tcase_add_test(tc, test_unlock_not_held);
    tcase_add_test(tc, test_lock_check_not_held);
    tcase_add_test(tc, test_lock_lost);
    tcase_add_test(tc, test_lock_inside_transaction_refused);
    tcase_add_test(tc, test_lock_other_key_while_holding);
    tcase_add_test(tc, test_lock_connection_lost);
    tcase_add_test(tc, test_needs_no_transaction_matches_server);
    tcase_add_test(tc, test_lock_timeout_names_blocker);
    tcase_add_test(tc, test_signal_cancels_statement);
    tcase_add_test(tc, test_signal_closes_silent_server);
    tcase_add_test(tc, test_connect_opts_read_only);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_unchecked_fixture(tc, limits_db, drop_database);
    tcase_add_checked_fixture(tc, setup, split_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_limits_huge_literal);
    tcase_add_test(tc, test_limits_many_rows_and_params);
    tcase_add_test(tc, test_limits_long_identifier);
    tcase_add_test(tc, test_limits_try_lock_does_not_wait);
    tcase_add_test(tc, test_limits_long_password_not_echoed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    static const char *const roles[] = {
        "CREATE ROLE mgr_password_auth NOLOGIN",
        "CREATE ROLE " PW_ROLE " LOGIN PASSWORD '" PW_GOOD
        "' IN ROLE mgr_password_auth",
        NULL,
    };

    return harness_main("check_dialect_postgresql",
                        dialect_postgresql_suite, roles);
}
