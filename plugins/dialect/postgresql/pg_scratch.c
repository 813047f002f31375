/*
 * pg_scratch.c: scratch databases, where the host applies schema_file to
 * read the schema it describes.
 *
 * scratch_open creates "migrator_scratch_<pid>_<n>" from template0 (so
 * that nothing added to template1 shows up in it) on the host's
 * connection, n counting the process's scratch databases (past any name
 * already taken), then connects to it with the parameters of the host's
 * URL and that database name. A role without CREATEDB gets an error
 * that points at dev_url, the host's way around it.
 *
 * scratch_close ends the scratch connection and drops the database
 * whatever happened in it: WITH (FORCE) from PostgreSQL 13 on, which
 * ends any session left in it; before 13 the drop is retried while the
 * server is still ending ours. DROP DATABASE cannot run inside a
 * transaction block, so when the host's connection is in one, the drop
 * runs on a short connection of its own made as the host's was. Only
 * names scratch_open makes are ever dropped.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pg.h"

#define SCRATCH_PREFIX "migrator_scratch_"
#define SQLSTATE_NO_PRIVILEGE "42501"
#define SQLSTATE_IN_USE "55006"
#define SQLSTATE_TAKEN "42P04"  /* duplicate_database */
#define CREATE_TRIES 100
#define DROP_TRIES 50       /* before 13: waits for our session to end */
#define DROP_PAUSE_MS 100

/* "<verb> "name"<tail>" into sql. */
static void database_sql(struct pg_state *st, const char *verb,
                         const char *name, const char *tail,
                         struct mgr_buf *sql)
{
    st->api->buf_add(sql, verb, strlen(verb));
    pg_quote_ident(st, name, sql);
    st->api->buf_add(sql, tail, strlen(tail));
}

static void pause_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

/* ---- dropping ------------------------------------------------------------ */

/* sql on c, retried while the database is still in use. */
static int run_drop(struct pg_state *st, struct pg_conn *c, const char *sql,
                    struct mgr_error *err)
{
    for (int tries = 1;; tries++) {
        PGresult *res = NULL;
        const char *state, *msg;
        int rc = pg_wait_exec(c, sql, &res, err);

        if (rc != MGR_OK)
            return rc;
        state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            if (state && strcmp(state, SQLSTATE_IN_USE) == 0 &&
                tries < DROP_TRIES) {
                PQclear(res);
                pause_ms(DROP_PAUSE_MS);
                continue;
            }
            rc = st->api->error_set(err, MGR_EDB,
                                    "cannot drop the scratch database: %s",
                                    msg ? msg : PQerrorMessage(c->pg));
        }
        PQclear(res);
        return rc;
    }
}

/* A side connection for the drop could not be made: say what for. */
static int drop_connect_failed(struct pg_state *st, int rc,
                                 struct mgr_error *err)
{
    char msg[MGR_ERROR_SIZE];

    snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
    return st->api->error_set(err, rc, "cannot drop the scratch database: %s",
                              msg);
}

static bool is_scratch_name(const char *name)
{
    return name && strncmp(name, SCRATCH_PREFIX, strlen(SCRATCH_PREFIX)) == 0;
}

/* DROP DATABASE name, on c or, inside a transaction, beside it. */
static int drop_database(struct pg_state *st, struct pg_conn *c,
                         const char *name, struct mgr_error *err)
{
    const char *force = PQserverVersion(c->pg) >= 130000 ? " WITH (FORCE)"
                                                         : "";
    struct mgr_buf sql;
    int rc;

    if (!is_scratch_name(name))
        return st->api->error_set(err, MGR_EUSAGE,
                                  "will not drop '%s': not a scratch "
                                  "database",
                                  name ? name : "");
    st->api->buf_init(&sql, 0);
    database_sql(st, "DROP DATABASE IF EXISTS ", name, force, &sql);
    if (PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
        rc = run_drop(st, c, sql.buf, err);
    } else {
        /* A connection of its own, made as c was. */
        struct mgr_connect_options o = c->opts;
        void *side = NULL;

        o.flags &= ~MGR_CONNECT_READ_ONLY;
        rc = pg_connect_db(st, c->url, c->dbname, &o, &side, err);
        if (rc == MGR_OK)
            rc = run_drop(st, side, sql.buf, err);
        else
            rc = drop_connect_failed(st, rc, err);
        pg_close(side);
    }
    st->api->buf_release(&sql);
    return rc;
}

/* ---- the ops members ----------------------------------------------------- */

/* The failed CREATE DATABASE as the host should read it. */
static int create_failed(struct pg_state *st, int rc,
                         const struct mgr_db_error *dberr,
                         struct mgr_error *err)
{
    char msg[MGR_ERROR_SIZE];

    if (rc == MGR_EDB && strcmp(dberr->sqlstate, SQLSTATE_NO_PRIVILEGE) == 0)
        return st->api->error_set(err, MGR_EDB,
                                  "cannot create a scratch database: the "
                                  "role may not create databases (it "
                                  "needs CREATEDB); set dev_url to a "
                                  "database migrator may use instead");
    snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
    return st->api->error_set(err, rc, "cannot create a scratch database: %s",
                              msg);
}

/*
 * CREATE DATABASE under the next free name of this process into name. A
 * name is taken when a run in another PID namespace (a container) has
 * the same PID, or when a killed run left its database behind: then the
 * next number is tried.
 */
static int create_database(struct pg_state *st, struct pg_conn *c,
                           struct mgr_buf *name, struct mgr_error *err)
{
    struct mgr_db_error dberr;
    struct mgr_buf sql;
    int rc, tries = 0;

    st->api->buf_init(&sql, 0);
    do {
        st->api->buf_reset(name);
        st->api->buf_addf(name, SCRATCH_PREFIX "%ld_%u", (long)getpid(),
                          ++st->scratch_count);
        st->api->buf_reset(&sql);
        database_sql(st, "CREATE DATABASE ", name->buf,
                     " TEMPLATE template0", &sql);
        rc = pg_query(c, sql.buf, NULL, 0, NULL, NULL, NULL, &dberr, err);
    } while (rc == MGR_EDB && strcmp(dberr.sqlstate, SQLSTATE_TAKEN) == 0 &&
             ++tries < CREATE_TRIES);
    st->api->buf_release(&sql);
    return rc == MGR_OK ? MGR_OK : create_failed(st, rc, &dberr, err);
}

int pg_scratch_open(void *state, void *conn, const char *url,
                    void **scratch_out, struct mgr_buf *name,
                    struct mgr_error *err)
{
    struct pg_state *st = state;
    struct pg_conn *c = conn;
    struct mgr_connect_options o = c->opts;
    int rc;

    *scratch_out = NULL;
    rc = create_database(st, c, name, err);
    if (rc != MGR_OK)
        return rc;
    o.flags &= ~MGR_CONNECT_READ_ONLY; /* the host fills it */
    rc = pg_connect_db(st, url, name->buf, &o, scratch_out, err);
    if (rc != MGR_OK)
        drop_database(st, c, name->buf, NULL);
    return rc;
}

int pg_scratch_close(void *state, void *conn, void *scratch,
                     const char *name, struct mgr_error *err)
{
    struct pg_state *st = state;

    if (scratch)
        pg_close(scratch);
    if (!name || !*name)
        return MGR_OK;
    return drop_database(st, conn, name, err);
}
