/*
 * op_unlock.c: unlock of <migrator/commands.h>, for lock_strategy =
 * table: remove the lock row a run left behind when it died, once its
 * lease has run out, or with MGR_UNLOCK_FORCE a live one.
 * Session locks (PostgreSQL advisory locks, SQLite's lock file) free
 * themselves when their holder ends, so there is nothing to remove.
 *
 * The row is first read on a connection that cannot write where the
 * dialect has one: on SQLite such a connection does not wait for a
 * writer, so a run in progress that holds the database is reported at
 * once (its lock is live) rather than after a busy timeout.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "run.h"
#include "runner.h"
#include "tableformat.h"
#include "tablelock.h"

static int database_busy(struct mgr_ctx *ctx)
{
    return mgr_error_set(&ctx->err, MGR_ELOCKED,
                         "cannot read %s: the database is locked by a "
                         "writer right now (%s), so the lock is live; "
                         "nothing was removed",
                         TABLELOCK_NAME, ctx->err.msg);
}

static int read_row(struct mgr_ctx *ctx, struct tablelock_row *row)
{
    struct runner r;
    int rc = runner_open_read_only(&r, ctx);

    if (rc != MGR_OK) { /* e.g. a SQLite file that is not there yet */
        memset(&ctx->err, 0, sizeof(ctx->err));
        rc = runner_open(&r, ctx, false);
    }
    if (rc != MGR_OK)
        return rc;
    rc = tableformat_refuse_newer(&r.vt, &ctx->err);
    if (rc == MGR_OK)
        rc = tablelock_read(&r.vt, row, &ctx->err);
    if (rc == MGR_ELOCKED)
        rc = database_busy(ctx);
    runner_close(&r);
    return rc;
}

static int refuse_live(struct mgr_ctx *ctx, const struct tablelock_row *row)
{
    return mgr_error_set(&ctx->err, MGR_ELOCKED,
                         "refusing to unlock: %s holds the lock since %s "
                         "and its lease runs until %s; if that run is "
                         "gone, wait for the lease to run out, or remove "
                         "the lock now with 'migrator unlock --force'",
                         row->owner, row->started_at, row->lease_until);
}

static int remove_row(struct mgr_ctx *ctx, const struct tablelock_row *row,
                      bool live)
{
    struct runner r;
    bool removed = false;
    int rc = runner_open(&r, ctx, false);

    if (rc != MGR_OK)
        return rc;
    if (live)
        MGR_WARN("removing the live migration lock of %s (since %s, lease "
                 "until %s): if that run still goes on, it stops before "
                 "recording its next revision",
                 row->owner, row->started_at, row->lease_until);
    rc = tablelock_remove(&r.vt, row, live, &removed, &ctx->err);
    if (rc == MGR_OK && !removed)
        rc = mgr_error_set(&ctx->err, MGR_ELOCKED,
                           "the lock of %s changed while unlocking (renewed "
                           "or released); nothing was removed; run "
                           "'migrator unlock' again to see who holds it now",
                           row->owner);
    if (rc == MGR_OK)
        report_outputf(ctx->report, "removed the %s lock of %s\n",
                       live ? "live" : "stale", row->owner);
    runner_close(&r);
    return rc;
}

static int unlock(struct mgr_ctx *ctx, unsigned flags)
{
    enum lock_strategy strategy;
    struct tablelock_row row;
    bool live;
    int rc;

    rc = runner_lock_strategy(ctx, &strategy);
    if (rc != MGR_OK)
        return rc;
    if (strategy != LOCK_TABLE) {
        report_outputf(ctx->report,
                       "lock_strategy is %s: the lock frees itself when the "
                       "run holding it ends; nothing to unlock.\n",
                       strategy == LOCK_NONE ? "none" : "session");
        return MGR_OK;
    }
    rc = read_row(ctx, &row);
    if (rc != MGR_OK)
        return rc;
    if (!row.found) {
        report_outputf(ctx->report, "no run holds the lock\n");
        return MGR_OK;
    }
    live = !tablelock_stale(&row);
    if (live && !(flags & MGR_UNLOCK_FORCE))
        return refuse_live(ctx, &row);
    return remove_row(ctx, &row, live);
}

int mgr_run_unlock(struct mgr_run *run, struct mgr_error *err)
{
    return run_result(run, unlock(&run->ctx, 0), err);
}

int mgr_run_unlock_flags(struct mgr_run *run, unsigned flags,
                         struct mgr_error *err)
{
    return run_result(run, unlock(&run->ctx, flags), err);
}
