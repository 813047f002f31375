/*
 * tablelock_take.c: taking the row of migrator_lock: wait for a live
 * holder, break a stale one whose run is provably gone, refuse any other
 * stale one at once (see tablelock.h).
 */
#include "autoconfig.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "lockbeat.h"
#include "lockwait.h"
#include "log.h"
#include "tablelock.h"

/* A lease must outlive a few heartbeats (lease/3 apart). */
#define MIN_LEASE_MS 1000L

static int try_insert(struct tablelock *tl, bool *got, struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    char now[32], lease[32];
    const char *params[3] = { tl->owner, now, lease };
    long affected = -1;
    int rc;

    tablelock_utc_after(0, now);
    tablelock_utc_after(tl->lease_ms, lease);
    mgr_buf_addstr(&sql, "INSERT INTO ");
    vtable_qualify(tl->vt, TABLELOCK_NAME, &sql);
    mgr_buf_addstr(&sql, " (id, owner, started_at, lease_until) VALUES (1, "
                         "$1, $2, $3) ON CONFLICT DO NOTHING");
    rc = db_query(tl->vt->db, sql.buf, params, 3, NULL, NULL, &affected,
                  NULL, err);
    *got = rc == MGR_OK && affected == 1;
    mgr_buf_release(&sql);
    return rc;
}

/* "user@host pid N" -> host and pid; false for another shape. */
static bool parse_owner(const char *owner, char *host, size_t size,
                        long *pid)
{
    const char *at = strchr(owner, '@');
    const char *tail = at ? strstr(at, " pid ") : NULL;
    char *end;

    if (!tail || (size_t)(tail - at - 1) >= size)
        return false;
    memcpy(host, at + 1, (size_t)(tail - at - 1));
    host[tail - at - 1] = '\0';
    errno = 0;
    *pid = strtol(tail + 5, &end, 10);
    return errno == 0 && *end == '\0' && *pid > 0;
}

/*
 * Whether the holder ran on this host and its process is gone. The host
 * is compared as the owner column records it (gethostname), so two
 * machines, or containers, with one name and their own pid spaces would
 * be confused: that is why only a row whose lease ran out is ever
 * broken this way.
 */
static bool holder_gone(const char *owner)
{
    char host[64], ours[64] = "";
    long pid;

    if (!parse_owner(owner, host, sizeof(host), &pid))
        return false;
    gethostname(ours, sizeof(ours) - 1);
    if (strcmp(host, ours) != 0)
        return false;
    return kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

static int refuse_stale(const struct tablelock_row *row,
                        struct mgr_error *err)
{
    char host[64] = "?";
    long pid = 0;

    parse_owner(row->owner, host, sizeof(host), &pid);
    return mgr_error_set(err, MGR_ELOCKED,
                         "the migration lock in %s is stale: held by %s "
                         "(host %s, pid %ld) since %s, its lease ran out at "
                         "%s; migrator cannot tell whether that run is "
                         "gone; if it is, remove the lock with 'migrator "
                         "unlock'; nothing was changed",
                         TABLELOCK_NAME, row->owner, host, pid,
                         row->started_at, row->lease_until);
}

/* A stale row: break it when its run is gone, else refuse. */
static int settle_stale(struct tablelock *tl, const struct tablelock_row *row,
                        int *got_out, struct mgr_error *err)
{
    bool removed = false, got = false;
    int rc;

    if (!holder_gone(row->owner))
        return refuse_stale(row, err);
    MGR_WARN("breaking the stale migration lock of %s (since %s, lease ran "
             "out at %s): that process is gone from this host",
             row->owner, row->started_at, row->lease_until);
    rc = tablelock_remove(tl->vt, row, false, &removed, err);
    if (rc == MGR_OK)
        rc = try_insert(tl, &got, err);
    *got_out = got;
    return rc;
}

/* One attempt (a lockwait_try_fn step). */
static int try_once(void *ctx, int *got_out, struct mgr_buf *holder,
                    struct mgr_error *err)
{
    struct tablelock *tl = ctx;
    struct tablelock_row row;
    bool got = false;
    int rc;

    rc = try_insert(tl, &got, err);
    *got_out = got;
    if (rc != MGR_OK || got)
        return rc;
    rc = tablelock_read(tl->vt, &row, err);
    if (rc != MGR_OK || !row.found) /* gone since the insert: try again */
        return rc;
    if (tablelock_stale(&row))
        return settle_stale(tl, &row, got_out, err);
    mgr_buf_addf(holder, "%s since %s, lease until %s (table %s)", row.owner,
                 row.started_at, row.lease_until, TABLELOCK_NAME);
    return MGR_OK;
}

static int read_lease(struct tablelock *tl, struct mgr_ctx *ctx,
                      struct mgr_error *err)
{
    int rc = config_get_duration_ms(ctx->config, "lock_lease",
                                    &tl->lease_ms, err);

    if (rc == MGR_OK && tl->lease_ms < MIN_LEASE_MS)
        rc = mgr_error_set(err, MGR_ECONFIG,
                           "lock_lease must be at least 1s, not %ld ms",
                           tl->lease_ms);
    return rc;
}

int tablelock_acquire(struct tablelock *tl, struct mgr_ctx *ctx,
                      struct vtable *vt, long wait_ms,
                      struct mgr_error *err)
{
    struct lockwait lw = { TABLELOCK_NAME, wait_ms, try_once, tl,
                           ctx->report };
    int rc;

    memset(tl, 0, sizeof(*tl));
    tl->vt = vt;
    tablelock_owner(tl->owner, sizeof(tl->owner));
    rc = read_lease(tl, ctx, err);
    if (rc == MGR_OK)
        rc = tablelock_ensure(vt, err);
    if (rc == MGR_OK)
        rc = lockwait_run(&lw, err);
    if (rc == MGR_OK)
        tl->beat = lockbeat_start(ctx, tl);
    return rc;
}
