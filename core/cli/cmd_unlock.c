/*
 * cmd_unlock.c: migrator unlock, for lock_strategy = table: remove the
 * lock row a run left behind when it died, once its lease has run out.
 * Session locks (PostgreSQL advisory locks, SQLite's lock file) free
 * themselves when their holder ends, so there is nothing to remove.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "report.h"
#include "runner.h"
#include "tablelock.h"

int cmd_unlock(int argc, char **argv, struct mgr_ctx *ctx)
{
    enum lock_strategy strategy;
    struct runner r;
    char *holder = NULL;
    int rc;

    if (argc > 1)
        return mgr_error_set(&ctx->err, MGR_EUSAGE,
                             "unlock takes no arguments, not '%s'", argv[1]);
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
