/*
 * status_lock.c: who holds the table lock (lock_strategy = table), read
 * from migrator_lock without touching it: a run that died leaves its row
 * there until its lease runs out and `migrator unlock` removes it.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "status_diagnose.h"
#include "tablelock.h"
#include "util.h"

static int keep_row(void *ctx, size_t ncols, const char *const *names,
                    const char *const *values)
{
    struct mgr_db_status *s = ctx;

    (void)names;
    if (ncols < 3 || !values[0] || !values[1] || !values[2] ||
        s->lock_holder)
        return MGR_OK;
    s->lock_holder = xstrdup(values[0]);
    s->lock_since = xstrdup(values[1]);
    s->lock_until = xstrdup(values[2]);
    return MGR_OK;
}

/* Now in the form of lease_until, "2026-11-24T09:00:00.123Z": the lease
 * has run out when it sorts before this. */
static void utc_now(char out[32])
{
    struct timespec ts;
    struct tm tm;
    time_t secs;

    clock_gettime(CLOCK_REALTIME, &ts);
    secs = ts.tv_sec;
    gmtime_r(&secs, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S.999Z", &tm);
}

int status_find_lock(struct runner *r, struct mgr_db_status *s)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    char now[32];
    int exists = 0, rc;

    rc = r->db.ops->table_exists(r->db.conn, r->vt.schema, TABLELOCK_NAME,
                                 &exists, &r->ctx->err);
    if (rc != MGR_OK || !exists)
        return rc;
    mgr_buf_addstr(&sql, "SELECT owner, started_at, lease_until FROM ");
    vtable_qualify(&r->vt, TABLELOCK_NAME, &sql);
    mgr_buf_addstr(&sql, " WHERE id = 1");
    rc = db_query(&r->db, sql.buf, NULL, 0, keep_row, s, NULL, NULL,
                  &r->ctx->err);
    mgr_buf_release(&sql);
    if (rc == MGR_OK && s->lock_holder) {
        utc_now(now);
        s->lock_stale = strcmp(s->lock_until, now) < 0;
    }
    return rc;
}
