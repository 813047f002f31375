/*
 * check_project.c: the library API of migrator.h, used as an application
 * uses it (public headers only, linked against libmigrator.la): open a
 * project, ask its graph, read the status of a SQLite database, upgrade
 * with an event callback; and the commands of commands.h (a run with its
 * reports, the plugin scan).
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include <migrator/commands.h>
#include <migrator/migrator.h>
#include <migrator/plugin.h>

static char dir[256], ini[300], db[300], url[320];
static struct mgr_project *project;
static struct mgr_db_status *status;
static struct mgr_error err;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static void write_rev(const char *id, const char *parent, const char *up)
{
    char path[400], text[1024];

    snprintf(path, sizeof(path), "%s/versions/%s_rev.sql", dir, id);
    snprintf(text, sizeof(text),
             "-- revision %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n"
             "-- migrate:upgrade\n%s\n\n-- migrate:downgrade\nSELECT 1;\n",
             id, id, parent, up);
    write_file(path, text);
}

static void setup(void)
{
    char versions[300];

    snprintf(dir, sizeof(dir), "%s/tmp-project-XXXXXX", TEST_TMPDIR);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(versions, sizeof(versions), "%s/versions", dir);
    ck_assert_int_eq(mkdir(versions, 0755), 0);
    snprintf(ini, sizeof(ini), "%s/migrator.ini", dir);
    snprintf(db, sizeof(db), "%s/app.db", dir);
    snprintf(url, sizeof(url), "sqlite:///%s", db);
    write_file(ini, "[migrator]\nscript_location = %(here)s\n"
                    "version_locations = %(here)s/versions\n");
    write_rev("r1", "", "CREATE TABLE t1 (x int);");
    write_rev("r2", "r1", "CREATE TABLE t2 (x int);");
    memset(&err, 0, sizeof(err));
    project = NULL;
    status = NULL;
}

static void teardown(void)
{
    char cmd[400];

    mgr_db_status_free(status);
    mgr_project_free(project);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static int open_project(void)
{
    struct mgr_project_options o = { .size = sizeof(o) };

    o.config_path = ini;
    o.database_url = url;
    o.plugin_dir = TEST_PLUGINDIR;
    return mgr_project_open(&o, &project, &err);
}

/* The tables of the database, "a,b,", by name. */
static char tables[512];
static const char *table_names(void)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;

    tables[0] = '\0';
    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master "
                                           "WHERE type = 'table' ORDER BY 1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        strncat(tables, (const char *)sqlite3_column_text(st, 0),
                sizeof(tables) - strlen(tables) - 2);
        strcat(tables, ",");
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return tables;
}

static void exec_sql(const char *sql)
{
    sqlite3 *h = NULL;

    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

START_TEST(test_graph_queries)
{
    struct mgr_revision_info info;
    char **ids = NULL;
    size_t n = 0;

    ck_assert_int_eq(open_project(), MGR_OK);
    ck_assert_uint_eq(mgr_project_revision_count(project), 2);
    ck_assert_int_eq(mgr_project_heads(project, &ids, &n, &err), MGR_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(ids[0], "r2");
    ck_assert_ptr_null(ids[1]);
    mgr_strings_free(ids);
    ck_assert_int_eq(mgr_project_history(project, NULL, NULL, &ids, &n,
                                         &err),
                     MGR_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(ids[0], "r2");
    ck_assert_str_eq(ids[1], "r1");
    mgr_strings_free(ids);
    ck_assert_int_eq(mgr_project_show(project, "head", &info, &err),
                     MGR_OK);
    ck_assert_str_eq(info.id, "r2");
    ck_assert_str_eq(info.message, "revision r2");
    ck_assert_uint_eq(info.nparents, 1);
    ck_assert_str_eq(info.parents[0], "r1");
    ck_assert_int_eq(mgr_project_show(project, "nope", &info, &err),
                     MGR_EREVISION);
    ck_assert_ptr_nonnull(strstr(err.msg, "nope"));
}
END_TEST

struct seen {
    int steps_ended;
    int run_end;
    int last_exit_code;
};

static void count_events(void *ctx, const struct mgr_event *ev)
{
    struct seen *s = ctx;

    if (ev->type == MGR_EV_STEP_END && ev->status == MGR_OK)
        s->steps_ended++;
    if (ev->type == MGR_EV_RUN_END) {
        s->run_end++;
        s->last_exit_code = ev->exit_code;
    }
}

START_TEST(test_status_behind_then_upgrade_then_up_to_date)
{
    struct seen seen = { 0, 0, -1 };

    ck_assert_int_eq(open_project(), MGR_OK);
    ck_assert_int_eq(mgr_project_status(project, &status, &err), MGR_OK);
    ck_assert_int_eq(status->state, MGR_DB_BEHIND);
    ck_assert_str_eq(mgr_db_state_name(status->state), "behind");
    ck_assert_uint_eq(status->npending, 2);
    ck_assert_str_eq(status->pending[0], "r1");
    ck_assert_str_eq(status->pending[1], "r2");
    ck_assert_uint_eq(status->ncurrent, 0);
    ck_assert_ptr_nonnull(strstr(status->detail, "upgrade"));
    /* Read-only: not even the SQLite file is made. */
    ck_assert_int_ne(access(db, F_OK), 0);
    ck_assert_uint_eq(status->states, MGR_DB_BIT(MGR_DB_BEHIND));
    ck_assert_uint_eq(status->nheads, 1);
    ck_assert_str_eq(status->heads[0], "r2");
    mgr_db_status_free(status);
    status = NULL;

    ck_assert_int_eq(mgr_project_upgrade(project, "r1", count_events, &seen,
                                         &err),
                     MGR_OK);
    ck_assert_int_eq(seen.steps_ended, 1);
    ck_assert_int_eq(seen.run_end, 1);
    ck_assert_int_eq(seen.last_exit_code, 0);
    ck_assert_int_eq(mgr_project_status(project, &status, &err), MGR_OK);
    ck_assert_int_eq(status->state, MGR_DB_BEHIND);
    ck_assert_uint_eq(status->npending, 1);
    ck_assert_str_eq(status->current[0], "r1");
    mgr_db_status_free(status);
    status = NULL;

    ck_assert_int_eq(mgr_project_upgrade(project, "head", NULL, NULL, &err),
                     MGR_OK);
    ck_assert_int_eq(mgr_project_status(project, &status, &err), MGR_OK);
    ck_assert_int_eq(status->state, MGR_DB_UP_TO_DATE);
    ck_assert_uint_eq(status->npending, 0);
    ck_assert_str_eq(status->detail, "");
    ck_assert_str_eq(table_names(),
                     "migrator_formats,migrator_log,migrator_schema,"
                     "migrator_version,t1,t2,");
}
END_TEST

START_TEST(test_downgrade)
{
    struct seen seen = { 0, 0, -1 };

    ck_assert_int_eq(open_project(), MGR_OK);
    ck_assert_int_eq(mgr_project_upgrade(project, "head", NULL, NULL, &err),
                     MGR_OK);
    ck_assert_int_eq(mgr_project_downgrade(project, "-1", count_events,
                                           &seen, &err),
                     MGR_OK);
    ck_assert_int_eq(seen.steps_ended, 1);
    ck_assert_int_eq(mgr_project_status(project, &status, &err), MGR_OK);
    ck_assert_int_eq(status->state, MGR_DB_BEHIND);
    ck_assert_str_eq(status->current[0], "r1");
    ck_assert_int_eq(mgr_project_downgrade(project, "nope", NULL, NULL,
                                           &err),
                     MGR_EREVISION);
}
END_TEST

START_TEST(test_status_ahead_and_edited)
{
    ck_assert_int_eq(open_project(), MGR_OK);
    ck_assert_int_eq(mgr_project_upgrade(project, "head", NULL, NULL, &err),
                     MGR_OK);
    exec_sql("INSERT INTO migrator_version VALUES ('r9')");
    ck_assert_int_eq(mgr_project_status(project, &status, &err), MGR_OK);
    ck_assert_int_eq(status->state, MGR_DB_AHEAD);
    ck_assert_uint_eq(status->nunknown, 1);
    ck_assert_str_eq(status->unknown[0], "r9");
    mgr_db_status_free(status);
    status = NULL;

    exec_sql("DELETE FROM migrator_version WHERE version_num = 'r9'");
    write_rev("r1", "", "CREATE TABLE t1 (x int, edited int);");
    ck_assert_int_eq(mgr_project_status(project, &status, &err), MGR_OK);
    ck_assert_int_eq(status->state, MGR_DB_EDITED);
    ck_assert_ptr_nonnull(strstr(status->detail, "r1"));
}
END_TEST

/* Every situation at once: each is reported, the first to deal with as
 * the primary state. */
START_TEST(test_status_reports_every_state)
{
    ck_assert_int_eq(open_project(), MGR_OK);
    ck_assert_int_eq(mgr_project_upgrade(project, "head", NULL, NULL, &err),
                     MGR_OK);
    exec_sql("INSERT INTO migrator_version VALUES ('r1');"
             "INSERT INTO migrator_version VALUES ('r9');"
             "INSERT INTO migrator_log (revision, direction, status, "
             "checksum, applied_at, duration_ms, applied_by, detail) "
             "VALUES ('r2', 'upgrade', 'failed', '', '2999-01-01', 0, 'x', "
             "'statement 2 (line 9)');"
             "CREATE TABLE migrator_lock (id INTEGER PRIMARY KEY, owner "
             "TEXT, started_at TEXT, lease_until TEXT);"
             "INSERT INTO migrator_lock VALUES (1, 'bob@db pid 7', "
             "'2001-01-01T00:00:00.000Z', '2001-01-01T00:05:00.000Z');");
    write_rev("r1", "", "CREATE TABLE t1 (x int, edited int);");
    ck_assert_int_eq(mgr_project_status(project, &status, &err), MGR_OK);
    ck_assert_int_eq(status->state, MGR_DB_FAILED);
    ck_assert_uint_eq(status->states,
                      MGR_DB_BIT(MGR_DB_FAILED) | MGR_DB_BIT(MGR_DB_EDITED) |
                          MGR_DB_BIT(MGR_DB_AHEAD) |
                          MGR_DB_BIT(MGR_DB_DIVERGED));
    ck_assert(mgr_db_status_has(status, MGR_DB_AHEAD));
    ck_assert(!mgr_db_status_has(status, MGR_DB_BEHIND));
    ck_assert(!mgr_db_status_has(status, MGR_DB_UP_TO_DATE));
    ck_assert_uint_eq(status->nfailed, 1);
    ck_assert_str_eq(status->failed[0].revision, "r2");
    ck_assert_str_eq(status->failed[0].detail,
                     "failed at statement 2 (line 9)");
    ck_assert_ptr_null(status->failed[1].revision);
    ck_assert_uint_eq(status->nedited, 1);
    ck_assert_str_eq(status->edited[0].revision, "r1");
    ck_assert_ptr_nonnull(strstr(status->edited[0].path, "/r1_rev.sql"));
    ck_assert_ptr_nonnull(strstr(status->edited[0].detail, "file sha256:"));
    ck_assert_uint_eq(status->nunknown, 1);
    ck_assert_str_eq(status->unknown[0], "r9");
    ck_assert_uint_eq(status->ndiverged, 1);
    ck_assert_str_eq(status->diverged[0], "r1");
    ck_assert_uint_eq(status->npending, 0);
    ck_assert_str_eq(status->lock_holder, "bob@db pid 7");
    ck_assert_str_eq(status->lock_since, "2001-01-01T00:00:00.000Z");
    ck_assert(status->lock_stale);
    ck_assert_ptr_nonnull(strstr(status->detail, "--mark-rolled-back"));
    mgr_db_status_free(status);
    status = NULL;

    /* Settled one by one, the next takes the lead. */
    exec_sql("DELETE FROM migrator_log WHERE status = 'failed';"
             "UPDATE migrator_lock SET lease_until = '2999-01-01T00:00:00Z'");
    ck_assert_int_eq(mgr_project_status(project, &status, &err), MGR_OK);
    ck_assert_int_eq(status->state, MGR_DB_EDITED);
    ck_assert(!status->lock_stale);
    mgr_db_status_free(status);
    status = NULL;
    write_rev("r1", "", "CREATE TABLE t1 (x int);");
    ck_assert_int_eq(mgr_project_status(project, &status, &err), MGR_OK);
    ck_assert_int_eq(status->state, MGR_DB_AHEAD);
    mgr_db_status_free(status);
    status = NULL;
    exec_sql("DELETE FROM migrator_version WHERE version_num = 'r9'");
    ck_assert_int_eq(mgr_project_status(project, &status, &err), MGR_OK);
    ck_assert_int_eq(status->state, MGR_DB_DIVERGED);
    ck_assert_ptr_nonnull(strstr(status->detail, "r1"));
    mgr_db_status_free(status);
    status = NULL;
    exec_sql("DELETE FROM migrator_version WHERE version_num = 'r1'");
    ck_assert_int_eq(mgr_project_status(project, &status, &err), MGR_OK);
    ck_assert_int_eq(status->state, MGR_DB_UP_TO_DATE);
    ck_assert_uint_eq(status->states, 0);
    ck_assert(mgr_db_status_has(status, MGR_DB_UP_TO_DATE));
}
END_TEST

START_TEST(test_failed_upgrade_reports_its_exit_code)
{
    struct seen seen = { 0, 0, -1 };

    write_rev("r3", "r2", "SELECT * FROM no_such_table;");
    ck_assert_int_eq(open_project(), MGR_OK);
    ck_assert_int_eq(mgr_project_upgrade(project, "head", count_events, &seen,
                                         &err),
                     MGR_EDB);
    ck_assert_ptr_nonnull(strstr(err.msg, "no_such_table"));
    ck_assert_int_eq(seen.run_end, 1);
    ck_assert_int_eq(seen.last_exit_code, 1);
    ck_assert_int_eq(mgr_status_exit_code(MGR_EDB), 1);
}
END_TEST

START_TEST(test_open_errors)
{
    struct mgr_project_options o = { .size = 4 };

    ck_assert_int_eq(mgr_project_open(&o, &project, &err), MGR_EUSAGE);
    ck_assert_ptr_null(project);
    write_rev("r3", "nosuch", "SELECT 1;");
    ck_assert_int_ne(open_project(), MGR_OK);
    ck_assert_ptr_null(project);
    ck_assert_ptr_nonnull(strstr(err.msg, "nosuch"));
}
END_TEST

START_TEST(test_values_override_the_config)
{
    struct mgr_project_options o = { .size = sizeof(o) };
    char setting[400];
    const char *values[] = { setting, NULL };

    snprintf(setting, sizeof(setting), "database_url=%s", url);
    o.config_path = ini;
    o.values = values;
    o.plugin_dir = TEST_PLUGINDIR;
    ck_assert_int_eq(mgr_project_open(&o, &project, &err), MGR_OK);
    ck_assert_int_eq(mgr_project_status(project, &status, &err), MGR_OK);
    ck_assert_int_eq(status->state, MGR_DB_BEHIND);
}
END_TEST

/* ---- runs (commands.h) ----------------------------------------------- */

/* Options for a run whose json report goes to dir/report.json. */
static void run_options(struct mgr_project_options *o, char *report,
                        size_t n)
{
    memset(o, 0, sizeof(*o));
    o->size = sizeof(*o);
    o->config_path = ini;
    o->database_url = url;
    o->plugin_dir = TEST_PLUGINDIR;
    o->default_plugin_dir = TEST_PLUGINDIR;
    o->reporter = "json";
    snprintf(report, n, "%s/report.json", dir);
    o->report_file = report;
    o->verbosity = -1;
    o->color = 0;
}

/* The report file's text (static). */
static const char *report_text(const char *path)
{
    static char text[8192];
    FILE *f = fopen(path, "r");
    size_t n;

    ck_assert_ptr_nonnull(f);
    n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

START_TEST(test_run_upgrade_reports)
{
    struct mgr_project_options o;
    struct mgr_run *run = NULL;
    const char *head[] = { "head" };
    char report[400];

    run_options(&o, report, sizeof(report));
    ck_assert_int_eq(mgr_global_init(&err), MGR_OK);
    ck_assert_int_eq(mgr_run_open(&o, "upgrade", &run, &err), MGR_OK);
    ck_assert_int_eq(mgr_run_upgrade(run, head, 1, false, &err), MGR_OK);
    ck_assert_int_eq(mgr_run_end(run, MGR_OK, 0), MGR_OK);
    mgr_global_cleanup();
    ck_assert_str_eq(table_names(),
                     "migrator_formats,migrator_log,migrator_schema,"
                     "migrator_version,t1,t2,");
    ck_assert_ptr_nonnull(strstr(report_text(report), "run_end"));
}
END_TEST

/* A config that fails to load still reaches the reports. */
START_TEST(test_run_reports_a_bad_config)
{
    struct mgr_project_options o;
    struct mgr_run *run = NULL;
    char report[400], missing[400];
    int rc;

    run_options(&o, report, sizeof(report));
    snprintf(missing, sizeof(missing), "%s/nosuch.ini", dir);
    o.config_path = missing;
    ck_assert_int_eq(mgr_global_init(&err), MGR_OK);
    rc = mgr_run_open(&o, "heads", &run, &err);
    ck_assert_int_ne(rc, MGR_OK);
    ck_assert_ptr_nonnull(run);
    ck_assert_ptr_nonnull(strstr(err.msg, "nosuch.ini"));
    mgr_run_fail(run, rc, mgr_status_exit_code(rc), err.msg);
    ck_assert_int_eq(mgr_run_end(run, rc, mgr_status_exit_code(rc)),
                     MGR_OK);
    mgr_global_cleanup();
    ck_assert_ptr_nonnull(strstr(report_text(report), "nosuch.ini"));
}
END_TEST

START_TEST(test_plugins_scan)
{
    struct mgr_project_options o = { .size = sizeof(o) };
    struct mgr_plugin_files *files = NULL;
    bool sqlite = false;

    o.config_path = ini;
    o.default_plugin_dir = TEST_PLUGINDIR;
    ck_assert_int_eq(mgr_plugins_scan(&o, &files, &err), MGR_OK);
    for (size_t i = 0; i < files->n; i++)
        if (files->v[i].state == MGR_PLUGIN_FILE_LOADED &&
            strcmp(files->v[i].kind, "dialect") == 0 &&
            strcmp(files->v[i].name, "sqlite") == 0)
            sqlite = true;
    ck_assert(sqlite);
    mgr_plugin_files_free(files);
}
END_TEST

static Suite *project_suite(void)
{
    Suite *s = suite_create("project");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_graph_queries);
    tcase_add_test(tc, test_status_behind_then_upgrade_then_up_to_date);
    tcase_add_test(tc, test_status_ahead_and_edited);
    tcase_add_test(tc, test_status_reports_every_state);
    tcase_add_test(tc, test_failed_upgrade_reports_its_exit_code);
    tcase_add_test(tc, test_downgrade);
    tcase_add_test(tc, test_values_override_the_config);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_open_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("runs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_run_upgrade_reports);
    tcase_add_test(tc, test_run_reports_a_bad_config);
    tcase_add_test(tc, test_plugins_scan);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(project_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
