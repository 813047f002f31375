/*
 * pg_locktimeout.c: set_lock_timeout (ABI 1.4), and who held the lock
 * that a statement gave up waiting for.
 *
 * set_lock_timeout sets lock_timeout on the session (0: RESET, back to
 * the server's or the role's setting). A SET inside a transaction is
 * undone by its rollback, so one made there is made again after one.
 *
 * The server says only that a statement gave up (SQLSTATE 55P03,
 * lock_not_available), not on whom it waited, and by then the blocker
 * may be gone. So while a statement runs with a lock timeout set, the
 * wait (pg_wait.c) looks on a side connection (made on the first look
 * with the same URL, closed with the main one) for the sessions that
 * block this backend, pg_blocking_pids(): first after half the lock
 * timeout (at most 1 s), then, while nothing blocks it, each time the
 * wait has doubled. The answer goes into the error of a statement that
 * fails with 55P03 after waiting the lock timeout: MGR_ELOCKTIMEOUT,
 * "waited 5s for a lock held by pid 4242 (application_name 'psql',
 * running since 12:00:01: "BEGIN; LOCK TABLE accounts ...")". "running
 * since" is when the blocker's transaction began. A 55P03 that comes
 * sooner (NOWAIT, SKIP LOCKED) stays MGR_EDB.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "pg.h"

#define FIRST_LOOK_MAX_MS 1000

static const char blockers_sql[] =
    "SELECT a.pid, a.application_name, "
    "pg_catalog.to_char(COALESCE(a.xact_start, a.query_start), "
    "'HH24:MI:SS'), "
    "pg_catalog.left(a.query, 60), pg_catalog.length(a.query) > 60 "
    "FROM pg_catalog.pg_stat_activity a "
    "WHERE a.pid = ANY (pg_catalog.pg_blocking_pids($1::pg_catalog.int4)) "
    "ORDER BY a.pid";

/* ---- set_lock_timeout --------------------------------------------------- */

static int apply(struct pg_conn *c, long ms, struct mgr_error *err)
{
    char sql[64];

    if (ms > 0)
        snprintf(sql, sizeof(sql), "SET lock_timeout = '%ldms'", ms);
    else
        snprintf(sql, sizeof(sql), "RESET lock_timeout");
    return pg_query(c, sql, NULL, 0, NULL, NULL, NULL, NULL, err);
}

int pg_set_lock_timeout(void *conn, long ms, struct mgr_error *err)
{
    struct pg_conn *c = conn;
    int rc;

    if (ms < 0)
        ms = 0;
    rc = apply(c, ms, err);
    if (rc != MGR_OK)
        return rc;
    c->lock_timeout_ms = ms;
    c->lock_timeout_in_tx = PQtransactionStatus(c->pg) != PQTRANS_IDLE;
    return MGR_OK;
}

void pg_lock_timeout_tx_end(struct pg_conn *c, bool rolled_back)
{
    struct mgr_error err;

    if (!c->lock_timeout_in_tx)
        return;
    c->lock_timeout_in_tx = false;
    if (rolled_back && apply(c, c->lock_timeout_ms, &err) != MGR_OK)
        c->st->api->log(c->st->host, MGR_LOG_WARNING,
                        "cannot set lock_timeout again after a rollback: "
                        "%s",
                        err.msg);
}

/* ---- who blocks ------------------------------------------------------- */

void pg_side_close(struct pg_conn *c)
{
    if (c->side)
        pg_close(c->side);
    c->side = NULL;
}

/* The side connection, made on first use; NULL when it cannot be. It
 * may take no longer to make than the lock timeout runs. */
static struct pg_conn *side(struct pg_conn *c)
{
    struct mgr_connect_options o = c->opts;
    struct mgr_error err;
    void *conn = NULL;
    long limit = c->lock_timeout_ms > 1000 ? c->lock_timeout_ms : 1000;

    if (c->side || c->side_failed)
        return c->side;
    if (o.connect_timeout_ms <= 0 || o.connect_timeout_ms > limit)
        o.connect_timeout_ms = limit;
    if (pg_connect_db(c->st, c->url, c->dbname, &o, &conn, &err) != MGR_OK) {
        c->side_failed = true;
        c->st->api->log(c->st->host, MGR_LOG_DEBUG,
                        "cannot look for what blocks a statement: %s",
                        err.msg);
        return NULL;
    }
    c->side = conn;
    return c->side;
}

/* Append src to dst (size bytes, NUL-terminated), white space squeezed
 * to one space. */
static void add_squeezed(char *dst, size_t size, const char *src)
{
    size_t n = strlen(dst);
    bool space = false;

    for (; src && *src && n + 1 < size; src++) {
        bool ws = *src == ' ' || *src == '\n' || *src == '\t' || *src == '\r';

        if (ws) {
            space = true;
            continue;
        }
        if (space && n + 2 < size)
            dst[n++] = ' ';
        space = false;
        dst[n++] = *src;
    }
    dst[n] = '\0';
}

static void add_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(dst);

    snprintf(dst + n, size - n, "%s", src);
}

/* One blocker into c->blockers: pid, application_name, since when, the
 * start of its query. */
static int blocker_row(void *ctx, size_t ncols, const char *const *names,
                       const char *const *values)
{
    struct pg_conn *c = ctx;
    char *b = c->blockers;
    size_t size = sizeof(c->blockers);

    (void)names;
    if (ncols < 5 || !values[0])
        return MGR_OK;
    if (b[0])
        add_text(b, size, ", ");
    add_text(b, size, "pid ");
    add_text(b, size, values[0]);
    add_text(b, size, " (application_name '");
    add_text(b, size, values[1] ? values[1] : "");
    add_text(b, size, "'");
    if (values[2]) {
        add_text(b, size, ", running since ");
        add_text(b, size, values[2]);
    }
    if (values[3] && values[3][0]) {
        add_text(b, size, ": \"");
        add_squeezed(b, size, values[3]);
        if (values[4] && strcmp(values[4], "t") == 0)
            add_text(b, size, " ...");
        add_text(b, size, "\"");
    }
    add_text(b, size, ")");
    return MGR_OK;
}

/* Ask the side connection who blocks c's backend; keep the answer. */
static void look(struct pg_conn *c)
{
    struct pg_conn *s = side(c);
    struct mgr_error err;
    char pid[16];
    const char *params[1] = { pid };

    if (!s || !c->pg)
        return;
    snprintf(pid, sizeof(pid), "%d", PQbackendPID(c->pg));
    c->blockers[0] = '\0';
    if (pg_query(s, blockers_sql, params, 1, blocker_row, c, NULL, NULL,
                 &err) != MGR_OK) {
        c->st->api->log(c->st->host, MGR_LOG_DEBUG,
                        "cannot look for what blocks a statement: %s",
                        err.msg);
        pg_side_close(c);
        c->side_failed = true;
    }
}

void pg_lock_watch(struct pg_conn *c)
{
    long waited, first;

    /* After a signal the wait only ends: no new connection, no query. */
    if (c->next_look_ms < 0 || c->lock_timeout_ms <= 0 || c->side_failed ||
        pg_interrupted(c->st))
        return;
    first = c->lock_timeout_ms / 2;
    if (first > FIRST_LOOK_MAX_MS)
        first = FIRST_LOOK_MAX_MS;
    if (c->next_look_ms < first)
        c->next_look_ms = first;
    waited = pg_now_ms() - c->sent_ms;
    if (waited < c->next_look_ms)
        return;
    look(c);
    /* Found: enough. Not (yet): the statement may reach a lock later. */
    c->next_look_ms = c->blockers[0] ? -1 : waited * 2;
}

/* ---- the error ---------------------------------------------------------- */

/* "5s", "1500ms" */
static void duration_text(long ms, char *out, size_t size)
{
    if (ms % 1000 == 0)
        snprintf(out, size, "%lds", ms / 1000);
    else
        snprintf(out, size, "%ldms", ms);
}

bool pg_is_lock_timeout(const struct pg_conn *c, const char *sqlstate)
{
    /* A lock timeout fires after the statement waited lock_timeout; a
     * NOWAIT refusal (the same SQLSTATE) comes sooner. */
    return c->lock_timeout_ms > 0 && sqlstate &&
           strcmp(sqlstate, "55P03") == 0 &&
           pg_now_ms() - c->sent_ms >= c->lock_timeout_ms;
}

int pg_lock_timeout_error(struct pg_conn *c, struct mgr_error *err)
{
    char waited[32];

    duration_text(c->lock_timeout_ms, waited, sizeof(waited));
    if (c->blockers[0])
        return c->st->api->error_set(err, MGR_ELOCKTIMEOUT,
                                     "waited %s for a lock held by %s "
                                     "(lock timeout)",
                                     waited, c->blockers);
    return c->st->api->error_set(err, MGR_ELOCKTIMEOUT,
                                 "gave up after %s waiting for a lock held "
                                 "by another session (lock timeout)",
                                 waited);
}
