/*
 * pg_lock.c: the migration lock, a session-level advisory lock
 * (reliability R1).
 *
 * The 64-bit lock id is the first 64 bits of md5(current_database() ||
 * '/' || key), so every database and every version table has its own.
 * The lock is taken by polling pg_try_advisory_lock() in autocommit with
 * a jittered backoff (50 ms growing to 1 s), never with a blocking
 * pg_advisory_lock(): a session blocked on the lock while the holder runs
 * CREATE INDEX CONCURRENTLY is a deadlock that kills the index build
 * (§2 #6). While waiting, the holder (pid, application_name, client,
 * backend_start from pg_locks and pg_stat_activity) is logged every 5 s.
 * pg_advisory_unlock() answering false means the lock was lost (a pooler
 * or pg_advisory_unlock_all() released it), which is reported.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pg.h"

#define LOCK_FIRST_DELAY_MS 50
#define LOCK_MAX_DELAY_MS 1000
#define LOCK_LOG_EVERY_MS 5000

static const char derive_sql[] =
    "SELECT ('x' || pg_catalog.substr(pg_catalog.md5("
    "pg_catalog.current_database() || '/' || $1), 1, 16))"
    "::pg_catalog.bit(64)::pg_catalog.int8";

static const char try_sql[] = "SELECT pg_catalog.pg_try_advisory_lock($1::"
                              "pg_catalog.int8)";

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

static int describe_row(void *ctx, size_t ncols, const char *const *names,
                        const char *const *values)
{
    struct text_out *t = ctx;
    int n;

    (void)names;
    if (ncols < 4 || !values[0])
        return MGR_OK;
    n = snprintf(t->buf, t->size, "pid %s", values[0]);
    if (n < 0 || (size_t)n >= t->size)
        return MGR_OK;
    snprintf(t->buf + n, t->size - (size_t)n,
             " (application '%s', client %s, connected since %s)",
             values[1] ? values[1] : "?", values[2] ? values[2] : "local",
             values[3] ? values[3] : "?");
    return MGR_OK;
}

/* Describe the session holding lock id into buf; never fails. */
static void describe_holder(struct pg_conn *c, const char *id, char *buf,
                            size_t size)
{
    struct text_out t = { buf, size };
    struct mgr_error ignored;
    const char *params[1] = { id };

    buf[0] = '\0';
    if (pg_query(c, holder_sql, params, 1, describe_row, &t, NULL, NULL,
                 &ignored) != MGR_OK ||
        !buf[0])
        snprintf(buf, size, "another session");
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

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* A small xorshift generator for the jitter. */
static unsigned next_random(unsigned *s)
{
    unsigned x = *s ? *s : 0x9e3779b9u;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

static int sleep_ms(long ms)
{
    struct timespec ts;

    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    return nanosleep(&ts, NULL);
}

static int try_lock(struct pg_conn *c, const char *id, int *got,
                    struct mgr_error *err)
{
    char answer[8];
    struct text_out t = { answer, sizeof(answer) };
    const char *params[1] = { id };
    int rc;

    answer[0] = '\0';
    rc = pg_query(c, try_sql, params, 1, first_value, &t, NULL, NULL, err);
    *got = rc == MGR_OK && strcmp(answer, "t") == 0;
    return rc;
}

int pg_lock(void *conn, const char *key, long wait_ms,
            struct mgr_error *err)
{
    struct pg_conn *c = conn;
    const struct mgr_host_api *api = c->st->api;
    char id[sizeof(c->lock_id)], holder[256];
    long start, elapsed, delay = LOCK_FIRST_DELAY_MS, next_log = 0, nap;
    unsigned seed;
    int got, rc;

    if (!key)
        key = "";
    if (c->lock_key) {
        if (strcmp(c->lock_key, key) == 0)
            return MGR_OK;
        return api->error_set(err, MGR_EPLUGIN,
                              "this session holds the migration lock '%s' "
                              "already",
                              c->lock_key);
    }
    if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return api->error_set(err,
                              PQstatus(c->pg) == CONNECTION_BAD ? MGR_ECONN
                                                                : MGR_EDB,
                              "cannot take the migration lock inside a "
                              "transaction");
    rc = derive_id(c, key, id, sizeof(id), err);
    if (rc != MGR_OK)
        return rc;
    seed = (unsigned)getpid() ^ (unsigned)now_ms() ^ (unsigned)(uintptr_t)c;
    start = now_ms();
    for (;;) {
        rc = try_lock(c, id, &got, err);
        if (rc != MGR_OK)
            return rc;
        if (got)
            break;
        elapsed = now_ms() - start;
        if (elapsed >= wait_ms) {
            describe_holder(c, id, holder, sizeof(holder));
            return api->error_set(err, MGR_ELOCKED,
                                  "migration lock '%s' not acquired within "
                                  "%ld ms: held by %s; wait for that run to "
                                  "end or raise lock_wait",
                                  key, wait_ms < 0 ? 0 : wait_ms, holder);
        }
        if (elapsed >= next_log) {
            describe_holder(c, id, holder, sizeof(holder));
            if (MGR_API_HAS(api, lock_waiting) && api->lock_waiting)
                api->lock_waiting(c->st->host, key, holder, elapsed,
                                  wait_ms);
            else
                api->log(c->st->host, MGR_LOG_INFO,
                         "waiting for the migration lock '%s' (%ld s of "
                         "%ld s): held by %s",
                         key, elapsed / 1000, wait_ms / 1000, holder);
            next_log = elapsed + LOCK_LOG_EVERY_MS;
        }
        /* delay +- 25 % */
        nap = delay * 3 / 4 +
              (long)(next_random(&seed) % (unsigned)(delay / 2 + 1));
        if (nap > wait_ms - elapsed)
            nap = wait_ms - elapsed;
        if (nap > 0 && sleep_ms(nap) != 0 && errno == EINTR)
            return api->error_set(err, MGR_EINTR,
                                  "interrupted while waiting for the "
                                  "migration lock '%s'",
                                  key);
        delay = delay * 3 / 2;
        if (delay > LOCK_MAX_DELAY_MS)
            delay = LOCK_MAX_DELAY_MS;
    }
    c->lock_key = api->alloc(strlen(key) + 1);
    memcpy(c->lock_key, key, strlen(key) + 1);
    snprintf(c->lock_id, sizeof(c->lock_id), "%s", id);
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
    } else {
        rc = derive_id(c, key, id, sizeof(id), err);
        if (rc != MGR_OK)
            return rc;
    }
    if (c->lock_key && strcmp(c->lock_key, key) == 0) {
        api->free(c->lock_key);
        c->lock_key = NULL;
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

static const char held_sql[] =
    "SELECT count(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' "
    "AND pid = pg_catalog.pg_backend_pid() AND granted AND objsubid = 1 "
    "AND ((classid::bigint << 32) | objid::bigint) = $1::bigint";

int pg_lock_check(void *conn, const char *key, struct mgr_error *err)
{
    struct pg_conn *c = conn;
    char count[16] = "";
    struct text_out t = { count, sizeof(count) };
    const char *params[1];
    int rc;

    (void)key;
    if (!c->lock_key)
        return c->st->api->error_set(err, MGR_ELOCKED,
                                     "the migration lock is not held by "
                                     "this session");
    params[0] = c->lock_id;
    rc = pg_query(conn, held_sql, params, 1, first_value, &t, NULL, NULL,
                  err);
    if (rc == MGR_OK && strcmp(count, "1") != 0)
        rc = c->st->api->error_set(err, MGR_ELOCKED,
                                   "the migration lock was lost (released "
                                   "by another session or a connection "
                                   "pooler); stopping before recording "
                                   "more");
    return rc;
}
