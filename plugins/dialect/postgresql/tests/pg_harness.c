/*
 * pg_harness.c: the private PostgreSQL server of a suite run; see
 * pg_harness.h.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "pg_harness.h"

char server_dir[256];
char server_conninfo[512];
char server_port[16];

/* pg_server.sh verb server_dir; its first line of output into out. */
static int shell(const char *verb, char *out, size_t size)
{
    char cmd[1024];
    FILE *p;
    int status;

    snprintf(cmd, sizeof(cmd), "sh '%s' %s '%s'", PG_SERVER_SH, verb,
             server_dir);
    p = popen(cmd, "r");
    if (!p)
        return -1;
    if (out) {
        out[0] = '\0';
        if (!fgets(out, (int)size, p))
            out[0] = '\0';
        out[strcspn(out, "\n")] = '\0';
    }
    status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int server_start(void)
{
    const char *p;
    int rc;

    snprintf(server_dir, sizeof(server_dir), "/tmp/mgr-pgcheck.XXXXXX");
    if (!mkdtemp(server_dir)) {
        perror("mkdtemp");
        return 1;
    }
    rc = shell("start", server_conninfo, sizeof(server_conninfo));
    if (rc != 0) {
        if (rc != 77)
            shell("stop", NULL, 0);
        rmdir(server_dir);
        return rc;
    }
    p = strstr(server_conninfo, "port=");
    if (!p)
        return 1;
    snprintf(server_port, sizeof(server_port), "%.*s",
             (int)strcspn(p + 5, " "), p + 5);
    return 0;
}

void server_stop(void)
{
    if (shell("stop", NULL, 0) != 0)
        fprintf(stderr, "cannot stop the test server in '%s'\n", server_dir);
}

void server_conninfo_for(const char *user, const char *db, char *out,
                         size_t size)
{
    snprintf(out, size, "host=%s port=%s user=%s dbname=%s", server_dir,
             server_port, user, db);
}

static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

int admin_try(const char *db, const char *sql, char *why, size_t size)
{
    char ci[600];
    PGconn *pg;
    PGresult *res;
    int rc = 0;

    server_conninfo_for("postgres", db, ci, sizeof(ci));
    pg = PQconnectdb(ci);
    if (PQstatus(pg) != CONNECTION_OK) {
        snprintf(why, size, "connect: %s", PQerrorMessage(pg));
        PQfinish(pg);
        return -1;
    }
    PQsetNoticeProcessor(pg, quiet_notice, NULL);
    res = PQexec(pg, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK &&
        PQresultStatus(res) != PGRES_TUPLES_OK) {
        snprintf(why, size, "'%s': %s", sql, PQerrorMessage(pg));
        rc = -1;
    }
    PQclear(res);
    PQfinish(pg);
    return rc;
}

void admin(const char *db, const char *sql)
{
    char why[1024];

    ck_assert_msg(admin_try(db, sql, why, sizeof(why)) == 0, "admin %s",
                  why);
}

int harness_main(const char *name, Suite *(*make_suite)(void),
                 const char *const *setup_sql)
{
    SRunner *sr;
    char why[1024];
    int rc, failed;

    rc = server_start();
    if (rc == 77) {
        fprintf(stderr, "%s: SKIP: no PostgreSQL server to test against\n",
                name);
        return 77;
    }
    if (rc != 0) {
        fprintf(stderr, "%s: the test server did not start (pg_server.sh "
                        "exit %d)\n",
                name, rc);
        return 1;
    }
    for (size_t k = 0; setup_sql && setup_sql[k]; k++)
        if (admin_try("postgres", setup_sql[k], why, sizeof(why)) != 0) {
            fprintf(stderr, "%s: %s\n", name, why);
            server_stop();
                return EXIT_FAILURE;
        }
    sr = srunner_create(make_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    server_stop();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
