/*
 * check_dialect_sqlite.c: the SQLite dialect plugin, driven through its
 * descriptor with a mock host API. Databases live in a mkdtemp()
 * directory removed after each test.
 */
#include "autoconfig.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include <migrator/plugin.h>

#include "mock_host.h"
#include "sqlite.h"

const struct mgr_plugin *mgr_plugin_entry(void);

/* ---- fixtures ----------------------------------------------------------- */

/* The shared mock host (mock_host.h); filled by setup(). */
static struct mgr_host_api api;

static char dir[PATH_MAX];
static char cwd[PATH_MAX];
static const struct mgr_dialect_ops *ops;
static void *state;
static struct mgr_error err;
static struct mgr_db_error dberr;

static void setup(void)
{
    const struct mgr_plugin *p = mgr_plugin_entry();
    const char *tmp = getenv("TMPDIR");
    char made[PATH_MAX];

    snprintf(made, sizeof(made), "%s/check_dialect_sqlite.XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(made));
    /* SQLite names databases by their resolved path. */
    ck_assert_ptr_nonnull(realpath(made, dir));
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));

    ck_assert_int_eq(p->kind, MGR_PLUGIN_DIALECT);
    ck_assert_str_eq(p->name, "sqlite");
    mock_host_api_init(&api);
    api.meta_add = mock_unused_meta_add;
    api.exec_section_begin = mock_unused_exec_section_begin;
    api.exec_sql = mock_unused_exec_sql;
    ck_assert_int_eq(p->init(&api, NULL, &state, &err), MGR_OK);
    ops = p->ops;
    memset(&err, 0, sizeof(err));
    memset(&dberr, 0, sizeof(dberr));
    mock_host_reset();
}

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char sub[PATH_MAX + 256];

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        struct stat sb;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
        if (lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
            remove_tree(sub);
        else
            unlink(sub);
    }
    closedir(d);
    rmdir(path);
}

static void teardown(void)
{
    ck_assert_int_eq(chdir(cwd), 0);
    mgr_plugin_entry()->fini(state);
    remove_tree(dir);
}

/* "<dir>/<name>" */
static const char *in_dir(const char *name)
{
    static char path[2][PATH_MAX + 256];
    static int which;

    which ^= 1;
    snprintf(path[which], sizeof(path[which]), "%s/%s", dir, name);
    return path[which];
}

/* "sqlite:///<dir>/<name>" */
static const char *url_of(const char *name)
{
    static char url[PATH_MAX + 300];

    snprintf(url, sizeof(url), "sqlite:///%s", in_dir(name));
    return url;
}

static struct sq_conn *open_url(const char *url)
{
    void *conn = NULL;
    int rc = ops->connect(state, url, &conn, &err);

    ck_assert_msg(rc == MGR_OK, "connect '%s': %d %s", url, rc, err.msg);
    ck_assert_ptr_nonnull(conn);
    return conn;
}

static struct sq_conn *open_db(const char *name)
{
    return open_url(url_of(name));
}

static int q(struct sq_conn *c, const char *sql)
{
    return ops->query(c, sql, NULL, 0, NULL, NULL, NULL, &dberr, &err);
}

#define ck_assert_q(c, sql)                                             \
    do {                                                                \
        int rc_ = q((c), (sql));                                        \
        ck_assert_msg(rc_ == MGR_OK, "'%s': %d %s", (sql), rc_,         \
                      err.msg);                                         \
    } while (0)

#define ck_assert_msg_has(needle)                                       \
    ck_assert_msg(strstr(err.msg, (needle)) != NULL,                    \
                  "error message\n  '%s'\nlacks\n  '%s'", err.msg,      \
                  (needle))

/* Collects the rows of a query: names and values joined with '|'. */
struct rows {
    int n;
    size_t ncols;
    char names[256];
    char text[4096];
    int nulls; /* NULL values seen */
    int stop_after; /* return MGR_ECHECK after this many rows; 0: never */
};

static int collect(void *ctx, size_t ncols, const char *const *names,
                   const char *const *values)
{
    struct rows *r = ctx;
    size_t len;

    r->n++;
    r->ncols = ncols;
    r->names[0] = '\0';
    for (size_t i = 0; i < ncols; i++) {
        len = strlen(r->names);
        snprintf(r->names + len, sizeof(r->names) - len, "%s%s",
                 i ? "|" : "", names[i]);
    }
    for (size_t i = 0; i < ncols; i++) {
        len = strlen(r->text);
        if (!values[i])
            r->nulls++;
        snprintf(r->text + len, sizeof(r->text) - len, "%s%s",
                 i ? "|" : (r->n > 1 ? ";" : ""),
                 values[i] ? values[i] : "<null>");
    }
    if (r->stop_after && r->n >= r->stop_after)
        return MGR_ECHECK;
    return MGR_OK;
}

/* The single value of a one-row query, into a static buffer. */
static const char *value_of(struct sq_conn *c, const char *sql)
{
    static struct rows r;
    int rc;

    memset(&r, 0, sizeof(r));
    rc = ops->query(c, sql, NULL, 0, collect, &r, NULL, NULL, &err);
    ck_assert_msg(rc == MGR_OK, "'%s': %s", sql, err.msg);
    ck_assert_int_eq(r.n, 1);
    return r.text;
}

static int table_exists(struct sq_conn *c, const char *schema,
                        const char *table)
{
    int exists = -1;

    ck_assert_int_eq(ops->table_exists(c, schema, table, &exists, &err),
                     MGR_OK);
    ck_assert(exists == 0 || exists == 1);
    return exists;
}

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int file_exists(const char *path)
{
    struct stat sb;

    return lstat(path, &sb) == 0;
}

/* ---- split: a recorder -------------------------------------------------- */

#define MAX_STMTS 64

struct stmts {
    int n;
    char *text[MAX_STMTS];
    int line[MAX_STMTS];
    int fail_at; /* return MGR_EDB on this call (1-based); 0: never */
    struct sq_conn *run_on; /* run each statement here when set */
};

static int record(void *ctx, const char *stmt, size_t len, int line,
                  struct mgr_error *e)
{
    struct stmts *s = ctx;
    int i = s->n++;

    ck_assert_int_lt(i, MAX_STMTS);
    s->text[i] = mock_alloc(len + 1);
    memcpy(s->text[i], stmt, len);
    s->text[i][len] = '\0';
    s->line[i] = line;
    if (s->fail_at == s->n)
        return mock_error_set(e, MGR_EDB, "refused at %d", line);
    if (s->run_on) {
        int rc = ops->query(s->run_on, s->text[i], NULL, 0, NULL, NULL,
                            NULL, &dberr, e);

        if (rc != MGR_OK) {
            char msg[MGR_ERROR_SIZE];

            snprintf(msg, sizeof(msg), "%s", e->msg);
            mock_error_set(e, rc, "%d: %s", line, msg);
            return rc;
        }
    }
    return MGR_OK;
}

static void stmts_free(struct stmts *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->text[i]);
    memset(s, 0, sizeof(*s));
}

static int split(const char *text, int first_line, struct stmts *s)
{
    return ops->split(state, text, strlen(text), first_line, record, s,
                      &err);
}

#define ck_assert_stmt(s, i, t, l)                                      \
    do {                                                                \
        ck_assert_int_gt((s)->n, (i));                                  \
        ck_assert_str_eq((s)->text[(i)], (t));                          \
        ck_assert_int_eq((s)->line[(i)], (l));                          \
    } while (0)

/* ---- descriptor --------------------------------------------------------- */

START_TEST(test_descriptor)
{
    const struct mgr_plugin *p = mgr_plugin_entry();

    ck_assert_uint_eq(p->abi_version, MGR_ABI_VERSION);
    ck_assert_uint_eq(p->size, sizeof(struct mgr_plugin));
    ck_assert_uint_eq(ops->size, sizeof(struct mgr_dialect_ops));
    ck_assert_str_eq(ops->schemes[0], "sqlite");
    ck_assert_ptr_null(ops->schemes[1]);
    ck_assert_int_eq(ops->transactional_ddl, 1);
    ck_assert_str_eq(ops->version_column_type, "VARCHAR(32)");
    ck_assert(ops->connect && ops->close && ops->query && ops->begin &&
              ops->commit && ops->rollback && ops->unlock &&
              ops->quote_ident && ops->quote_literal && ops->split &&
              ops->needs_no_transaction && ops->table_exists &&
              ops->lock_check);
    /* ABI 1.1: one attempt; the host owns the wait. */
    ck_assert(MGR_OPS_HAS(ops, struct mgr_dialect_ops, try_lock));
    ck_assert_ptr_nonnull(ops->try_lock);
    ck_assert_ptr_null(ops->lock);
    /* ABI 1.2: the schema operations, all four (check_sqlite_schema
     * tests what they do). */
    ck_assert_uint_ge(MGR_ABI_MINOR_OF(p->abi_version), 2);
    ck_assert(MGR_OPS_HAS(ops, struct mgr_dialect_ops, scratch_close));
    ck_assert(ops->introspect && ops->render && ops->scratch_open &&
              ops->scratch_close);
    /* ABI 1.4: connect_opts; no set_lock_timeout (the busy timeout is
     * the lock wait). */
    ck_assert(MGR_OPS_HAS(ops, struct mgr_dialect_ops, set_lock_timeout));
    ck_assert_ptr_nonnull(ops->connect_opts);
    ck_assert_ptr_null(ops->set_lock_timeout);
}
END_TEST

/* ---- URLs --------------------------------------------------------------- */

START_TEST(test_url_absolute)
{
    struct sq_conn *c = open_db("abs.db");

    ck_assert_str_eq(c->path, in_dir("abs.db"));
    ck_assert_q(c, "CREATE TABLE t(x)");
    ops->close(c);
    ck_assert(file_exists(in_dir("abs.db")));
    c = open_db("abs.db");
    ck_assert_int_eq(table_exists(c, NULL, "t"), 1);
    ops->close(c);
}
END_TEST

/* ABI 1.4: connect_opts opens read-only with MGR_CONNECT_READ_ONLY (a
 * missing file stays missing: an empty database is read instead),
 * read-write without. */
START_TEST(test_connect_opts)
{
    struct mgr_connect_options o = { sizeof(o), 1000,
                                     MGR_CONNECT_READ_ONLY };
    void *c = NULL;

    ck_assert_int_eq(ops->connect_opts(state, url_of("ro.db"), &o, &c, &err),
                     MGR_OK);
    ck_assert_int_eq(table_exists(c, NULL, "t"), 0);
    ops->close(c);
    ck_assert(!file_exists(in_dir("ro.db")));
    o.flags = 0;
    ck_assert_int_eq(ops->connect_opts(state, url_of("ro.db"), &o, &c, &err),
                     MGR_OK);
    ck_assert_q(c, "CREATE TABLE t(x)");
    ops->close(c);
    o.flags = MGR_CONNECT_READ_ONLY;
    ck_assert_int_eq(ops->connect_opts(state, url_of("ro.db"), &o, &c, &err),
                     MGR_OK);
    ck_assert_int_eq(q(c, "INSERT INTO t VALUES (1)"), MGR_EDB);
    ops->close(c);
}
END_TEST

START_TEST(test_url_relative_to_working_directory)
{
    struct sq_conn *c;

    ck_assert_int_eq(mkdir(in_dir("sub"), 0700), 0);
    ck_assert_int_eq(chdir(dir), 0);
    c = open_url("sqlite:///sub/rel.db");
    ck_assert_str_eq(c->path, in_dir("sub/rel.db"));
    ck_assert_q(c, "CREATE TABLE t(x)");
    ops->close(c);
    ck_assert(file_exists(in_dir("sub/rel.db")));
}
END_TEST

START_TEST(test_url_memory_forms)
{
    static const char *const urls[] = {
        "sqlite://", "sqlite:///:memory:", "sqlite:///", "SQLite://",
    };
    DIR *d;
    struct dirent *e;
    int entries = 0;

    ck_assert_int_eq(chdir(dir), 0);
    for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
        struct sq_conn *a = open_url(urls[i]), *b = open_url(urls[i]);

        ck_assert_ptr_null(a->path);
        ck_assert_q(a, "CREATE TABLE t(x)");
        /* Each memory database is private to its connection. */
        ck_assert_int_eq(table_exists(a, NULL, "t"), 1);
        ck_assert_int_eq(table_exists(b, NULL, "t"), 0);
        ops->close(a);
        ops->close(b);
    }
    /* Nothing was written to the working directory. */
    d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL)
        entries += e->d_name[0] != '.';
    closedir(d);
    ck_assert_int_eq(entries, 0);
}
END_TEST

START_TEST(test_url_driver_suffix_and_case)
{
    char url[PATH_MAX * 2];
    struct sq_conn *c;

    snprintf(url, sizeof(url), "sqlite+pysqlite:///%s", in_dir("d.db"));
    c = open_url(url);
    ck_assert_str_eq(c->path, in_dir("d.db"));
    ops->close(c);
    snprintf(url, sizeof(url), "SQLITE:///%s", in_dir("e.db"));
    c = open_url(url);
    ck_assert_str_eq(c->path, in_dir("e.db"));
    ops->close(c);
}
END_TEST

START_TEST(test_url_uri_parameters)
{
    char url[PATH_MAX * 2];
    struct sq_conn *c = open_db("ro.db");

    ck_assert_q(c, "CREATE TABLE t(x)");
    ck_assert_q(c, "INSERT INTO t VALUES (7)");
    ops->close(c);
    snprintf(url, sizeof(url), "%s?mode=ro", url_of("ro.db"));
    c = open_url(url);
    ck_assert_str_eq(value_of(c, "SELECT x FROM t"), "7");
    ck_assert_int_eq(q(c, "INSERT INTO t VALUES (8)"), MGR_EDB);
    ck_assert_msg_has("readonly");
    ops->close(c);
}
END_TEST

START_TEST(test_url_path_is_literal)
{
    char url[PATH_MAX * 2];
    struct sq_conn *c;

    /* No percent-decoding, with or without URI parameters. */
    c = open_db("p%41.db");
    ops->close(c);
    ck_assert(file_exists(in_dir("p%41.db")));
    ck_assert(!file_exists(in_dir("pA.db")));
    snprintf(url, sizeof(url), "%s?cache=private", url_of("q%41#1.db"));
    c = open_url(url);
    ck_assert_str_eq(c->path, in_dir("q%41#1.db"));
    ops->close(c);
    ck_assert(file_exists(in_dir("q%41#1.db")));
}
END_TEST

START_TEST(test_url_bad)
{
    static const struct {
        const char *url;
        const char *msg;
    } cases[] = {
        { "postgresql://u@h/db", "'postgresql://' is not a SQLite URL" },
        { "sqlite:x.db", "not a SQLite URL (no '://')" },
        { "", "not a SQLite URL" },
        { "sqlite://host/x.db", "names a host ('host')" },
        { "sqlite:///x.db?foo=1", "unknown parameter 'foo'" },
        { "sqlite:///x.db?mode", "parameter 'mode' of the SQLite URL has "
                                 "no value" },
        { "sqlite:///x.db?mode=ro&timeout=5", "unknown parameter "
                                              "'timeout'" },
    };

    ck_assert_int_eq(chdir(dir), 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        void *conn = (void *)1;

        ck_assert_int_eq(ops->connect(state, cases[i].url, &conn, &err),
                         MGR_ECONFIG);
        ck_assert_ptr_null(conn);
        ck_assert_msg_has(cases[i].msg);
    }
    ck_assert(!file_exists(in_dir("x.db")));
}
END_TEST

START_TEST(test_url_open_failure_names_path)
{
    void *conn = NULL;
    char want[PATH_MAX + 300];

    ck_assert_int_eq(ops->connect(state, url_of("missing/x.db"), &conn,
                                  &err),
                     MGR_EDB);
    ck_assert_ptr_null(conn);
    snprintf(want, sizeof(want), "cannot open SQLite database '%s': ",
             in_dir("missing/x.db"));
    ck_assert_msg_has(want);
    ck_assert_msg_has("unable to open database file");
    ck_assert_msg_has(strerror(ENOENT));
}
END_TEST

START_TEST(test_url_not_a_database)
{
    FILE *f = fopen(in_dir("junk.db"), "w");
    void *conn = NULL;
    char want[PATH_MAX + 300];

    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 200; i++)
        fputs("this is not a database file. ", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(ops->connect(state, url_of("junk.db"), &conn, &err),
                     MGR_EDB);
    ck_assert_ptr_null(conn);
    snprintf(want, sizeof(want),
             "cannot open SQLite database '%s': file is not a database",
             in_dir("junk.db"));
    ck_assert_str_eq(err.msg, want);
}
END_TEST

/* ---- query -------------------------------------------------------------- */

START_TEST(test_query_params_nulls_and_rows)
{
    struct sq_conn *c = open_db("q.db");
    const char *params[3] = { "1", NULL, "it's; fine" };
    struct rows r;
    long affected = 99;

    ck_assert_q(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, "
                   "note TEXT)");
    ck_assert_int_eq(ops->query(c, "INSERT INTO t VALUES ($1, $2, $3)",
                                params, 3, NULL, NULL, &affected, &dberr,
                                &err),
                     MGR_OK);
    ck_assert_int_eq(affected, 1);
    params[0] = "2";
    params[1] = "bob";
    ck_assert_int_eq(ops->query(c, "INSERT INTO t VALUES (?, ?, ?)",
                                params, 3, NULL, NULL, &affected, &dberr,
                                &err),
                     MGR_OK);
    ck_assert_int_eq(affected, 1);

    memset(&r, 0, sizeof(r));
    ck_assert_int_eq(ops->query(c, "SELECT id, name AS who, note FROM t "
                                   "ORDER BY id",
                                NULL, 0, collect, &r, &affected, &dberr,
                                &err),
                     MGR_OK);
    ck_assert_int_eq(r.n, 2);
    ck_assert_uint_eq(r.ncols, 3);
    ck_assert_str_eq(r.names, "id|who|note");
    ck_assert_str_eq(r.text, "1|<null>|it's; fine;2|bob|it's; fine");
    ck_assert_int_eq(r.nulls, 1);
    /* A SELECT changes nothing, whatever the INSERT before it did. */
    ck_assert_int_eq(affected, 0);

    /* Numbered and repeated parameters; a bound text compares with an
     * INTEGER column by its affinity. */
    params[0] = "bob";
    params[1] = "2";
    memset(&r, 0, sizeof(r));
    ck_assert_int_eq(ops->query(c, "SELECT ?2 + 0, id FROM t WHERE id = $2 "
                                   "AND name = ?1 AND $1 = name",
                                params, 2, collect, &r, NULL, &dberr, &err),
                     MGR_OK);
    ck_assert_int_eq(r.n, 1);
    ck_assert_str_eq(r.text, "2|2");
    ops->close(c);
}
END_TEST

START_TEST(test_query_affected_counts)
{
    struct sq_conn *c = open_db("a.db");
    long affected = 99;

    ck_assert_q(c, "CREATE TABLE t(x INTEGER)");
    ck_assert_q(c, "CREATE TABLE log(x INTEGER)");
    ck_assert_q(c, "CREATE TRIGGER tr AFTER UPDATE ON t BEGIN "
                   "INSERT INTO log VALUES (new.x); "
                   "INSERT INTO log VALUES (new.x); END");
    ck_assert_int_eq(ops->query(c, "INSERT INTO t VALUES (1), (2), (3)",
                                NULL, 0, NULL, NULL, &affected, NULL, &err),
                     MGR_OK);
    ck_assert_int_eq(affected, 3);
    /* Rows changed by triggers do not count. */
    ck_assert_int_eq(ops->query(c, "UPDATE t SET x = x + 10 WHERE x < 3",
                                NULL, 0, NULL, NULL, &affected, NULL, &err),
                     MGR_OK);
    ck_assert_int_eq(affected, 2);
    ck_assert_str_eq(value_of(c, "SELECT count(*) FROM log"), "4");
    ck_assert_int_eq(ops->query(c, "UPDATE t SET x = 0 WHERE x = 99", NULL,
                                0, NULL, NULL, &affected, NULL, &err),
                     MGR_OK);
    ck_assert_int_eq(affected, 0);
    ck_assert_int_eq(ops->query(c, "CREATE TABLE u(y)", NULL, 0, NULL, NULL,
                                &affected, NULL, &err),
                     MGR_OK);
    ck_assert_int_eq(affected, 0);
    ck_assert_int_eq(ops->query(c, "DELETE FROM t", NULL, 0, NULL, NULL,
                                &affected, NULL, &err),
                     MGR_OK);
    ck_assert_int_eq(affected, 3);
    ops->close(c);
}
END_TEST

START_TEST(test_query_row_callback_stops)
{
    struct sq_conn *c = open_url("sqlite://");
    struct rows r;

    memset(&r, 0, sizeof(r));
    r.stop_after = 2;
    ck_assert_int_eq(ops->query(c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION "
                                   "ALL SELECT i + 1 FROM n WHERE i < 10) "
                                   "SELECT i FROM n",
                                NULL, 0, collect, &r, NULL, &dberr, &err),
                     MGR_ECHECK);
    ck_assert_int_eq(r.n, 2);
    ck_assert_str_eq(r.text, "1;2");
    /* Rows with no callback are discarded. */
    ck_assert_q(c, "SELECT 1 UNION ALL SELECT 2");
    ops->close(c);
}
END_TEST

START_TEST(test_query_comment_only)
{
    struct sq_conn *c = open_url("sqlite://");
    long affected = 99;

    ck_assert_int_eq(ops->query(c, "  -- nothing\n/* at all */ ", NULL, 0,
                                NULL, NULL, &affected, &dberr, &err),
                     MGR_OK);
    ck_assert_int_eq(affected, 0);
    /* A trailing ';' and comment are not a second statement. */
    ck_assert_str_eq(value_of(c, "SELECT 5; -- done"), "5");
    ck_assert_str_eq(value_of(c, "SELECT 6 ;;\n/* end */\n"), "6");
    ops->close(c);
}
END_TEST

/* ---- query: errors ------------------------------------------------------ */

START_TEST(test_query_syntax_error)
{
    struct sq_conn *c = open_url("sqlite://");

    memset(&dberr, 0x55, sizeof(dberr));
    ck_assert_int_eq(q(c, "SELECT 1,\n  FROM nowhere"), MGR_EDB);
    ck_assert_str_eq(err.msg, "near \"FROM\": syntax error");
    ck_assert_int_eq(dberr.code, SQLITE_ERROR);
    ck_assert_str_eq(dberr.sqlstate, "");
    ck_assert_str_eq(dberr.detail, "");
    ck_assert_str_eq(dberr.hint, "");
#if SQLITE_VERSION_NUMBER >= 3038000
    ck_assert_int_eq(dberr.offset, 12);
#endif
    ck_assert_int_eq(q(c, "SELECT * FROM nowhere"), MGR_EDB);
    ck_assert_str_eq(err.msg, "no such table: nowhere");
    /* The connection stays usable. */
    ck_assert_str_eq(value_of(c, "SELECT 'ok'"), "ok");
    ops->close(c);
}
END_TEST

START_TEST(test_query_constraint_errors)
{
    struct sq_conn *c = open_url("sqlite://");

    ck_assert_q(c, "CREATE TABLE u(id INTEGER PRIMARY KEY, k TEXT UNIQUE)");
    ck_assert_q(c, "INSERT INTO u VALUES (1, 'a')");
    ck_assert_int_eq(q(c, "INSERT INTO u VALUES (1, 'b')"), MGR_EDB);
    ck_assert_str_eq(err.msg, "UNIQUE constraint failed: u.id");
    ck_assert_int_eq(dberr.code, SQLITE_CONSTRAINT_PRIMARYKEY);
    ck_assert_int_eq(q(c, "INSERT INTO u VALUES (2, 'a')"), MGR_EDB);
    ck_assert_str_eq(err.msg, "UNIQUE constraint failed: u.k");
    ck_assert_int_eq(dberr.code, SQLITE_CONSTRAINT_UNIQUE);
    ck_assert_str_eq(value_of(c, "SELECT count(*) FROM u"), "1");
    ops->close(c);
}
END_TEST

START_TEST(test_query_one_statement_only)
{
    struct sq_conn *c = open_url("sqlite://");

    ck_assert_q(c, "CREATE TABLE t(x)");
    ck_assert_int_eq(q(c, "INSERT INTO t VALUES (1); "
                          "INSERT INTO t VALUES (2)"),
                     MGR_EDB);
    ck_assert_msg_has("more than one statement");
    ck_assert_int_eq(dberr.offset, 26);
    /* Refused before anything ran. */
    ck_assert_str_eq(value_of(c, "SELECT count(*) FROM t"), "0");
    ck_assert_int_eq(q(c, "SELECT 1; -- c\n SELECT 2"), MGR_EDB);
    ck_assert_msg_has("more than one statement");
    ops->close(c);
}
END_TEST

START_TEST(test_query_param_mismatch)
{
    struct sq_conn *c = open_url("sqlite://");
    const char *params[2] = { "a", "b" };

    ck_assert_int_eq(ops->query(c, "SELECT $2", params, 1, NULL, NULL,
                                NULL, &dberr, &err),
                     MGR_EDB);
    ck_assert_str_eq(err.msg, "the statement uses parameter $2 but 1 was "
                              "given");
    ck_assert_int_eq(ops->query(c, "SELECT ?, ?, ?", params, 2, NULL, NULL,
                                NULL, &dberr, &err),
                     MGR_EDB);
    ck_assert_str_eq(err.msg, "the statement uses parameter ?3 but 2 were "
                              "given");
    ck_assert_int_eq(ops->query(c, "SELECT $1", params, 2, NULL, NULL, NULL,
                                &dberr, &err),
                     MGR_EDB);
    ck_assert_str_eq(err.msg, "2 parameters given but the statement does "
                              "not use $2");
    ck_assert_int_eq(ops->query(c, "SELECT :name", params, 1, NULL, NULL,
                                NULL, &dberr, &err),
                     MGR_EDB);
    ck_assert_msg_has("unsupported parameter ':name'");
    ck_assert_int_eq(ops->query(c, "SELECT $1", NULL, 0, NULL, NULL, NULL,
                                &dberr, &err),
                     MGR_EDB);
    ck_assert_msg_has("parameter $1 but 0 were given");
    ops->close(c);
}
END_TEST

/* ---- transactions ------------------------------------------------------- */

START_TEST(test_transaction_commit_and_rollback)
{
    struct sq_conn *c = open_db("tx.db");

    ck_assert_q(c, "CREATE TABLE t(x)");
    ck_assert_int_eq(ops->begin(c, &err), MGR_OK);
    ck_assert_int_eq(sqlite3_get_autocommit(c->db), 0);
    ck_assert_q(c, "INSERT INTO t VALUES (1)");
    ck_assert_int_eq(ops->rollback(c, &err), MGR_OK);
    ck_assert_str_eq(value_of(c, "SELECT count(*) FROM t"), "0");
    ck_assert_int_eq(ops->begin(c, &err), MGR_OK);
    ck_assert_q(c, "INSERT INTO t VALUES (2)");
    ck_assert_int_eq(ops->commit(c, &err), MGR_OK);
    ck_assert_int_eq(sqlite3_get_autocommit(c->db), 1);
    ck_assert_str_eq(value_of(c, "SELECT group_concat(x) FROM t"), "2");
    /* Nothing to roll back is not an error; nothing to commit is. */
    ck_assert_int_eq(ops->rollback(c, &err), MGR_OK);
    ck_assert_int_eq(ops->commit(c, &err), MGR_EDB);
    ck_assert_msg_has("no transaction is active");
    /* A transaction inside a transaction is refused. */
    ck_assert_int_eq(ops->begin(c, &err), MGR_OK);
    ck_assert_int_eq(ops->begin(c, &err), MGR_EDB);
    ck_assert_msg_has("within a transaction");
    ck_assert_int_eq(ops->rollback(c, &err), MGR_OK);
    ops->close(c);
}
END_TEST

/* reliability §2 S1: SQLite DDL is transactional. */
START_TEST(test_transactional_ddl_rollback)
{
    struct sq_conn *c = open_db("s1.db");

    ck_assert_int_eq(ops->begin(c, &err), MGR_OK);
    ck_assert_q(c, "CREATE TABLE a(x)");
    ck_assert_q(c, "CREATE INDEX ix_a ON a(x)");
    ck_assert_int_eq(q(c, "CREATE TABLE a(x)"), MGR_EDB);
    ck_assert_str_eq(err.msg, "table a already exists");
    ck_assert_int_eq(ops->rollback(c, &err), MGR_OK);
    ck_assert_int_eq(table_exists(c, NULL, "a"), 0);
    ck_assert_str_eq(value_of(c, "SELECT count(*) FROM sqlite_master"),
                     "0");
    ops->close(c);
}
END_TEST

/* reliability §2 S5: BEGIN IMMEDIATE makes a second writer wait for the
 * busy timeout, then fail as locked; readers go on. */
START_TEST(test_begin_immediate_blocks_writers)
{
    struct sq_conn *a = open_db("s5.db"), *b = open_db("s5.db");
    long t0, waited;

    ck_assert_q(a, "CREATE TABLE t(x)");
    ck_assert_int_eq(ops->begin(a, &err), MGR_OK);
    ck_assert_q(a, "INSERT INTO t VALUES (1)");
    ck_assert_int_eq(b->busy_ms, SQ_BUSY_DEFAULT_MS);
    /* A shorter busy timeout than the default keeps the test quick. */
    sqlite3_busy_timeout(b->db, 200);
    b->busy_ms = 200;
    t0 = now_ms();
    ck_assert_int_eq(ops->begin(b, &err), MGR_ELOCKED);
    waited = now_ms() - t0;
    ck_assert_str_eq(err.msg, "database is locked (waited 200 ms)");
    ck_assert_int_ge(waited, 150);
    ck_assert_int_eq(q(b, "INSERT INTO t VALUES (2)"), MGR_ELOCKED);
    ck_assert_int_eq(dberr.code & 0xff, SQLITE_BUSY);
    /* Reading is not blocked by a pending write transaction. */
    ck_assert_str_eq(value_of(b, "SELECT count(*) FROM t"), "0");
    ck_assert_int_eq(ops->commit(a, &err), MGR_OK);
    ck_assert_int_eq(ops->begin(b, &err), MGR_OK);
    ck_assert_q(b, "INSERT INTO t VALUES (2)");
    ck_assert_int_eq(ops->commit(b, &err), MGR_OK);
    ck_assert_str_eq(value_of(a, "SELECT group_concat(x) FROM t"), "1,2");
    ops->close(a);
    ops->close(b);
}
END_TEST

/* ---- the lock file ------------------------------------------------------ */

static const char *lock_file(const char *db)
{
    static char path[PATH_MAX + 300];

    snprintf(path, sizeof(path), "%s-migrator.lock", in_dir(db));
    return path;
}

/* The text of the lock file. */
static const char *lock_text(const char *db)
{
    static char text[64];
    FILE *f = fopen(lock_file(db), "r");
    size_t n;

    ck_assert_ptr_nonnull(f);
    n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

/*
 * One try_lock of c for key: returns *got_out, failing the test when the
 * attempt itself fails. The holder's description goes to holder (may be
 * NULL).
 */
static int try_lock(struct sq_conn *c, const char *key,
                    struct mgr_buf *holder)
{
    int got = -1, rc = ops->try_lock(c, key, 1000, &got, holder, &err);

    ck_assert_msg(rc == MGR_OK, "try_lock: %d %s", rc, err.msg);
    ck_assert(got == 0 || got == 1);
    return got;
}

START_TEST(test_try_lock_second_connection)
{
    struct sq_conn *a = open_db("l.db"), *b = open_db("l.db");
    struct mgr_buf holder = MGR_BUF_INIT;
    char want[PATH_MAX + 400], pid[32];
    struct stat sb;
    long t0;

    /* Free: taken, the pid written into a 0600 file. */
    ck_assert_int_eq(try_lock(a, "migrator_version", NULL), 1);
    ck_assert_int_eq(stat(lock_file("l.db"), &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);
    snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
    ck_assert_str_eq(lock_text("l.db"), pid);
    /* No SQL ran: no transaction is open. */
    ck_assert_int_eq(sqlite3_get_autocommit(a->db), 1);

    /* Held by a: b is refused at once, told who holds it. */
    t0 = now_ms();
    ck_assert_int_eq(try_lock(b, "migrator_version", &holder), 0);
    ck_assert_int_lt(now_ms() - t0, 100);
    snprintf(want, sizeof(want), "pid %ld (lock file '%s')",
             (long)getpid(), lock_file("l.db"));
    ck_assert_str_eq(holder.buf, want);
    ck_assert_int_eq(b->lock_fd, -1);
    /* ...also without a holder buffer; nothing is logged. */
    ck_assert_int_eq(try_lock(b, "migrator_version", NULL), 0);
    ck_assert_int_eq(mock_log_calls, 0);

    /* a again: it holds it already. */
    ck_assert_int_eq(try_lock(a, "migrator_version", NULL), 1);

    ck_assert_int_eq(ops->unlock(a, "migrator_version", &err), MGR_OK);
    /* The file stays, without a stale pid; now b gets it. */
    ck_assert(file_exists(lock_file("l.db")));
    ck_assert_str_eq(lock_text("l.db"), "");
    ck_assert_int_eq(try_lock(b, "migrator_version", NULL), 1);
    ck_assert_int_eq(try_lock(a, "migrator_version", NULL), 0);
    ck_assert_int_eq(ops->unlock(b, "migrator_version", &err), MGR_OK);
    mock_buf_release(&holder);
    ops->close(a);
    ops->close(b);
}
END_TEST

/* In a fork()ed child: connect to name, make one try_lock and return
 * what happened as an exit status: 0 when got came back as expect_got
 * (and, when refused, the holder named pid holder), 1 otherwise. */
static void *child_conn; /* still reachable when the child exits */

static int child_try_lock(const char *name, int expect_got, long holder,
                          int keep)
{
    struct mgr_buf who = MGR_BUF_INIT;
    void *conn = NULL;
    char want[64];
    int got = -1, ok;

    if (ops->connect(state, url_of(name), &conn, &err) != MGR_OK)
        return 1;
    child_conn = conn;
    ok = ops->try_lock(conn, "k", 1000, &got, &who, &err) == MGR_OK &&
         got == expect_got;
    if (ok && !got) {
        snprintf(want, sizeof(want), "pid %ld (lock file '", holder);
        ok = strncmp(who.buf, want, strlen(want)) == 0;
    }
    mock_buf_release(&who);
    if (keep)
        return ok ? 0 : 1; /* exit holding the lock: the kernel drops it */
    if (got == 1)
        ops->unlock(conn, "k", &err);
    ops->close(conn);
    return ok ? 0 : 1;
}

static int run_child(const char *name, int expect_got, long holder,
                     int keep)
{
    pid_t pid = fork();
    int status = 0;

    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int code = child_try_lock(name, expect_got, holder, keep);

        if (!keep)
            mgr_plugin_entry()->fini(state);
        _exit(code);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    return WEXITSTATUS(status);
}

START_TEST(test_try_lock_other_process)
{
    struct sq_conn *a = open_db("f.db");

    ck_assert_int_eq(try_lock(a, "k", NULL), 1);
    ck_assert_int_eq(run_child("f.db", 0, (long)getpid(), 0), 0);
    ck_assert_int_eq(ops->unlock(a, "k", &err), MGR_OK);
    ck_assert_int_eq(run_child("f.db", 1, 0, 0), 0);
    ops->close(a);
}
END_TEST

START_TEST(test_lock_dies_with_holder)
{
    struct sq_conn *a = open_db("d.db");

    /* The child takes the lock and exits without releasing it. */
    ck_assert_int_eq(run_child("d.db", 1, 0, 1), 0);
    ck_assert_int_eq(try_lock(a, "k", NULL), 1);
    ck_assert_int_eq(ops->unlock(a, "k", &err), MGR_OK);
    ops->close(a);
}
END_TEST

START_TEST(test_lock_released_by_close)
{
    struct sq_conn *a = open_db("c.db"), *b = open_db("c.db");

    ck_assert_int_eq(try_lock(a, "k", NULL), 1);
    /* Taking it again is a no-op; one unlock releases it. */
    ck_assert_int_eq(try_lock(a, "k", NULL), 1);
    ops->close(a);
    ck_assert_int_eq(try_lock(b, "k", NULL), 1);
    ck_assert_int_eq(ops->unlock(b, "k", &err), MGR_OK);
    ck_assert_int_eq(try_lock(b, "k", NULL), 1);
    ck_assert_int_eq(try_lock(b, "k", NULL), 1);
    ck_assert_int_eq(ops->unlock(b, "k", &err), MGR_OK);
    a = open_db("c.db");
    ck_assert_int_eq(try_lock(a, "k", NULL), 1);
    ops->close(a);
    ops->close(b);
}
END_TEST

START_TEST(test_lock_memory_is_noop)
{
    struct sq_conn *a = open_url("sqlite://");
    DIR *d;
    struct dirent *e;
    int entries = 0;

    ck_assert_int_eq(chdir(dir), 0);
    ck_assert_int_eq(try_lock(a, "k", NULL), 1);
    ck_assert_int_eq(a->lock_fd, -1);
    ck_assert_int_eq(ops->lock_check(a, "k", &err), MGR_OK);
    ck_assert_int_eq(ops->unlock(a, "k", &err), MGR_OK);
    ops->close(a);
    d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL)
        entries += e->d_name[0] != '.';
    closedir(d);
    ck_assert_int_eq(entries, 0);
}
END_TEST

START_TEST(test_unlock_not_held)
{
    struct sq_conn *a = open_db("n.db");

    ck_assert_int_eq(ops->unlock(a, "k", &err), MGR_ELOCKED);
    ck_assert_msg_has("is not held by this connection");
    ops->close(a);
}
END_TEST

START_TEST(test_try_lock_other_key_refused)
{
    struct sq_conn *a = open_db("o.db");
    int got = -1;

    ck_assert_int_eq(try_lock(a, "k", NULL), 1);
    ck_assert_int_eq(ops->try_lock(a, "j", 1000, &got, NULL, &err),
                     MGR_EPLUGIN);
    ck_assert_int_eq(got, 0);
    ck_assert_msg_has("'k'");
    /* k is still held */
    ck_assert_int_eq(ops->lock_check(a, "k", &err), MGR_OK);
    ck_assert_int_eq(ops->unlock(a, "k", &err), MGR_OK);
    ops->close(a);
}
END_TEST

START_TEST(test_lock_check_lost_lock)
{
    struct sq_conn *a = open_db("gone.db");

    ck_assert_int_eq(try_lock(a, "k", NULL), 1);
    ck_assert_int_eq(ops->lock_check(a, "k", &err), MGR_OK);
    /* Released behind our back: the lock file was removed. */
    ck_assert_int_eq(unlink(lock_file("gone.db")), 0);
    ck_assert_int_eq(ops->lock_check(a, "k", &err), MGR_ELOCKED);
    ck_assert_msg_has("the migration lock was lost");
    ck_assert_msg_has(lock_file("gone.db"));
    ops->close(a);
}
END_TEST

START_TEST(test_unlock_reports_lost_lock)
{
    struct sq_conn *a = open_db("lost.db"), *b = open_db("lost.db");

    ck_assert_int_eq(try_lock(a, "k", NULL), 1);
    ck_assert_int_eq(unlink(lock_file("lost.db")), 0);
    /* Another run can now take a new file... */
    ck_assert_int_eq(try_lock(b, "k", NULL), 1);
    /* ...which the first one learns when it unlocks. */
    ck_assert_int_eq(ops->unlock(a, "k", &err), MGR_ELOCKED);
    ck_assert_msg_has("the migration lock was lost");
    ck_assert_msg_has(lock_file("lost.db"));
    ck_assert_int_eq(a->lock_fd, -1);
    ck_assert_int_eq(ops->unlock(b, "k", &err), MGR_OK);
    ops->close(a);
    ops->close(b);
}
END_TEST

START_TEST(test_lock_refuses_symlink)
{
    struct sq_conn *a = open_db("s.db");
    FILE *f = fopen(in_dir("victim"), "w");
    int got = -1;

    ck_assert_ptr_nonnull(f);
    fputs("keep me\n", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(symlink(in_dir("victim"), lock_file("s.db")), 0);
    ck_assert_int_eq(ops->try_lock(a, "k", 1000, &got, NULL, &err),
                     MGR_EIO);
    ck_assert_int_eq(got, 0);
    ck_assert_msg_has("cannot open the lock file");
    ck_assert_int_eq(err.sys_errno, ELOOP);
    f = fopen(in_dir("victim"), "r");
    ck_assert_ptr_nonnull(f);
    {
        char line[32] = "";

        ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
        ck_assert_str_eq(line, "keep me\n");
    }
    fclose(f);
    ops->close(a);
}
END_TEST

/* ---- quoting and table_exists ------------------------------------------- */

START_TEST(test_quote_hostile_identifier)
{
    static const char hostile[] = "x\"; DROP TABLE canary; --";
    struct sq_conn *c = open_db("h.db");
    struct mgr_buf sql = MGR_BUF_INIT, id = MGR_BUF_INIT;
    const char *params[1] = { hostile };
    struct rows r;

    ops->quote_ident(state, hostile, &id);
    ck_assert_str_eq(id.buf, "\"x\"\"; DROP TABLE canary; --\"");
    ck_assert_q(c, "CREATE TABLE canary(x)");
    mock_buf_addf(&sql, "CREATE TABLE %s(a)", id.buf);
    ck_assert_q(c, sql.buf);
    ck_assert_int_eq(table_exists(c, NULL, "canary"), 1);
    ck_assert_int_eq(table_exists(c, NULL, hostile), 1);
    memset(&r, 0, sizeof(r));
    ck_assert_int_eq(ops->query(c, "SELECT name FROM sqlite_master WHERE "
                                   "name = $1",
                                params, 1, collect, &r, NULL, &dberr, &err),
                     MGR_OK);
    ck_assert_int_eq(r.n, 1);
    ck_assert_str_eq(r.text, hostile);
    mock_buf_release(&sql);
    mock_buf_addf(&sql, "INSERT INTO %s VALUES (1)", id.buf);
    ck_assert_q(c, sql.buf);
    mock_buf_release(&sql);
    mock_buf_release(&id);
    ops->quote_ident(state, "", &id);
    ck_assert_str_eq(id.buf, "\"\"");
    mock_buf_release(&id);
    ops->close(c);
}
END_TEST

START_TEST(test_quote_literal_round_trip)
{
    static const char *const lits[] = {
        "it's", "", "''", "\"", "a'; DROP TABLE t; --", "line\nbreak",
        "back\\slash",
    };
    struct sq_conn *c = open_url("sqlite://");
    struct mgr_buf sql = MGR_BUF_INIT, lit = MGR_BUF_INIT;

    ops->quote_literal(state, "it's", &lit);
    ck_assert_str_eq(lit.buf, "'it''s'");
    mock_buf_release(&lit);
    for (size_t i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
        ops->quote_literal(state, lits[i], &lit);
        mock_buf_addf(&sql, "SELECT %s", lit.buf);
        ck_assert_str_eq(value_of(c, sql.buf), lits[i]);
        mock_buf_release(&sql);
        mock_buf_release(&lit);
    }
    ops->close(c);
}
END_TEST

START_TEST(test_table_exists)
{
    struct sq_conn *c = open_db("te.db");

    ck_assert_q(c, "CREATE TABLE Foo(x)");
    ck_assert_q(c, "CREATE VIEW v AS SELECT 1");
    ck_assert_q(c, "CREATE TEMP TABLE tmp(x)");
    ck_assert_int_eq(table_exists(c, NULL, "Foo"), 1);
    ck_assert_int_eq(table_exists(c, "", "foo"), 1);
    ck_assert_int_eq(table_exists(c, "main", "FOO"), 1);
    ck_assert_int_eq(table_exists(c, NULL, "bar"), 0);
    ck_assert_int_eq(table_exists(c, NULL, "v"), 0);
    ck_assert_int_eq(table_exists(c, NULL, "tmp"), 0);
    ck_assert_int_eq(table_exists(c, "temp", "tmp"), 1);
    /* Inside a transaction, a missing table leaves it usable. */
    ck_assert_int_eq(ops->begin(c, &err), MGR_OK);
    ck_assert_int_eq(table_exists(c, NULL, "nope"), 0);
    ck_assert_q(c, "INSERT INTO Foo VALUES (1)");
    ck_assert_int_eq(ops->commit(c, &err), MGR_OK);
    ops->close(c);
}
END_TEST

START_TEST(test_table_exists_unknown_schema)
{
    struct sq_conn *c = open_db("ts.db");
    int exists = 7;

    ck_assert_int_eq(ops->table_exists(c, "x\"; DROP TABLE t; --", "t",
                                       &exists, &err),
                     MGR_EDB);
    ck_assert_int_eq(exists, 0);
    ck_assert_str_eq(err.msg, "unknown database 'x\"; DROP TABLE t; --'; "
                              "ATTACH it or name 'main'");
    ck_assert_q(c, "ATTACH ':memory:' AS other");
    ck_assert_q(c, "CREATE TABLE other.t(x)");
    ck_assert_int_eq(table_exists(c, "Other", "T"), 1);
    ck_assert_int_eq(table_exists(c, "main", "t"), 0);
    ops->close(c);
}
END_TEST

/* ---- split -------------------------------------------------------------- */

START_TEST(test_split_basic_and_lines)
{
    struct stmts s;

    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(split("SELECT 1;\nSELECT 2;\n\n  SELECT\n  3 ;\n", 10,
                           &s),
                     MGR_OK);
    ck_assert_int_eq(s.n, 3);
    ck_assert_stmt(&s, 0, "SELECT 1", 10);
    ck_assert_stmt(&s, 1, "SELECT 2", 11);
    ck_assert_stmt(&s, 2, "SELECT\n  3", 13);
    stmts_free(&s);
    /* CRLF line ends count once. */
    ck_assert_int_eq(split("SELECT 1;\r\n\r\nSELECT 2;\r\n", 1, &s),
                     MGR_OK);
    ck_assert_stmt(&s, 1, "SELECT 2", 3);
    stmts_free(&s);
}
END_TEST

START_TEST(test_split_strings_and_identifiers)
{
    struct stmts s;

    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(split("INSERT INTO t VALUES ('a;b');\n"
                           "INSERT INTO t VALUES ('it''s; -- not a "
                           "comment');\n"
                           "CREATE TABLE \"semi;colon\"(\"a\"\"; b\");\n"
                           "CREATE TABLE [x;y](`c;d`);\n"
                           "SELECT '/* not; a comment */';",
                           1, &s),
                     MGR_OK);
    ck_assert_int_eq(s.n, 5);
    ck_assert_stmt(&s, 0, "INSERT INTO t VALUES ('a;b')", 1);
    ck_assert_stmt(&s, 1, "INSERT INTO t VALUES ('it''s; -- not a "
                          "comment')",
                   2);
    ck_assert_stmt(&s, 2, "CREATE TABLE \"semi;colon\"(\"a\"\"; b\")", 3);
    ck_assert_stmt(&s, 3, "CREATE TABLE [x;y](`c;d`)", 4);
    ck_assert_stmt(&s, 4, "SELECT '/* not; a comment */'", 5);
    stmts_free(&s);
}
END_TEST

START_TEST(test_split_comments)
{
    struct stmts s;

    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(split("-- leading; comment\n"
                           "/* block;\n   comment */ SELECT 1 -- tail;\n"
                           ";\n"
                           "SELECT /* inner; */ 2 /* after */;\n"
                           "-- only a comment at the end;\n",
                           1, &s),
                     MGR_OK);
    ck_assert_int_eq(s.n, 2);
    /* The line is the statement's own, not its comment's. */
    ck_assert_stmt(&s, 0, "SELECT 1", 3);
    ck_assert_stmt(&s, 1, "SELECT /* inner; */ 2", 5);
    stmts_free(&s);
    /* Block comments do not nest in SQLite: the first "*" "/" ends it. */
    ck_assert_int_eq(split("/* a /* b */ SELECT 3 */;", 1, &s), MGR_OK);
    ck_assert_int_eq(s.n, 1);
    ck_assert_stmt(&s, 0, "SELECT 3 */", 1);
    stmts_free(&s);
}
END_TEST

START_TEST(test_split_trigger_body)
{
    struct stmts s;

    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(split("CREATE TRIGGER tr AFTER INSERT ON a BEGIN\n"
                           "  INSERT INTO b VALUES (new.x, ';');\n"
                           "  UPDATE b SET y = CASE WHEN 1 THEN 2 END;\n"
                           "END;\n"
                           "create temp trigger t2 before delete on a "
                           "begin select 1; end;\n"
                           "SELECT 3;",
                           1, &s),
                     MGR_OK);
    ck_assert_int_eq(s.n, 3);
    ck_assert_stmt(&s, 0, "CREATE TRIGGER tr AFTER INSERT ON a BEGIN\n"
                          "  INSERT INTO b VALUES (new.x, ';');\n"
                          "  UPDATE b SET y = CASE WHEN 1 THEN 2 END;\n"
                          "END",
                   1);
    ck_assert_stmt(&s, 1, "create temp trigger t2 before delete on a "
                          "begin select 1; end",
                   5);
    ck_assert_stmt(&s, 2, "SELECT 3", 6);
    stmts_free(&s);
}
END_TEST

START_TEST(test_split_last_statement_without_semicolon)
{
    struct stmts s;

    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(split("SELECT 1;\nSELECT 2 -- no semicolon\n  ", 1,
                           &s),
                     MGR_OK);
    ck_assert_int_eq(s.n, 2);
    ck_assert_stmt(&s, 1, "SELECT 2", 2);
    stmts_free(&s);
    /* An unfinished trigger is handed over whole; SQLite refuses it. */
    ck_assert_int_eq(split("CREATE TRIGGER tr AFTER INSERT ON a BEGIN "
                           "SELECT 1;",
                           1, &s),
                     MGR_OK);
    ck_assert_int_eq(s.n, 1);
    ck_assert_stmt(&s, 0, "CREATE TRIGGER tr AFTER INSERT ON a BEGIN "
                          "SELECT 1;",
                   1);
    stmts_free(&s);
}
END_TEST

START_TEST(test_split_empty)
{
    struct stmts s;

    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(split(";; ;\n-- c\n/* d */\n", 1, &s), MGR_OK);
    ck_assert_int_eq(s.n, 0);
    ck_assert_int_eq(ops->split(state, "", 0, 1, record, &s, &err), MGR_OK);
    ck_assert_int_eq(s.n, 0);
    /* len bounds the text, not a NUL. */
    ck_assert_int_eq(ops->split(state, "SELECT 1; SELECT 2;", 9, 1, record,
                                &s, &err),
                     MGR_OK);
    ck_assert_int_eq(s.n, 1);
    ck_assert_stmt(&s, 0, "SELECT 1", 1);
    stmts_free(&s);
}
END_TEST

/* reliability #41 (B8): what the splitter hands over runs as written. */
START_TEST(test_split_b8_runs)
{
    static const char script[] =
        "CREATE TABLE a(x TEXT);\n"
        "CREATE TABLE b(x TEXT, y INTEGER);\n"
        "CREATE TABLE \"semi;colon\"(v TEXT); -- a comment; with ';'\n"
        "/* a /* comment; */\n"
        "CREATE TRIGGER tr AFTER INSERT ON a BEGIN\n"
        "  INSERT INTO b VALUES (new.x, 1);\n"
        "  INSERT INTO \"semi;colon\" VALUES ('x;y');\n"
        "END;\n"
        "INSERT INTO a VALUES ('it''s;');\n"
        "INSERT INTO a VALUES ('last')";
    struct sq_conn *c = open_db("b8.db");
    struct stmts s;

    memset(&s, 0, sizeof(s));
    s.run_on = c;
    ck_assert_int_eq(ops->begin(c, &err), MGR_OK);
    ck_assert_int_eq(split(script, 1, &s), MGR_OK);
    ck_assert_int_eq(ops->commit(c, &err), MGR_OK);
    ck_assert_int_eq(s.n, 6);
    ck_assert_int_eq(s.line[3], 5);
    ck_assert_int_eq(s.line[5], 10);
    ck_assert_str_eq(value_of(c, "SELECT group_concat(x, '|') FROM b"),
                     "it's;|last");
    ck_assert_str_eq(value_of(c, "SELECT count(*) FROM \"semi;colon\" "
                                 "WHERE v = 'x;y'"),
                     "2");
    stmts_free(&s);
    ops->close(c);
}
END_TEST

/* reliability #42 (B9): a runtime error stops the script, names the line
 * and leaves nothing behind. */
START_TEST(test_split_b9_error_mid_script)
{
    struct sq_conn *c = open_db("b9.db");
    struct stmts s;

    memset(&s, 0, sizeof(s));
    s.run_on = c;
    ck_assert_int_eq(ops->begin(c, &err), MGR_OK);
    ck_assert_int_eq(split("CREATE TABLE u(id INTEGER PRIMARY KEY); "
                           "INSERT INTO u VALUES(1);\n"
                           "INSERT INTO u VALUES(1); "
                           "INSERT INTO u VALUES(3);\n",
                           1, &s),
                     MGR_EDB);
    ck_assert_str_eq(err.msg, "2: UNIQUE constraint failed: u.id");
    ck_assert_int_eq(s.n, 3);
    ck_assert_int_eq(ops->rollback(c, &err), MGR_OK);
    ck_assert_int_eq(table_exists(c, NULL, "u"), 0);
    stmts_free(&s);
    ops->close(c);
}
END_TEST

START_TEST(test_split_unterminated)
{
    static const struct {
        const char *text;
        const char *msg;
    } cases[] = {
        { "SELECT 1;\nSELECT 'abc;\n\n", "line 2: unterminated string "
                                         "literal" },
        { "SELECT 1;\n\nSELECT \"abc;", "line 3: unterminated quoted "
                                        "identifier" },
        { "SELECT [abc;", "line 1: unterminated quoted identifier" },
        { "SELECT `abc;", "line 1: unterminated quoted identifier" },
        { "SELECT 1;\n/* open\n;\n", "line 2: unterminated block comment" },
        { "SELECT 1; /", "" },
    };
    struct stmts s;

    memset(&s, 0, sizeof(s));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = split(cases[i].text, 1, &s);

        if (!cases[i].msg[0]) {
            /* A lone '/' is code, not a comment. */
            ck_assert_int_eq(rc, MGR_OK);
            ck_assert_int_eq(s.n, 2);
            ck_assert_stmt(&s, 1, "/", 1);
        } else {
            ck_assert_int_eq(rc, MGR_ESCRIPT);
            ck_assert_str_eq(err.msg, cases[i].msg);
            /* Checked before anything is sent. */
            ck_assert_int_eq(s.n, 0);
        }
        stmts_free(&s);
    }
}
END_TEST

START_TEST(test_split_nul_byte)
{
    static const char text[] = "SELECT 1;\nSELECT '\0';";
    struct stmts s;

    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(ops->split(state, text, sizeof(text) - 1, 4, record, &s,
                                &err),
                     MGR_ESCRIPT);
    ck_assert_str_eq(err.msg, "line 5: NUL byte");
    ck_assert_int_eq(s.n, 0);
}
END_TEST

START_TEST(test_split_emit_error_stops)
{
    struct stmts s;

    memset(&s, 0, sizeof(s));
    s.fail_at = 2;
    ck_assert_int_eq(split("SELECT 1;\nSELECT 2;\nSELECT 3;", 1, &s),
                     MGR_EDB);
    ck_assert_str_eq(err.msg, "refused at 2");
    ck_assert_int_eq(s.n, 2);
    stmts_free(&s);
}
END_TEST

/* ---- needs_no_transaction ----------------------------------------------- */

static int nnt(const char *stmt, struct mgr_buf *why)
{
    return ops->needs_no_transaction(state, stmt, strlen(stmt), why);
}

START_TEST(test_needs_no_transaction)
{
    static const struct {
        const char *stmt;
        const char *why;
    } yes[] = {
        { "VACUUM", "VACUUM" },
        { "  -- why\n /* c */ vacuum main", "VACUUM" },
        { "BEGIN", "BEGIN (transaction control)" },
        { "begin immediate transaction", "BEGIN (transaction control)" },
        { "COMMIT", "COMMIT (transaction control)" },
        { "END TRANSACTION", "END (transaction control)" },
        { "ROLLBACK TO sp", "ROLLBACK (transaction control)" },
        { "SAVEPOINT sp", "SAVEPOINT (transaction control)" },
        { "release sp", "RELEASE (transaction control)" },
        { "PRAGMA foreign_keys=OFF",
          "PRAGMA foreign_keys (a no-op inside a transaction)" },
        { "pragma main . Foreign_Keys = on",
          "PRAGMA foreign_keys (a no-op inside a transaction)" },
        { "PRAGMA \"foreign_keys\"(0)",
          "PRAGMA foreign_keys (a no-op inside a transaction)" },
        { "PRAGMA journal_mode = WAL",
          "PRAGMA journal_mode (not changeable inside a transaction)" },
    };
    static const char *const no[] = {
        "SELECT 'VACUUM'", "CREATE TABLE begin_x(y)", "BEGINNING",
        "vacuums", "PRAGMA foreign_keys", "PRAGMA journal_mode",
        "PRAGMA user_version = 3", "PRAGMA foreign_key_check",
        "UPDATE t SET x = 'COMMIT'", "", "-- COMMIT", "/* BEGIN */ SELECT 1",
        "EXPLAIN VACUUM",
    };
    struct mgr_buf why = MGR_BUF_INIT;

    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        ck_assert_msg(nnt(yes[i].stmt, &why) == 1, "%s", yes[i].stmt);
        ck_assert_str_eq(why.buf, yes[i].why);
        mock_buf_release(&why);
    }
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        ck_assert_msg(nnt(no[i], &why) == 0, "%s", no[i]);
        ck_assert_uint_eq(why.len, 0);
    }
    /* why may be NULL; len bounds the statement. */
    ck_assert_int_eq(nnt("VACUUM", NULL), 1);
    ck_assert_int_eq(ops->needs_no_transaction(state, "VACUUMX", 6, NULL),
                     1);
    ck_assert_int_eq(ops->needs_no_transaction(state, "BEGIN", 3, NULL),
                     0);
}
END_TEST

/* reliability §2 S2: the reason for refusing PRAGMA foreign_keys holds. */
START_TEST(test_foreign_keys_pragma_is_noop_in_transaction)
{
    struct sq_conn *c = open_url("sqlite://");

    ck_assert_str_eq(value_of(c, "PRAGMA foreign_keys"), "0");
    ck_assert_int_eq(ops->begin(c, &err), MGR_OK);
    ck_assert_q(c, "PRAGMA foreign_keys = ON");
    ck_assert_int_eq(ops->commit(c, &err), MGR_OK);
    ck_assert_str_eq(value_of(c, "PRAGMA foreign_keys"), "0");
    /* The plugin itself left the user's setting alone. */
    ck_assert_q(c, "PRAGMA foreign_keys = ON");
    ck_assert_str_eq(value_of(c, "PRAGMA foreign_keys"), "1");
    ops->close(c);
}
END_TEST

/* ---- limits ------------------------------------------------------------- */

static int count_only(void *ctx, const char *stmt, size_t len, int line,
                      struct mgr_error *e)
{
    (void)stmt;
    (void)len;
    (void)e;
    ((int *)ctx)[0]++;
    ((int *)ctx)[1] = line;
    return MGR_OK;
}

START_TEST(test_split_many_statements)
{
    size_t n = 20000, len = 0;
    char *text = mock_alloc(n * 32);
    int seen[2] = { 0, 0 };

    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, n * 32 - len,
                                "INSERT INTO t VALUES (%zu);\n", i);
    ck_assert_int_eq(ops->split(state, text, len, 1, count_only, seen,
                                &err),
                     MGR_OK);
    ck_assert_int_eq(seen[0], (int)n);
    ck_assert_int_eq(seen[1], (int)n);
    free(text);
}
END_TEST

START_TEST(test_split_big_trigger_and_string)
{
    size_t n = 1000, cap = n * 64 + (1u << 20) + 256, len = 0;
    char *text = mock_alloc(cap);
    int seen[2] = { 0, 0 };

    len += (size_t)snprintf(text, cap,
                            "CREATE TRIGGER tr AFTER INSERT ON a BEGIN\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "  INSERT INTO b VALUES (%zu);\n", i);
    len += (size_t)snprintf(text + len, cap - len, "END;\nSELECT '");
    /* A 1 MiB literal full of semicolons is one statement. */
    for (size_t i = 0; i < (1u << 20); i++)
        text[len++] = i % 2 ? ';' : 'x';
    len += (size_t)snprintf(text + len, cap - len, "';\n");
    ck_assert_int_eq(ops->split(state, text, len, 1, count_only, seen,
                                &err),
                     MGR_OK);
    ck_assert_int_eq(seen[0], 2);
    ck_assert_int_eq(seen[1], (int)n + 3);
    free(text);
}
END_TEST

START_TEST(test_query_many_params_and_columns)
{
    struct sq_conn *c = open_url("sqlite://");
    const char *params[200];
    char vals[200][8];
    struct mgr_buf sql = MGR_BUF_INIT;
    struct rows r;

    mock_buf_addf(&sql, "SELECT ");
    for (int i = 0; i < 200; i++) {
        snprintf(vals[i], sizeof(vals[i]), "%d", i);
        params[i] = i == 150 ? NULL : vals[i];
        mock_buf_addf(&sql, "%s$%d", i ? ", " : "", i + 1);
    }
    memset(&r, 0, sizeof(r));
    ck_assert_int_eq(ops->query(c, sql.buf, params, 200, collect, &r, NULL,
                                &dberr, &err),
                     MGR_OK);
    ck_assert_int_eq(r.n, 1);
    ck_assert_uint_eq(r.ncols, 200);
    ck_assert_int_eq(r.nulls, 1);
    ck_assert_msg(strncmp(r.text, "0|1|2|", 6) == 0, "%s", r.text);
    ck_assert_msg(strstr(r.text, "|149|<null>|151|") != NULL, "%s", r.text);
    mock_buf_release(&sql);
    ops->close(c);
}
END_TEST

START_TEST(test_long_identifier_round_trip)
{
    struct sq_conn *c = open_url("sqlite://");
    struct mgr_buf sql = MGR_BUF_INIT, id = MGR_BUF_INIT;
    char name[2001];

    for (size_t i = 0; i < sizeof(name) - 1; i++)
        name[i] = i % 7 == 3 ? '"' : 'a' + (char)(i % 26);
    name[sizeof(name) - 1] = '\0';
    ops->quote_ident(state, name, &id);
    mock_buf_addf(&sql, "CREATE TABLE %s(x)", id.buf);
    ck_assert_q(c, sql.buf);
    ck_assert_int_eq(table_exists(c, NULL, name), 1);
    mock_buf_release(&sql);
    mock_buf_release(&id);
    ops->close(c);
}
END_TEST

static Suite *dialect_sqlite_suite(void)
{
    Suite *s = suite_create("dialect_sqlite");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_descriptor);
    tcase_add_test(tc, test_url_absolute);
    tcase_add_test(tc, test_connect_opts);
    tcase_add_test(tc, test_url_relative_to_working_directory);
    tcase_add_test(tc, test_url_memory_forms);
    tcase_add_test(tc, test_url_driver_suffix_and_case);
    tcase_add_test(tc, test_url_uri_parameters);
    tcase_add_test(tc, test_url_path_is_literal);
    tcase_add_test(tc, test_query_params_nulls_and_rows);
    tcase_add_test(tc, test_query_affected_counts);
    tcase_add_test(tc, test_query_row_callback_stops);
    tcase_add_test(tc, test_query_comment_only);
    tcase_add_test(tc, test_transaction_commit_and_rollback);
    tcase_add_test(tc, test_transactional_ddl_rollback);
    tcase_add_test(tc, test_begin_immediate_blocks_writers);
    tcase_add_test(tc, test_try_lock_second_connection);
    tcase_add_test(tc, test_try_lock_other_process);
    tcase_add_test(tc, test_lock_dies_with_holder);
    tcase_add_test(tc, test_lock_released_by_close);
    tcase_add_test(tc, test_lock_memory_is_noop);
    tcase_add_test(tc, test_quote_hostile_identifier);
    tcase_add_test(tc, test_quote_literal_round_trip);
    tcase_add_test(tc, test_table_exists);
    tcase_add_test(tc, test_split_basic_and_lines);
    tcase_add_test(tc, test_split_strings_and_identifiers);
    tcase_add_test(tc, test_split_comments);
    tcase_add_test(tc, test_split_trigger_body);
    tcase_add_test(tc, test_split_last_statement_without_semicolon);
    tcase_add_test(tc, test_split_empty);
    tcase_add_test(tc, test_split_b8_runs);
    tcase_add_test(tc, test_needs_no_transaction);
    tcase_add_test(tc, test_foreign_keys_pragma_is_noop_in_transaction);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_url_bad);
    tcase_add_test(tc, test_url_open_failure_names_path);
    tcase_add_test(tc, test_url_not_a_database);
    tcase_add_test(tc, test_query_syntax_error);
    tcase_add_test(tc, test_query_constraint_errors);
    tcase_add_test(tc, test_query_one_statement_only);
    tcase_add_test(tc, test_query_param_mismatch);
    tcase_add_test(tc, test_unlock_not_held);
    tcase_add_test(tc, test_try_lock_other_key_refused);
    tcase_add_test(tc, test_lock_check_lost_lock);
    tcase_add_test(tc, test_unlock_reports_lost_lock);
    tcase_add_test(tc, test_lock_refuses_symlink);
    tcase_add_test(tc, test_table_exists_unknown_schema);
    tcase_add_test(tc, test_split_b9_error_mid_script);
    tcase_add_test(tc, test_split_unterminated);
    tcase_add_test(tc, test_split_nul_byte);
    tcase_add_test(tc, test_split_emit_error_stops);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_split_many_statements);
    tcase_add_test(tc, test_split_big_trigger_and_string);
    tcase_add_test(tc, test_query_many_params_and_columns);
    tcase_add_test(tc, test_long_identifier_round_trip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dialect_sqlite_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
