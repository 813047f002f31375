/* lockbeat.c: renewing a table lock's lease from a thread; see
 * lockbeat.h. */
#include "autoconfig.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "lockbeat.h"
#include "log.h"
#include "util.h"

struct lockbeat {
    struct db db;           /* the heartbeat's own connection */
    char *sql;              /* tablelock_renew_sql */
    char owner[TABLELOCK_OWNER_SIZE];
    long lease_ms;
    pthread_t thread;
    pthread_mutex_t mu;     /* guards the three flags */
    pthread_cond_t wake;    /* signalled by lockbeat_stop */
    bool stop;
    bool in_query;          /* a renewal is on the wire */
    bool lost;
};

/* The deadline ms from now, on the clock pthread_cond_timedwait uses. */
static struct timespec deadline_after(long ms)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* One renewal, with the mutex released while it runs; called locked. */
static void renew(struct lockbeat *b)
{
    struct mgr_error err;
    long affected = -1;
    int rc;

    b->in_query = true;
    pthread_mutex_unlock(&b->mu);
    memset(&err, 0, sizeof(err));
    rc = tablelock_renew_on(&b->db, b->sql, b->owner, b->lease_ms,
                            &affected, &err);
    pthread_mutex_lock(&b->mu);
    b->in_query = false;
    /* A failed renewal (a busy SQLite database, a cancelled statement)
     * is tried again at the next beat; only a missing row is final. */
    if (rc == MGR_OK && affected == 0)
        b->lost = true;
}

static void *beat(void *arg)
{
    struct lockbeat *b = arg;
    long every = b->lease_ms / 3;

    pthread_mutex_lock(&b->mu);
    while (!b->stop && !b->lost) {
        struct timespec until = deadline_after(every);
        int rc = 0;

        while (!b->stop && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&b->wake, &b->mu, &until);
        if (!b->stop)
            renew(b);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

static void beat_free(struct lockbeat *b)
{
    db_close(&b->db);
    free(b->sql);
    free(b);
}

/* The second connection, and the first renewal on it. */
static bool connect_and_renew(struct mgr_ctx *ctx, struct lockbeat *b)
{
    struct mgr_error saved = ctx->err, err;
    long affected = -1;
    int rc = db_open(ctx, &b->db);

    if (rc != MGR_OK) {
        MGR_WARN("cannot open a second connection to renew the lease of "
                 "the migration lock (%s); renewing it before each "
                 "revision instead",
                 ctx->err.msg);
        ctx->err = saved;
        return false;
    }
    memset(&err, 0, sizeof(err));
    rc = tablelock_renew_on(&b->db, b->sql, b->owner, b->lease_ms,
                            &affected, &err);
    return rc == MGR_OK && affected == 1;
}

/* Start the thread with SIGINT and SIGTERM blocked in it: they are the
 * run's to handle, on its own thread (runner_catch_signals). */
static bool start_thread(struct lockbeat *b)
{
    sigset_t block, old;
    bool ok;

    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    ok = pthread_create(&b->thread, NULL, beat, b) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return ok;
}

struct lockbeat *lockbeat_start(struct mgr_ctx *ctx,
                                const struct tablelock *tl)
{
    struct lockbeat *b = xcalloc(1, sizeof(*b));
    struct mgr_buf sql = MGR_BUF_INIT;

    tablelock_renew_sql(tl->vt, &sql);
    b->sql = mgr_buf_detach(&sql, NULL);
    memcpy(b->owner, tl->owner, sizeof(b->owner));
    b->lease_ms = tl->lease_ms;
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->wake, NULL);
    if (!connect_and_renew(ctx, b) || !start_thread(b)) {
        pthread_cond_destroy(&b->wake);
        pthread_mutex_destroy(&b->mu);
        beat_free(b);
        return NULL;
    }
    return b;
}

bool lockbeat_lost(struct lockbeat *b)
{
    bool lost;

    pthread_mutex_lock(&b->mu);
    lost = b->lost;
    pthread_mutex_unlock(&b->mu);
    return lost;
}

void lockbeat_stop(struct lockbeat *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->mu);
    b->stop = true;
    pthread_cond_signal(&b->wake);
    /* The connection stays open until the join below, so cancelling a
     * renewal in flight is safe; the thread then sees stop. */
    if (b->in_query && b->db.ops->interrupt)
        b->db.ops->interrupt(b->db.conn);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->thread, NULL);
    pthread_cond_destroy(&b->wake);
    pthread_mutex_destroy(&b->mu);
    beat_free(b);
}
