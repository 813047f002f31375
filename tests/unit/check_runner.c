/*
 * check_runner.c: the code that talks to a dialect (core/runner.c,
 * exec.c, vtable.c, tablelock.c, integrity.c, db.c) and the reports it
 * feeds (report.c, report_events.c), driven through the scriptable fake
 * dialect of tests/plugins/dialect_fake.c.
 *
 * Each test builds a struct mgr_ctx as the CLI's run_cmd() does: a
 * migrator.ini in a fresh directory, the build tree's plugins (format_sql)
 * and tests/plugins/fake (dialect_fake), the scripts and their graph, and a
 * report whose events a listener records. The fake keeps its data in a
 * SQLite file of that directory, which the tests read back with
 * libsqlite3, and writes a journal of every call it gets. Faults come
 * from the database URL's query (fail_on=..., held_by=..., ...).
 */
#include "autoconfig.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ltdl.h>
#include <sqlite3.h>

#include <migrator/migrator.h>
#include <migrator/plugin.h>

#include "config.h"
#include "ctx.h"
#include "loader.h"
#include "migrate.h"
#include "plan.h"
#include "report.h"
#include "runner.h"
#include "scripts.h"
#include "tablelock.h"
#include "vtable.h"

#ifndef TEST_PLUGINDIR
#error "TEST_PLUGINDIR must name tests/plugins/fake/.libs of the build tree"
#endif
#ifndef BUILD_PLUGINDIR
#error "BUILD_PLUGINDIR must name plugins/.libs of the build tree"
#endif
#ifndef TEST_TMPDIR
#error "TEST_TMPDIR must name a directory of the build tree"
#endif

/* ---- events ----------------------------------------------------------- */

/* What the tests look at of one event (strings copied). */
struct seen_event {
    enum mgr_event_type type;
    int status;
    size_t index;         /* STEP_*: the step's 1-based index */
    char *revision;       /* STEP_*: the step's revision */
    char *holder;         /* LOCK_WAIT */
    size_t committed;     /* RUN_END */
    int has_error;
    char *reason, *file, *sqlstate, *detail, *hint;
    int line;
};

struct seen {
    struct seen_event v[64];
    size_t len;
};

static char *copy_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void record_error(struct seen_event *e, const struct mgr_event_error *x)
{
    e->has_error = 1;
    e->reason = copy_or_null(x->reason);
    e->file = copy_or_null(x->file);
    e->sqlstate = copy_or_null(x->sqlstate);
    e->detail = copy_or_null(x->detail);
    e->hint = copy_or_null(x->hint);
    e->line = x->line;
}

static void on_event(void *ctx, const struct mgr_event *ev)
{
    struct seen *s = ctx;
    struct seen_event *e;

    if (s->len == sizeof(s->v) / sizeof(s->v[0]))
        return;
    e = &s->v[s->len++];
    memset(e, 0, sizeof(*e));
    e->type = ev->type;
    e->status = ev->status;
    if (ev->step) {
        e->index = ev->step->index;
        e->revision = copy_or_null(ev->step->revision);
    }
    if (ev->type == MGR_EV_LOCK_WAIT)
        e->holder = copy_or_null(ev->holder);
    if (ev->type == MGR_EV_RUN_END)
        e->committed = ev->steps_committed;
    if (ev->error)
        record_error(e, ev->error);
}

static void seen_release(struct seen *s)
{
    for (size_t i = 0; i < s->len; i++) {
        struct seen_event *e = &s->v[i];

        free(e->revision);
        free(e->holder);
        free(e->reason);
        free(e->file);
        free(e->sqlstate);
        free(e->detail);
        free(e->hint);
    }
    s->len = 0;
}

/* The n-th (from 0) event of type, or NULL. */
static const struct seen_event *nth_event(const struct seen *s,
                                          enum mgr_event_type type, int n)
{
    for (size_t i = 0; i < s->len; i++)
        if (s->v[i].type == type && n-- == 0)
            return &s->v[i];
    return NULL;
}

static int count_events(const struct seen *s, enum mgr_event_type type)
{
    int n = 0;

    for (size_t i = 0; i < s->len; i++)
        n += s->v[i].type == type;
    return n;
}

/* ---- the environment of a test ---------------------------------------- */

static char dir[PATH_MAX];       /* this test's directory */
static char versions[PATH_MAX];  /* its version location */
static char dbfile[PATH_MAX];    /* the fake's SQLite file */
static char journal_path[PATH_MAX];
static char ini[PATH_MAX];
static struct mgr_ctx ctx;
static struct seen events;
static int ctx_ready;            /* ctx holds a config and a report */
static const char *url_instead;  /* a database_url other than the fake's */

static char *pathf(char *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static char *pathf(char *buf, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, PATH_MAX, fmt, ap);
    va_end(ap);
    ck_assert_int_lt(n, PATH_MAX);
    return buf;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    ck_assert_msg(f != NULL, "create %s: %s", path, strerror(errno));
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static void append_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "a");

    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static void remove_tree(const char *path)
{
    struct stat st;
    struct dirent *de;
    char sub[PATH_MAX];
    DIR *d;

    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    d = opendir(path);
    while (d && (de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            remove_tree(pathf(sub, "%s/%s", path, de->d_name));
    if (d)
        closedir(d);
    rmdir(path);
}

static void setup(void)
{
    pathf(dir, "%s/tmp-runner-XXXXXX", TEST_TMPDIR);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    pathf(versions, "%s/versions", dir);
    ck_assert_int_eq(mkdir(versions, 0755), 0);
    pathf(dbfile, "%s/fake.db", dir);
    pathf(journal_path, "%s/journal", dir);
    pathf(ini, "%s/migrator.ini", dir);
    memset(&ctx, 0, sizeof(ctx));
    ctx_ready = 0;
    url_instead = NULL;
    ck_assert_int_eq(lt_dlinit(), 0);
}

/* End the command as main() does: the failure, then RUN_END. */
static void finish(int rc)
{
    if (!ctx_ready)
        return;
    if (rc != MGR_OK)
        report_failure(ctx.report, rc, mgr_status_exit_code(rc),
                       ctx.err.msg);
    report_finish(ctx.report, rc, mgr_status_exit_code(rc));
    ctx.report = NULL;
}

static void release_ctx(void)
{
    finish(MGR_OK);
    scripts_release(&ctx);
    plugin_set_free(ctx.plugins);
    config_free(ctx.config);
    memset(&ctx, 0, sizeof(ctx));
    ctx_ready = 0;
}

static void teardown(void)
{
    release_ctx();
    seen_release(&events);
    lt_dlexit();
    remove_tree(dir);
}

/*
 * A revision script: id revises parents (comma list, "" for a base);
 * up_marker is what follows "-- migrate:upgrade" (" transaction=false").
 */
static void script_with(const char *id, const char *parents,
                        const char *up_marker, const char *up,
                        const char *down)
{
    char path[PATH_MAX], text[4096];
    int n;

    n = snprintf(text, sizeof(text),
                 "-- revision %s\n--\n-- Revision ID: %s\n-- Revises: %s\n"
                 "\n-- migrate:upgrade%s\n%s\n\n-- migrate:downgrade\n%s\n",
                 id, id, parents, up_marker, up, down);
    ck_assert_int_lt(n, (int)sizeof(text));
    write_file(pathf(path, "%s/%s.sql", versions, id), text);
}

/* A script creating table t_<id> and dropping it again. */
static void script(const char *id, const char *parents)
{
    char up[128], down[128];

    snprintf(up, sizeof(up), "CREATE TABLE t_%s (x INTEGER);", id);
    snprintf(down, sizeof(down), "DROP TABLE t_%s;", id);
    script_with(id, parents, "", up, down);
}

static void script_path(char *buf, const char *id)
{
    pathf(buf, "%s/%s.sql", versions, id);
}

/*
 * Prepare ctx as run_cmd() does, for command, with the fake's script
 * faults (may be "") and extra lines of the [migrator] section.
 */
static void prepare(const char *faults, const char *extra)
{
    char text[2048], url[2 * PATH_MAX + 1024];
    int rc, n;

    if (!extra)
        extra = "";
    /* A lock that is never free fails soon, unless a test says. */
    snprintf(text, sizeof(text),
             "[migrator]\nscript_location = %%(here)s\n"
             "version_locations = %%(here)s/versions\n"
             "plugin_path = %s\n%s%s",
             TEST_PLUGINDIR,
             strstr(extra, "lock_wait") ? "" : "lock_wait = 2s\n", extra);
    write_file(ini, text);
    n = snprintf(url, sizeof(url), "fake://%s?journal=%s%s%s", dbfile,
                 journal_path, *faults ? "&" : "", faults);
    ck_assert_int_lt(n, (int)sizeof(url));
    ctx.color = 0;
    ctx.verbosity = -1;
    ctx.default_plugin_dir = BUILD_PLUGINDIR;
    rc = config_load(&ctx.config, ini, NULL, &ctx.err);
    ck_assert_msg(rc == MGR_OK, "config: %s", ctx.err.msg);
    /* As --url does: the value is taken verbatim, before the reports
     * open (they keep the URL to mask it). */
    config_set(ctx.config, "database_url", url_instead ? url_instead : url);
    rc = report_open_listener(&ctx, "upgrade", on_event, &events);
    ck_assert_msg(rc == MGR_OK, "report: %s", ctx.err.msg);
    ctx_ready = 1;
    rc = scripts_prepare(&ctx);
    ck_assert_msg(rc == MGR_OK, "scripts: %s", ctx.err.msg);
}

/* Start over with new faults: a second command on the same database. */
static void reprepare(const char *faults, const char *extra)
{
    release_ctx();
    seen_release(&events);
    prepare(faults, extra);
}

static int upgrade(const char *target)
{
    struct migrate_request req = { PLAN_UPGRADE, target, NULL, 0, false };

    return migrate_online(&ctx, &req);
}

static int downgrade(const char *target)
{
    struct migrate_request req = { PLAN_DOWNGRADE, target, NULL, 0, false };

    return migrate_online(&ctx, &req);
}

#define ck_assert_ok(rc) \
    ck_assert_msg((rc) == MGR_OK, "status %d: %s", (rc), ctx.err.msg)
#define ck_assert_status(rc, want)                                        \
    ck_assert_msg((rc) == (want), "status %d (want %d): %s", (rc), (want), \
                  ctx.err.msg)
#define ck_assert_err_has(text)                                           \
    ck_assert_msg(strstr(ctx.err.msg, (text)) != NULL,                    \
                  "'%s' not in the error: %s", (text), ctx.err.msg)

/* ---- reading the database and the journal back ------------------------ */

static int append_value(void *out, int ncols, char **values, char **names)
{
    char *s = out;
    size_t len = strlen(s);

    (void)names;
    if (ncols < 1)
        return 0;
    snprintf(s + len, 1024 - len, "%s%s", len ? "," : "",
             values[0] ? values[0] : "NULL");
    return 0;
}

/* The first column of sql's rows over the fake's file, joined by ','
 * ("" for none, "ERROR" when sql fails: e.g. a missing table). */
static const char *query_text(const char *sql)
{
    static char out[1024];
    sqlite3 *db = NULL;
    int rc;

    out[0] = '\0';
    ck_assert_int_eq(sqlite3_open(dbfile, &db), SQLITE_OK);
    rc = sqlite3_exec(db, sql, append_value, out, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK ? out : "ERROR";
}

static const char *version_rows(void)
{
    return query_text("SELECT version_num FROM migrator_version ORDER BY 1");
}

/* "rev:direction:status" of every log row, oldest first. */
static const char *log_rows(void)
{
    return query_text("SELECT revision || ':' || direction || ':' || status "
                      "FROM migrator_log ORDER BY rowid");
}

static int table_exists(const char *name)
{
    char sql[256];

    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM sqlite_master WHERE name = '%s'", name);
    return strcmp(query_text(sql), "1") == 0;
}

static void sql_exec(const char *sql)
{
    sqlite3 *db = NULL;

    ck_assert_int_eq(sqlite3_open(dbfile, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* The journal's lines. */
static struct {
    char *text;
    char *line[1024];
    int n;
} jr;

static void journal_load(void)
{
    FILE *f = fopen(journal_path, "r");
    long size;

    free(jr.text);
    memset(&jr, 0, sizeof(jr));
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    jr.text = calloc(1, (size_t)size + 1);
    ck_assert_int_eq(fread(jr.text, 1, (size_t)size, f), size);
    fclose(f);
    for (char *p = jr.text; *p && jr.n < 1024;) {
        char *nl = strchr(p, '\n');

        jr.line[jr.n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
}

static void journal_release(void)
{
    free(jr.text);
    memset(&jr, 0, sizeof(jr));
}

/* The first journal line from index from on that contains text, or -1. */
static int journal_find(const char *text, int from)
{
    for (int i = from < 0 ? 0 : from; i < jr.n; i++)
        if (strstr(jr.line[i], text))
            return i;
    return -1;
}

static int journal_last(const char *text)
{
    int last = -1;

    for (int i = 0; i < jr.n; i++)
        if (strstr(jr.line[i], text))
            last = i;
    return last;
}

static int journal_count(const char *text)
{
    int n = 0;

    for (int i = 0; i < jr.n; i++)
        n += strstr(jr.line[i], text) != NULL;
    return n;
}

/* ---- core: runs that succeed ------------------------------------------ */

static void three_in_a_line(void)
{
    script("r1", "");
    script("r2", "r1");
    script("r3", "r2");
}

START_TEST(upgrade_records_rows_and_log)
{
    int rc;

    three_in_a_line();
    prepare("", NULL);
    rc = upgrade("head");
    ck_assert_ok(rc);
    ck_assert_str_eq(version_rows(), "r3");
    ck_assert_str_eq(log_rows(), "r1:upgrade:applied,r2:upgrade:applied,"
                                 "r3:upgrade:applied");
    ck_assert_str_eq(query_text("SELECT count(*) FROM migrator_log WHERE "
                                "checksum LIKE 'sha256:%'"),
                     "3");
    ck_assert(table_exists("t_r1") && table_exists("t_r3"));

    /* One transaction for the tables, one for the run. */
    journal_load();
    ck_assert_int_eq(journal_count("try_lock "), 1);
    ck_assert_int_eq(journal_count("commit"), 2);
    ck_assert_int_eq(journal_count("begin"), 2);
    /* The bookkeeping is written once, after every step's DDL and
     * before the COMMIT: the net change of the version row (r3 in, no
     * step by step UPDATE), and the three log rows in one INSERT. */
    ck_assert_int_eq(journal_find("'r2', 'r1'", 0), -1);
    ck_assert_int_lt(journal_find("CREATE TABLE t_r3", 0),
                     journal_find("query INSERT INTO \"migrator_version\"",
                                  0));
    ck_assert_int_lt(journal_find("query INSERT INTO \"migrator_version\"",
                                  0),
                     journal_last("commit"));
    ck_assert_int_eq(journal_count("query INSERT INTO \"migrator_log\""),
                     1);
    ck_assert_int_gt(journal_find("unlock ", 0), journal_last("commit"));
    journal_release();
}
END_TEST

START_TEST(per_migration_commits_each_step)
{
    three_in_a_line();
    prepare("", "transaction_per_migration = true\n");
    ck_assert_ok(upgrade("head"));
    ck_assert_str_eq(version_rows(), "r3");
    journal_load();
    ck_assert_int_eq(journal_count("commit"), 4);
    journal_release();
    ck_assert_int_eq(nth_event(&events, MGR_EV_STEP_END, 2)->index, 3);
}
END_TEST

/*
 *        r2a
 *      /     \
 *   r1         r3 (merge)
 *      \     /
 *        r2b
 */
static void branch_and_merge(void)
{
    script("r1", "");
    script("r2a", "r1");
    script("r2b", "r1");
    script("r3", "r2a, r2b");
}

START_TEST(branch_and_merge_up_and_down)
{
    branch_and_merge();
    prepare("", NULL);
    ck_assert_ok(upgrade("r2a"));
    ck_assert_str_eq(version_rows(), "r2a");
    reprepare("", NULL);
    ck_assert_ok(upgrade("r2b"));
    ck_assert_str_eq(version_rows(), "r2a,r2b");
    reprepare("", NULL);
    ck_assert_ok(upgrade("head"));
    ck_assert_str_eq(version_rows(), "r3");
    /* Undoing the merge restores both parents. */
    reprepare("", NULL);
    ck_assert_ok(downgrade("-1"));
    ck_assert_str_eq(version_rows(), "r2a,r2b");
    ck_assert(!table_exists("t_r3"));
    reprepare("", NULL);
    ck_assert_ok(downgrade("base"));
    ck_assert_str_eq(version_rows(), "");
    ck_assert(!table_exists("t_r1") && !table_exists("t_r2b"));
    ck_assert_str_eq(query_text("SELECT count(*) FROM migrator_log WHERE "
                                "direction = 'downgrade'"),
                     "4");
}
END_TEST

/*
 * A run that moves the rows through a branch and its merge writes only
 * the net change at COMMIT: one UPDATE from r1 to r3, where step by step
 * it took four writes (r1 -> r2a, r2b in, r2b out, r2a -> r3).
 */
START_TEST(merge_run_writes_the_net_change)
{
    int first_run_end, writes = 0;

    branch_and_merge();
    prepare("", NULL);
    ck_assert_ok(upgrade("r1"));
    journal_load();
    first_run_end = journal_last("unlock ");
    journal_release();
    reprepare("", NULL);
    ck_assert_ok(upgrade("heads"));
    ck_assert_str_eq(version_rows(), "r3");
    journal_load();
    for (int i = first_run_end; i < jr.n; i++)
        writes += strstr(jr.line[i], "query INSERT INTO \"migrator_version"
                                     "\"") ||
                  strstr(jr.line[i], "query UPDATE \"migrator_version\"") ||
                  strstr(jr.line[i], "query DELETE FROM \"migrator_version"
                                     "\"");
    ck_assert_int_eq(writes, 1);
    ck_assert_int_gt(journal_find("UPDATE \"migrator_version\" SET "
                                  "version_num = $1 WHERE version_num = $2 "
                                  "<- 'r3', 'r1'",
                                  first_run_end),
                     journal_find("CREATE TABLE t_r3", first_run_end));
    journal_release();
}
END_TEST

START_TEST(stamp_purge_and_fetch_rows)
{
    struct migrate_request req = { PLAN_STAMP, NULL, NULL, 0, true };
    const char *targets[] = { "r2" };
    struct plan_rows rows = PLAN_ROWS_INIT;

    three_in_a_line();
    prepare("", NULL);
    ck_assert_ok(upgrade("r1"));
    reprepare("", NULL);
    req.targets = targets;
    req.ntargets = 1;
    ck_assert_ok(migrate_online(&ctx, &req));
    ck_assert_str_eq(version_rows(), "r2");
    ck_assert(!table_exists("t_r2")); /* a stamp runs nothing */
    ck_assert_ok(runner_fetch_rows(&ctx, &rows));
    ck_assert_uint_eq(rows.len, 1);
    ck_assert_str_eq(rows.ids[0], "r2");
    plan_rows_release(&rows);
}
END_TEST

START_TEST(non_transactional_section_applied)
{
    script("r1", "");
    script_with("r2", "r1", " transaction=false",
                "CREATE TABLE n1 (x INTEGER);\nCREATE TABLE n2 (x INTEGER);",
                "DROP TABLE n2;\nDROP TABLE n1;");
    prepare("", NULL);
    ck_assert_ok(upgrade("head"));
    ck_assert_str_eq(version_rows(), "r2");
    ck_assert_str_eq(log_rows(), "r1:upgrade:applied,r2:upgrade:applied");
    /* r1 is committed before the section, which runs outside one; the
     * pending record commits on its own and turns into applied. */
    journal_load();
    ck_assert_int_lt(journal_find("commit", journal_find("'r1'", 0)),
                     journal_find("'pending'", 0));
    ck_assert_int_lt(journal_find("'pending'", 0),
                     journal_find("CREATE TABLE n1", 0));
    journal_release();
}
END_TEST

START_TEST(lock_taken_after_waiting)
{
    three_in_a_line();
    prepare("held_by=pid%2042&held_for=2", NULL);
    ck_assert_ok(upgrade("head"));
    ck_assert_str_eq(version_rows(), "r3");
    journal_load();
    ck_assert_int_eq(journal_count("got=0"), 2);
    ck_assert_int_eq(journal_count("got=1"), 1);
    /* Nothing is read before the lock is ours. */
    ck_assert_int_lt(journal_find("got=1", 0), journal_find("query", 0));
    journal_release();
    ck_assert_int_ge(count_events(&events, MGR_EV_LOCK_WAIT), 1);
    ck_assert_str_eq(nth_event(&events, MGR_EV_LOCK_WAIT, 0)->holder,
                     "pid 42");
}
END_TEST

START_TEST(table_lock_taken_and_released)
{
    three_in_a_line();
    prepare("", "lock_strategy = table\n");
    ck_assert_ok(upgrade("head"));
    ck_assert_str_eq(version_rows(), "r3");
    ck_assert_str_eq(query_text("SELECT count(*) FROM migrator_lock"), "0");
    journal_load();
    ck_assert_int_eq(journal_count("try_lock "), 0);
    /* The heartbeat renews the lease on its own connection (once at its
     * start here); the run reads the row when it takes it and before its
     * COMMIT, not once per revision. */
    ck_assert_int_eq(journal_count("UPDATE \"migrator_lock\" SET "
                                   "lease_until"),
                     1);
    ck_assert_int_eq(journal_count("SELECT owner, started_at, lease_until "
                                   "FROM \"migrator_lock\""),
                     2);
    ck_assert_int_gt(journal_find("SELECT owner, started_at, lease_until "
                                  "FROM \"migrator_lock\"",
                                  journal_find("CREATE TABLE t_r3", 0)),
                     0);
    ck_assert_int_gt(journal_find("DELETE FROM \"migrator_lock\"", 0),
                     journal_find("INSERT INTO \"migrator_version\"", 0));
    ck_assert_int_gt(journal_find("INSERT INTO \"migrator_version\"", 0),
                     0);
    journal_release();
}
END_TEST

START_TEST(report_events_of_a_run)
{
    const struct seen_event *e;

    three_in_a_line();
    prepare("", NULL);
    ck_assert_ok(upgrade("head"));
    finish(MGR_OK);
    ck_assert_int_eq(events.v[0].type, MGR_EV_RUN_START);
    ck_assert_int_eq(events.v[1].type, MGR_EV_PLAN);
    ck_assert_int_eq(count_events(&events, MGR_EV_STEP_START), 3);
    ck_assert_int_eq(count_events(&events, MGR_EV_STEP_END), 3);
    e = nth_event(&events, MGR_EV_STEP_START, 1);
    ck_assert_str_eq(e->revision, "r2");
    ck_assert_uint_eq(e->index, 2);
    ck_assert_int_eq(nth_event(&events, MGR_EV_STEP_END, 1)->status, 0);
    e = &events.v[events.len - 1];
    ck_assert_int_eq(e->type, MGR_EV_RUN_END);
    ck_assert_uint_eq(e->committed, 3);
    ck_assert_int_eq(count_events(&events, MGR_EV_ERROR), 0);
}
END_TEST

/* ---- errors: what commits when something fails ------------------------ */

START_TEST(failure_in_one_transaction_applies_nothing)
{
    const struct seen_event *e;
    int rc;

    three_in_a_line();
    prepare("fail_on=t_r3&sqlstate=42P01&detail=the%20detail&hint=a%20hint",
            NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_EDB);
    ck_assert_err_has("r3.sql:7: fake: scripted failure");
    ck_assert_err_has("[SQLSTATE 42P01]");
    ck_assert_err_has("HINT: a hint");
    finish(rc);
    ck_assert_str_eq(version_rows(), "");
    ck_assert_str_eq(log_rows(), "");
    ck_assert(!table_exists("t_r1"));
    e = nth_event(&events, MGR_EV_STEP_END, 2);
    ck_assert_int_eq(e->status, MGR_EDB);
    ck_assert_str_eq(e->revision, "r3");
    ck_assert(e->has_error);
    ck_assert_str_eq(e->sqlstate, "42P01");
    ck_assert_str_eq(e->detail, "the detail");
    ck_assert_str_eq(e->hint, "a hint");
    ck_assert_int_eq(e->line, 7);
    ck_assert_ptr_nonnull(strstr(e->file, "/r3.sql"));
    ck_assert_ptr_nonnull(strstr(e->reason, "scripted failure"));
    ck_assert_uint_eq(nth_event(&events, MGR_EV_RUN_END, 0)->committed, 0);
    ck_assert_int_eq(count_events(&events, MGR_EV_ERROR), 1);
}
END_TEST

START_TEST(failure_per_migration_keeps_earlier_steps)
{
    int rc;

    three_in_a_line();
    prepare("fail_on=t_r3", "transaction_per_migration = true\n");
    rc = upgrade("head");
    ck_assert_status(rc, MGR_EDB);
    finish(rc);
    ck_assert_str_eq(version_rows(), "r2");
    ck_assert_str_eq(log_rows(), "r1:upgrade:applied,r2:upgrade:applied");
    ck_assert(table_exists("t_r2") && !table_exists("t_r3"));
    ck_assert_uint_eq(nth_event(&events, MGR_EV_RUN_END, 0)->committed, 2);
    /* Fixed, the next run applies the rest. */
    reprepare("", "transaction_per_migration = true\n");
    ck_assert_ok(upgrade("head"));
    ck_assert_str_eq(version_rows(), "r3");
}
END_TEST

START_TEST(error_line_follows_the_offset)
{
    int rc;

    script_with("r1", "", "",
                "CREATE TABLE a (x INTEGER);\n\nCREATE TABLE b\n"
                "  (x INTEGER,\n   y INTEGER);",
                "SELECT 1;");
    /* The error is 3 lines into the statement starting on line 9. */
    prepare("fail_on=TABLE%20b&offset=30", NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_EDB);
    ck_assert_err_has("r1.sql:11: ");
}
END_TEST

START_TEST(commit_failure_applies_nothing)
{
    int rc;

    three_in_a_line();
    /* COMMIT 1 is the version tables', 2 the run's. */
    prepare("fail_commit=2", NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_EDB);
    ck_assert_err_has("COMMIT");
    finish(rc);
    ck_assert_str_eq(version_rows(), "");
    ck_assert(!table_exists("t_r1"));
    ck_assert_uint_eq(nth_event(&events, MGR_EV_RUN_END, 0)->committed, 0);
}
END_TEST

START_TEST(commit_failure_per_migration)
{
    int rc;

    three_in_a_line();
    prepare("fail_commit=3", "transaction_per_migration = true\n");
    rc = upgrade("head");
    ck_assert_status(rc, MGR_EDB);
    finish(rc);
    ck_assert_str_eq(version_rows(), "r1");
    ck_assert_str_eq(log_rows(), "r1:upgrade:applied");
    ck_assert_uint_eq(nth_event(&events, MGR_EV_RUN_END, 0)->committed, 1);
}
END_TEST

START_TEST(version_tables_not_created)
{
    int rc;

    three_in_a_line();
    /* Statement 1 is the version table's CREATE TABLE. */
    prepare("fail_at=1", NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_EDB);
    ck_assert(!table_exists("migrator_version"));
    ck_assert(!table_exists("migrator_log"));
    ck_assert(!table_exists("t_r1"));
    journal_load();
    ck_assert_int_eq(journal_find("query CREATE TABLE IF NOT EXISTS "
                                  "\"migrator_version\"", 0),
                     journal_find("query", 0));
    journal_release();
}
END_TEST

START_TEST(connection_lost_mid_step)
{
    int rc;

    three_in_a_line();
    prepare("lose_on=t_r2", "transaction_per_migration = true\n");
    rc = upgrade("head");
    ck_assert_status(rc, MGR_ECONN);
    finish(rc);
    ck_assert_str_eq(version_rows(), "r1");
    ck_assert(!table_exists("t_r2"));
    ck_assert_int_eq(nth_event(&events, MGR_EV_STEP_END, 1)->status,
                     MGR_ECONN);
}
END_TEST

START_TEST(connection_lost_after_commit)
{
    int rc;

    three_in_a_line();
    prepare("lose_commit=2", NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_ECONN);
    /* The outcome the run cannot know: here it did commit. */
    ck_assert_str_eq(version_rows(), "r3");
}
END_TEST

/*
 * The connection lost at the COMMIT that a transaction=false section
 * makes first: the outcome is unknown, so MGR_ECONN (exit 5), not
 * MGR_EDB.
 */
START_TEST(connection_lost_at_section_commit)
{
    int rc;

    script("r1", "");
    script_with("r2", "r1", " transaction=false",
                "CREATE TABLE n1 (x INTEGER);", "SELECT 1;");
    /* COMMIT 1 is the version tables', 2 the one before the section. */
    prepare("lose_commit=2", NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_ECONN);
}
END_TEST

/* R1: the lock is checked before each COMMIT (the version tables', then
 * one per revision here): lost after r1's, r2 is not recorded. */
START_TEST(lost_lock_stops_before_recording)
{
    int rc, lost;

    three_in_a_line();
    prepare("lose_lock_after=2", "transaction_per_migration = true\n");
    rc = upgrade("head");
    ck_assert_status(rc, MGR_ELOCKED);
    ck_assert_str_eq(version_rows(), "r1");
    ck_assert(!table_exists("t_r2"));
    journal_load();
    lost = journal_find("fault lock lost", 0);
    ck_assert_int_gt(lost, 0);
    /* r2's rows were written in its transaction, which never commits. */
    ck_assert_int_eq(journal_find("commit", lost), -1);
    ck_assert_int_gt(journal_find("rollback", lost), lost);
    journal_release();
}
END_TEST

START_TEST(lost_table_lock_stops_before_recording)
{
    int rc;

    script("r1", "");
    script_with("r2", "r1", "", "DELETE FROM migrator_lock;", "SELECT 1;");
    script("r3", "r2");
    prepare("", "lock_strategy = table\ntransaction_per_migration = true\n");
    rc = upgrade("head");
    ck_assert_status(rc, MGR_ELOCKED);
    ck_assert_err_has("lock was lost");
    ck_assert_str_eq(version_rows(), "r1");
}
END_TEST

START_TEST(lock_held_until_lock_wait)
{
    struct timespec t0, t1;
    double waited;
    int rc;

    three_in_a_line();
    prepare("held_by=pid%2042%20(application%20'x')", "lock_wait = 300ms\n");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = upgrade("head");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_status(rc, MGR_ELOCKED);
    ck_assert_err_has("pid 42 (application 'x')");
    waited = (double)(t1.tv_sec - t0.tv_sec) +
             (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_msg(waited >= 0.25 && waited < 3.0, "waited %.2f s", waited);
    ck_assert(!table_exists("migrator_version"));
    journal_load();
    ck_assert_int_ge(journal_count("got=0"), 2);
    ck_assert_int_eq(journal_count("got=1"), 0);
    ck_assert_int_eq(journal_count("query"), 0);
    journal_release();
    ck_assert_str_eq(nth_event(&events, MGR_EV_LOCK_WAIT, 0)->holder,
                     "pid 42 (application 'x')");
}
END_TEST

START_TEST(table_lock_held_by_another)
{
    int rc;

    three_in_a_line();
    prepare("", "lock_strategy = table\nlock_wait = 200ms\n");
    sql_exec("CREATE TABLE migrator_lock (id INTEGER NOT NULL PRIMARY KEY, "
             "owner VARCHAR(200) NOT NULL, started_at VARCHAR(32) NOT NULL, "
             "lease_until VARCHAR(32) NOT NULL);"
             "INSERT INTO migrator_lock VALUES (1, 'someone@else pid 7', "
             "'2020-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z');");
    rc = upgrade("head");
    ck_assert_status(rc, MGR_ELOCKED);
    ck_assert_err_has("someone@else pid 7");
    ck_assert(!table_exists("migrator_version"));
    ck_assert_str_eq(query_text("SELECT owner FROM migrator_lock"),
                     "someone@else pid 7");
}
END_TEST

START_TEST(non_transactional_failure_awaits_resolve)
{
    int rc;

    script("r1", "");
    script_with("r2", "r1", " transaction=false",
                "CREATE TABLE n1 (x INTEGER);\nCREATE TABLE n2 (x INTEGER);",
                "SELECT 1;");
    script("r3", "r2");
    prepare("fail_on=n2", NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_EDB);
    /* r1 committed before the section; its first statement stays. */
    ck_assert_str_eq(version_rows(), "r1");
    ck_assert(table_exists("n1") && !table_exists("n2"));
    ck_assert_str_eq(log_rows(), "r1:upgrade:applied,r2:upgrade:failed");
    ck_assert_ptr_nonnull(strstr(query_text("SELECT detail FROM migrator_log "
                                            "WHERE revision = 'r2'"),
                                 "statement 2 (line 8)"));
    ck_assert(!table_exists("t_r3"));
    /* The next run refuses until resolved. */
    reprepare("", NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_EINTEGRITY);
    ck_assert_err_has("resolve r2");
    ck_assert_str_eq(version_rows(), "r1");
}
END_TEST

START_TEST(edited_script_fails_checksum)
{
    char path[PATH_MAX];
    int rc;

    three_in_a_line();
    prepare("", NULL);
    ck_assert_ok(upgrade("r2"));
    script_path(path, "r1");
    append_file(path, "-- an edit\n");
    reprepare("", NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_ECHECKSUM);
    ck_assert_err_has("checksum mismatch for r1");
    ck_assert_err_has("--accept-checksum");
    ck_assert_str_eq(version_rows(), "r2");
    ck_assert(!table_exists("t_r3"));
}
END_TEST

START_TEST(unknown_row_refused)
{
    int rc;

    three_in_a_line();
    prepare("", NULL);
    ck_assert_ok(upgrade("r1"));
    sql_exec("UPDATE migrator_version SET version_num = 'gone'");
    reprepare("", NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_EINTEGRITY);
    ck_assert_err_has("revision gone is recorded");
}
END_TEST

START_TEST(inconsistent_rows_refused)
{
    int rc;

    three_in_a_line();
    prepare("", NULL);
    ck_assert_ok(upgrade("r2"));
    sql_exec("INSERT INTO migrator_version VALUES ('r1')");
    reprepare("", NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_EINTEGRITY);
    ck_assert_err_has("inconsistent: r1 is recorded");
}
END_TEST

START_TEST(preflight_refuses_before_sending)
{
    int rc;

    script("r1", "");
    script_with("r2", "r1", "", "CREATE TABLE x (a INTEGER);\nVACUUM;",
                "SELECT 1;");
    prepare("", NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_ESCRIPT);
    ck_assert_err_has("r2.sql:8: VACUUM cannot run inside a transaction");
    ck_assert(!table_exists("migrator_version"));
    journal_load();
    ck_assert_int_eq(journal_find("CREATE TABLE t_r1", 0), -1);
    journal_release();
}
END_TEST

START_TEST(unterminated_string_names_file_and_line)
{
    int rc;

    script_with("r1", "", "", "SELECT 1;\nSELECT 'open;", "SELECT 1;");
    prepare("", NULL);
    rc = upgrade("head");
    ck_assert_status(rc, MGR_ESCRIPT);
    ck_assert_err_has("r1.sql:8: unterminated");
}
END_TEST

START_TEST(connect_failure)
{
    struct runner r;
    int rc;

    three_in_a_line();
    prepare("connect_fail=econn", NULL);
    rc = runner_open(&r, &ctx, true);
    ck_assert_status(rc, MGR_ECONN);
    ck_assert_err_has("scripted connection failure");
}
END_TEST

START_TEST(unknown_scheme)
{
    struct runner r;
    int rc;

    three_in_a_line();
    url_instead = "nosuch://x";
    prepare("", NULL);
    rc = runner_open(&r, &ctx, true);
    ck_assert_status(rc, MGR_ECONFIG);
    ck_assert_err_has("'nosuch'");
}
END_TEST

START_TEST(bad_lock_strategy)
{
    struct runner r;
    int rc;

    three_in_a_line();
    prepare("", "lock_strategy = table\n");
    config_set(ctx.config, "lock_strategy", "sometimes");
    rc = runner_open(&r, &ctx, true);
    ck_assert_status(rc, MGR_ECONFIG);
    ck_assert_err_has("lock_strategy 'sometimes'");
}
END_TEST

START_TEST(try_lock_error_ends_the_wait)
{
    struct runner r;
    int rc;

    three_in_a_line();
    prepare("try_lock_error=1", NULL);
    rc = runner_open(&r, &ctx, true);
    ck_assert_status(rc, MGR_EDB);
    journal_load();
    ck_assert_int_eq(journal_count("query"), 0);
    journal_release();
}
END_TEST

/* The direct interfaces: version-table changes that do not match. */
START_TEST(vtable_update_must_match_one_row)
{
    struct plan_op op = { PLAN_UPDATE, "nope", "r2" };
    struct runner r;
    int rc;

    three_in_a_line();
    prepare("", NULL);
    ck_assert_ok(runner_open(&r, &ctx, true));
    ck_assert_ok(runner_ensure_tables(&r));
    rc = vtable_apply(&r.vt, &op, &ctx.err);
    ck_assert_status(rc, MGR_EDB);
    ck_assert_err_has("but 0 matched");
    op = (struct plan_op){ PLAN_DELETE, "nope", NULL };
    rc = vtable_apply(&r.vt, &op, &ctx.err);
    ck_assert_status(rc, MGR_EDB);
    runner_close(&r);
}
END_TEST

START_TEST(tablelock_remove_respects_lease)
{
    struct tablelock_row row;
    struct runner r;
    bool removed = true;

    three_in_a_line();
    prepare("", NULL);
    ck_assert_ok(runner_open(&r, &ctx, false));
    ck_assert_ok(tablelock_read(&r.vt, &row, &ctx.err));
    ck_assert(!row.found); /* no table: no row */
    ck_assert_ok(tablelock_ensure(&r.vt, &ctx.err));
    sql_exec("INSERT INTO migrator_lock VALUES (1, 'old pid 1', "
             "'2020-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z')");
    ck_assert_ok(tablelock_read(&r.vt, &row, &ctx.err));
    ck_assert(row.found && !tablelock_stale(&row));
    ck_assert_str_eq(row.owner, "old pid 1");
    /* Renewed since it was read: the row read is not removed. */
    sql_exec("UPDATE migrator_lock SET lease_until = "
             "'2020-01-01T00:05:00.000Z'");
    ck_assert_ok(tablelock_remove(&r.vt, &row, false, &removed, &ctx.err));
    ck_assert(!removed);
    ck_assert_ok(tablelock_read(&r.vt, &row, &ctx.err));
    ck_assert(tablelock_stale(&row));
    ck_assert_ok(tablelock_remove(&r.vt, &row, false, &removed, &ctx.err));
    ck_assert(removed);
    runner_close(&r);
    ck_assert_str_eq(query_text("SELECT count(*) FROM migrator_lock"), "0");
}
END_TEST

/*
 * SIGINT in the middle of a statement. runner.c keeps the caught signal
 * for the life of the process, so the run happens in a child of its own,
 * which reports by its exit code: 0 when everything held, else the
 * number of the check that failed.
 */
static int interrupted_run(void)
{
    int rc = upgrade("head");

    if (rc != MGR_EINTR)
        return 10;
    if (!strstr(ctx.err.msg, "interrupted by signal 2"))
        return 11;
    if (strcmp(version_rows(), "") != 0 || table_exists("t_r1"))
        return 12;
    if (runner_interrupted() != SIGINT)
        return 13;
    return 0;
}

START_TEST(interrupt_rolls_back)
{
    pid_t pid;
    int status = 0;

    three_in_a_line();
    prepare("interrupt_on=t_r2", NULL);
    fflush(NULL);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(interrupted_run());
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "child status %d", status);
    journal_load();
    ck_assert_int_eq(journal_count("fault interrupted"), 1);
    ck_assert_int_eq(journal_find("CREATE TABLE t_r3", 0), -1);
    journal_release();
}
END_TEST

/* ---- limits ----------------------------------------------------------- */

START_TEST(nothing_to_do)
{
    three_in_a_line();
    prepare("", NULL);
    ck_assert_ok(upgrade("head"));
    reprepare("", NULL);
    ck_assert_int_eq(truncate(journal_path, 0), 0);
    ck_assert_ok(upgrade("head"));
    finish(MGR_OK);
    ck_assert_int_eq(count_events(&events, MGR_EV_STEP_START), 0);
    journal_load();
    ck_assert_int_eq(journal_find("INSERT", 0), -1);
    ck_assert_int_eq(journal_find("UPDATE", 0), -1);
    journal_release();
}
END_TEST

START_TEST(lock_wait_zero_tries_once)
{
    int rc;

    three_in_a_line();
    prepare("held_by=x", "lock_wait = 0\n");
    rc = upgrade("head");
    ck_assert_status(rc, MGR_ELOCKED);
    journal_load();
    ck_assert_int_eq(journal_count("try_lock "), 1);
    journal_release();
}
END_TEST

START_TEST(version_table_name_limits)
{
    char name[80];
    struct runner r;
    int rc;

    three_in_a_line();
    memset(name, 'v', 63);
    name[63] = '\0';
    prepare("", NULL);
    config_set(ctx.config, "version_table", name);
    ck_assert_ok(upgrade("head"));
    ck_assert(table_exists(name));
    strcat(name, "v");
    config_set(ctx.config, "version_table", name);
    rc = runner_open(&r, &ctx, true);
    ck_assert_status(rc, MGR_ECONFIG);
    ck_assert_err_has("must have 1 to 63 bytes");
}
END_TEST

START_TEST(hostile_table_name_is_quoted)
{
    three_in_a_line();
    prepare("", NULL);
    config_set(ctx.config, "version_table", "v\"; DROP TABLE t_r1; --");
    ck_assert_ok(upgrade("head"));
    ck_assert(table_exists("t_r1"));
    ck_assert_str_eq(query_text("SELECT version_num FROM "
                                "\"v\"\"; DROP TABLE t_r1; --\""),
                     "r3");
}
END_TEST

START_TEST(many_steps_one_transaction_each)
{
    char id[16], parent[16] = "";

    for (int i = 1; i <= 30; i++) {
        snprintf(id, sizeof(id), "s%02d", i);
        script(id, parent);
        memcpy(parent, id, sizeof(id));
    }
    prepare("", "transaction_per_migration = true\n");
    ck_assert_ok(upgrade("head"));
    ck_assert_str_eq(version_rows(), "s30");
    ck_assert_str_eq(query_text("SELECT count(*) FROM migrator_log"), "30");
    journal_load();
    ck_assert_int_eq(journal_count("commit"), 31);
    /* One check before each COMMIT. */
    ck_assert_int_eq(journal_count("lock_check"), 31);
    journal_release();
}
END_TEST

START_TEST(lock_strategy_none_takes_no_lock)
{
    three_in_a_line();
    prepare("held_by=x", "lock_strategy = none\n");
    ck_assert_ok(upgrade("head"));
    journal_load();
    ck_assert_int_eq(journal_count("try_lock"), 0);
    ck_assert_int_eq(journal_count("lock_check"), 0);
    ck_assert_int_eq(journal_count("unlock"), 0);
    journal_release();
}
END_TEST

static Suite *runner_suite(void)
{
    Suite *s = suite_create("runner");
    TCase *core = tcase_create("core");
    TCase *errors = tcase_create("errors");
    TCase *limits = tcase_create("limits");

    tcase_add_checked_fixture(core, setup, teardown);
    tcase_add_test(core, upgrade_records_rows_and_log);
    tcase_add_test(core, per_migration_commits_each_step);
    tcase_add_test(core, branch_and_merge_up_and_down);
    tcase_add_test(core, merge_run_writes_the_net_change);
    tcase_add_test(core, stamp_purge_and_fetch_rows);
    tcase_add_test(core, non_transactional_section_applied);
    tcase_add_test(core, lock_taken_after_waiting);
    tcase_add_test(core, table_lock_taken_and_released);
    tcase_add_test(core, report_events_of_a_run);
    suite_add_tcase(s, core);

    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, failure_in_one_transaction_applies_nothing);
    tcase_add_test(errors, failure_per_migration_keeps_earlier_steps);
    tcase_add_test(errors, error_line_follows_the_offset);
    tcase_add_test(errors, commit_failure_applies_nothing);
    tcase_add_test(errors, commit_failure_per_migration);
    tcase_add_test(errors, version_tables_not_created);
    tcase_add_test(errors, connection_lost_mid_step);
    tcase_add_test(errors, connection_lost_after_commit);
    tcase_add_test(errors, connection_lost_at_section_commit);
    tcase_add_test(errors, lost_lock_stops_before_recording);
    tcase_add_test(errors, lost_table_lock_stops_before_recording);
    tcase_add_test(errors, lock_held_until_lock_wait);
    tcase_add_test(errors, table_lock_held_by_another);
    tcase_add_test(errors, non_transactional_failure_awaits_resolve);
    tcase_add_test(errors, edited_script_fails_checksum);
    tcase_add_test(errors, unknown_row_refused);
    tcase_add_test(errors, inconsistent_rows_refused);
    tcase_add_test(errors, preflight_refuses_before_sending);
    tcase_add_test(errors, unterminated_string_names_file_and_line);
    tcase_add_test(errors, connect_failure);
    tcase_add_test(errors, unknown_scheme);
    tcase_add_test(errors, bad_lock_strategy);
    tcase_add_test(errors, try_lock_error_ends_the_wait);
    tcase_add_test(errors, vtable_update_must_match_one_row);
    tcase_add_test(errors, tablelock_remove_respects_lease);
    tcase_add_test(errors, interrupt_rolls_back);
    suite_add_tcase(s, errors);

    tcase_add_checked_fixture(limits, setup, teardown);
    tcase_add_test(limits, nothing_to_do);
    tcase_add_test(limits, lock_wait_zero_tries_once);
    tcase_add_test(limits, version_table_name_limits);
    tcase_add_test(limits, hostile_table_name_is_quoted);
    tcase_add_test(limits, many_steps_one_transaction_each);
    tcase_add_test(limits, lock_strategy_none_takes_no_lock);
    suite_add_tcase(s, limits);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(runner_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
