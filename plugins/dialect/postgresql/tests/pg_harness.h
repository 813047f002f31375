/*
 * pg_harness.h: the private PostgreSQL server the plugin's server suites
 * run against (tests/pg/pg_server.sh starts it for the run and stops it
 * after), and statements run on it as the superuser.
 */
#ifndef MGR_PG_TEST_HARNESS_H
#define MGR_PG_TEST_HARNESS_H

#include <stddef.h>

#include <check.h>

extern char server_dir[256];       /* where the server lives: its socket */
extern char server_conninfo[512];  /* as pg_server.sh printed it */
extern char server_port[16];

/*
 * Start the server: 0 started, 77 no server to test against (a skip, or
 * with MGR_PGSQL_TESTS_REQUIRED a failure the script reports), anything
 * else failed.
 */
int server_start(void);
void server_stop(void);

/* "host=... port=... user=<user> dbname=<db>" into out. */
void server_conninfo_for(const char *user, const char *db, char *out,
                         size_t size);

/*
 * Run sql as postgres in database db. 0, or -1 with the reason in why.
 */
int admin_try(const char *db, const char *sql, char *why, size_t size);

/* The same inside a test or fixture: a failure fails it. */
void admin(const char *db, const char *sql);

/*
 * The suite's main: start the server, run setup_sql statements (NULL
 * ends them) in database postgres, run the suite make_suite makes, stop
 * the server.
 * The exit code: 0, 1, or 77 when there is no server (which
 * pg_server.sh turns into a failure when the tests are required).
 */
int harness_main(const char *name, Suite *(*make_suite)(void),
                 const char *const *setup_sql);

#endif
