/*
 * op_unlock.c: unlock of <migrator/commands.h>, for lock_strategy =
 * table: remove the lock row a run left behind when it died, once its
 * lease has run out.
 * Session locks (PostgreSQL advisory locks, SQLite's lock file) free
 * themselves when their holder ends, so there is nothing to remove.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>

#include "report.h"
#include "run.h"
#include "runner.h"
#include "tablelock.h"

static int unlock(struct mgr_ctx *ctx)
{
    enum lock_strategy strategy;
    struct runner r;
    char *holder = NULL;
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
    rc = runner_open(&r, ctx, false);
    if (rc != MGR_OK)
        return rc;
    rc = tablelock_ensure(&r.vt, &ctx->err);
    if (rc == MGR_OK)
        rc = tablelock_break(&r.vt, &holder, &ctx->err);
    if (rc == MGR_OK)
        report_outputf(ctx->report,
                       holder ? "removed the stale lock of %s\n"
                              : "no run holds the lock%s\n",
                       holder ? holder : "");
    free(holder);
    runner_close(&r);
    return rc;
}

int mgr_run_unlock(struct mgr_run *run, struct mgr_error *err)
{
    return run_result(run, unlock(&run->ctx), err);
}
