/*
 * pg_lock.c: the migration lock, a session-level advisory lock
 * (reliability R1).
 *
 * The 64-bit lock id is the first 64 bits of md5(current_database() ||
 * '/' || key), so every database and every version table has its own.
 * try_lock makes one pg_try_advisory_lock() attempt in autocommit; the
 * host polls it with backoff (core/lockwait.c). A blocking
 * pg_advisory_lock() is never used: a session blocked on the lock while
 * the holder runs CREATE INDEX CONCURRENTLY is a deadlock that kills the
 * index build (§2 #6). A refused attempt describes the holder (pid,
 * application_name, client, backend_start from pg_locks and
 * pg_stat_activity). pg_advisory_unlock() answering false means the lock
 * was lost (a pooler or pg_advisory_unlock_all() released it), which is
 * reported.
 *
 * Behind a transaction-mode pooler (pgbouncer's pool_mode = transaction)
 * a session lock is nobody's: it lands on one server session, which the
 * pooler hands to whichever client comes next, and that client "holds"
 * it too. So a lock just taken is proved exclusive with a second
 * connection through the same URL, which must fail to take it; and the
 * check before COMMIT compares the server session with the one that took
 * the lock.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "pg.h"

/* The lock id of the key given as $1. */
#define LOCK_ID_EXPR                                                    \
    "('x' || pg_catalog.substr(pg_catalog.md5("                         \
    "pg_catalog.current_database() || '/' || $1), 1, 16))"              \
    "::pg_catalog.bit(64)::pg_catalog.int8"

static const char derive_sql[] = "SELECT " LOCK_ID_EXPR;

/* One attempt, the id it was made for and the server session, in one
 * round trip. */
static const char try_sql[] =
    "SELECT pg_catalog.pg_try_advisory_lock(k.id), k.id, "
    "pg_catalog.pg_backend_pid() "
    "FROM (SELECT " LOCK_ID_EXPR " AS id) k";

static const char unlock_sql[] = "SELECT pg_catalog.pg_advisory_unlock($1::"
                                 "pg_catalog.int8)";

/* Who holds the advisory lock with id $1 (a bigint), other than us. */
static const char holder_sql[] =
    "SELECT l.pid, a.application_name, a.client_addr, "
    "pg_catalog.date_trunc('second', a.backend_start) "
    "FROM pg_catalog.pg_locks l "
    "LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted "
    "AND l.pid <> pg_catalog.pg_backend_pid() "
    "AND l.database = (SELECT oid FROM pg_catalog.pg_database "
    "WHERE datname = pg_catalog.current_database()) "
    "AND l.classid::pg_catalog.int8 = (($1::pg_catalog.int8 >> 32) & "
    "4294967295) "
    "AND l.objid::pg_catalog.int8 = ($1::pg_catalog.int8 & 4294967295) "
    "AND l.objsubid = 1 "
    "LIMIT 1";

static const char held_sql[] =
    "SELECT count(*), pg_catalog.pg_backend_pid() FROM pg_catalog.pg_locks "
    "WHERE locktype = 'advisory' "
    "AND pid = pg_catalog.pg_backend_pid() AND granted AND objsubid = 1 "
    "AND ((classid::bigint << 32) | objid::bigint) = $1::bigint";

#define POOLER_HINT                                                     \
    "; is a transaction-mode pooler (pgbouncer pool_mode = transaction) " \
    "between migrator and the server? use lock_strategy = table behind "  \
    "a transaction pooler"

struct text_out {
    char *buf;
    size_t size;
};

/* Keep the first column of the first row. */
static int first_value(void *ctx, size_t ncols, const char *const *names,
                       const char *const *values)
{
    struct text_out *t = ctx;

    (void)names;
    if (ncols >= 1 && values[0] && !t->buf[0])
        snprintf(t->buf, t->size, "%s", values[0]);
    return MGR_OK;
}

/* The row of try_sql (and, got and pid only, of held_sql). */
struct attempt {
    char got[8];               /* "t" when the lock was taken */
    char id[PG_LOCK_ID_SIZE];  /* the lock id, as text */
    char pid[16];              /* the server session */
};

static int attempt_row(void *ctx, size_t ncols, const char *const *names,
                       const char *const *values)
{
    struct attempt *a = ctx;

    (void)names;
    if (ncols >= 3 && values[0] && values[1] && values[2]) {
        snprintf(a->got, sizeof(a->got), "%s", values[0]);
        snprintf(a->id, sizeof(a->id), "%s", values[1]);
        snprintf(a->pid, sizeof(a->pid), "%s", values[2]);
    }
    return MGR_OK;
}

static int held_row(void *ctx, size_t ncols, const char *const *names,
                    const char *const *values)
{
    struct attempt *a = ctx;

    (void)names;
    if (ncols >= 2 && values[0] && values[1]) {
        snprintf(a->got, sizeof(a->got), "%s", values[0]);
        snprintf(a->pid, sizeof(a->pid), "%s", values[1]);
    }
    return MGR_OK;
}

/*
 * Whether a second connection through c's URL can take key as well: it
 * must not. When it can, it sits on the server session that holds the
 * lock for c too: it lets go of both holds there (c's own unlock could
 * reach another server session and leave the lock behind for every
 * later run), c forgets the lock, and this is MGR_ELOCKED. A second
 * connection that cannot be made proves nothing either way and is not
 * an error (the server may be at max_connections).
 */
static int check_exclusive(struct pg_conn *c, const char *key,
                           struct mgr_error *err)
{
    const struct mgr_host_api *api = c->st->api;
    struct attempt a = { "", "", "" };
    const char *params[1] = { key };
    struct mgr_error ignored;
    void *probe = NULL;

    if (pg_connect_db(c->st, c->url, c->dbname, &c->opts, &probe,
                      &ignored) != MGR_OK) {
        api->log(c->st->host, MGR_LOG_DEBUG,
                 "cannot open a second connection to check that the "
                 "migration lock is exclusive: %s", ignored.msg);
        return MGR_OK;
    }
    if (pg_query(probe, try_sql, params, 1, attempt_row, &a, NULL, NULL,
                 &ignored) == MGR_OK &&
        strcmp(a.got, "t") == 0) {
        params[0] = a.id;
        ((struct pg_conn *)probe)->quiet = 1;
        for (int hold = 0; hold < 2; hold++)
            (void)pg_query(probe, unlock_sql, params, 1, NULL, NULL, NULL,
                           NULL, &ignored);
        pg_close(probe);
        api->free(c->lock_key);
        c->lock_key = NULL;
        c->lock_pid[0] = '\0';
        return api->error_set(err, MGR_ELOCKED,
                              "the migration lock '%s' is not this run's "
                              "alone: a second connection took it too "
                              "(server session %s)" POOLER_HINT,
                              key, a.pid);
    }
    pg_close(probe);
    return MGR_OK;
}

/* Where describe_row appends the holder. */
struct holder_out {
    const struct mgr_host_api *api;
    struct mgr_buf *buf;
};

static int describe_row(void *ctx, size_t ncols, const char *const *names,
                        const char *const *values)
{
    struct holder_out *h = ctx;

    (void)names;
    if (ncols < 4 || !values[0])
        return MGR_OK;
    h->api->buf_addf(h->buf,
                     "pid %s (application '%s', client %s, connected "
                     "since %s)",
                     values[0], values[1] ? values[1] : "?",
                     values[2] ? values[2] : "local",
                     values[3] ? values[3] : "?");
    return MGR_OK;
}

/*
 * Append who holds lock id to holder. Never fails: the holder may have
 * let go since the attempt, and the host says "another session" for an
 * empty description.
 */
static void describe_holder(struct pg_conn *c, const char *id,
                            struct mgr_buf *holder)
{
    struct holder_out h = { c->st->api, holder };
    struct mgr_error ignored;
    const char *params[1] = { id };

    (void)pg_query(c, holder_sql, params, 1, describe_row, &h, NULL, NULL,
                   &ignored);
}

static int derive_id(struct pg_conn *c, const char *key, char *id,
                     size_t size, struct mgr_error *err)
{
    struct text_out t = { id, size };
    const char *params[1] = { key };
    int rc;

    id[0] = '\0';
    rc = pg_query(c, derive_sql, params, 1, first_value, &t, NULL, NULL,
                  err);
    if (rc == MGR_OK && !id[0])
        rc = c->st->api->error_set(err, MGR_EDB,
                                   "cannot derive the migration lock id");
    return rc;
}

/* The attempt runs in autocommit: it must neither join a transaction
 * of the caller nor leave one open. */
static int refuse_in_transaction(struct pg_conn *c, struct mgr_error *err)
{
    if (PQtransactionStatus(c->pg) == PQTRANS_IDLE)
        return MGR_OK;
    return c->st->api->error_set(err,
                                 PQstatus(c->pg) == CONNECTION_BAD
                                     ? MGR_ECONN
                                     : MGR_EDB,
                                 "cannot take the migration lock inside a "
                                 "transaction");
}

/* This session holds key, whose lock id is id. */
static void remember_lock(struct pg_conn *c, const char *key, const char *id)
{
    size_t n = strlen(key) + 1;

    c->lock_key = c->st->api->alloc(n);
    memcpy(c->lock_key, key, n);
    snprintf(c->lock_id, sizeof(c->lock_id), "%s", id);
}

int pg_try_lock(void *conn, const char *key, long wait_ms,
                int *got_out, struct mgr_buf *holder,
                struct mgr_error *err)
{
    struct pg_conn *c = conn;
    const struct mgr_host_api *api = c->st->api;
    struct attempt a = { "", "", "" };
    const char *params[1];
    int rc;

    (void)wait_ms; /* the host waits; the server never blocks us here */
    *got_out = 0;
    if (!key)
        key = "";
    /* Held already: taking it again would count it twice, and one
     * unlock would no longer release it. */
    if (c->lock_key && strcmp(c->lock_key, key) == 0) {
        *got_out = 1;
        return MGR_OK;
    }
    if (c->lock_key)
        return api->error_set(err, MGR_EPLUGIN,
                              "this session holds the migration lock '%s' "
                              "already",
                              c->lock_key);
    rc = refuse_in_transaction(c, err);
    if (rc != MGR_OK)
        return rc;
    params[0] = key;
    rc = pg_query(c, try_sql, params, 1, attempt_row, &a, NULL, NULL, err);
    if (rc != MGR_OK)
        return rc;
    if (!a.id[0])
        return api->error_set(err, MGR_EDB,
                              "cannot derive the migration lock id");
    if (strcmp(a.got, "t") != 0) {
        if (holder)
            describe_holder(c, a.id, holder);
        return MGR_OK;
    }
    remember_lock(c, key, a.id);
    snprintf(c->lock_pid, sizeof(c->lock_pid), "%s", a.pid);
    rc = check_exclusive(c, key, err);
    if (rc != MGR_OK)
        return rc;
    *got_out = 1;
    return MGR_OK;
}

int pg_unlock(void *conn, const char *key, struct mgr_error *err)
{
    struct pg_conn *c = conn;
    const struct mgr_host_api *api = c->st->api;
    char id[sizeof(c->lock_id)], answer[8];
    struct text_out t = { answer, sizeof(answer) };
    const char *params[1] = { id };
    int rc;

    if (!key)
        key = "";
    if (c->lock_key && strcmp(c->lock_key, key) == 0) {
        snprintf(id, sizeof(id), "%s", c->lock_id);
        api->free(c->lock_key);
        c->lock_key = NULL;
    } else {
        rc = derive_id(c, key, id, sizeof(id), err);
        if (rc != MGR_OK)
            return rc;
    }
    answer[0] = '\0';
    /* The server warns when we do not hold the lock: we say it better. */
    c->quiet = 1;
    rc = pg_query(c, unlock_sql, params, 1, first_value, &t, NULL, NULL,
                  err);
    c->quiet = 0;
    if (rc != MGR_OK)
        return rc;
    if (strcmp(answer, "t") != 0)
        return api->error_set(err, MGR_ELOCKED,
                              "the migration lock was lost: this session "
                              "no longer held '%s' (a connection pooler or "
                              "pg_advisory_unlock_all() may have released "
                              "it); check that no other run changed the "
                              "database",
                              key);
    return MGR_OK;
}

int pg_lock_check(void *conn, const char *key, struct mgr_error *err)
{
    struct pg_conn *c = conn;
    struct attempt held = { "", "", "" };
    const char *params[1];
    int rc;

    (void)key;
    if (!c->lock_key)
        return c->st->api->error_set(err, MGR_ELOCKED,
                                     "the migration lock is not held by "
                                     "this session");
    params[0] = c->lock_id;
    rc = pg_query(conn, held_sql, params, 1, held_row, &held, NULL, NULL,
                  err);
    if (rc != MGR_OK)
        return rc;
    if (c->lock_pid[0] && strcmp(held.pid, c->lock_pid) != 0)
        return c->st->api->error_set(err, MGR_ELOCKED,
                                     "the server session changed since the "
                                     "migration lock was taken (pid %s, now "
                                     "%s): the lock is not held here; "
                                     "stopping before recording more"
                                     POOLER_HINT,
                                     c->lock_pid, held.pid);
    if (strcmp(held.got, "1") != 0)
        return c->st->api->error_set(err, MGR_ELOCKED,
                                     "the migration lock was lost (released "
                                     "by another session or a connection "
                                     "pooler); stopping before recording "
                                     "more");
    return MGR_OK;
}
