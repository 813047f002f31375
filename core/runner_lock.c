/* runner_lock.c: the migration lock of a run (runner_lock.h). */
#include "autoconfig.h"

#include <string.h>

#include "config.h"
#include "lockwait.h"
#include "runner.h"
#include "runner_lock.h"
#include "tablelock.h"

int runner_lock_strategy(struct mgr_ctx *ctx, enum lock_strategy *out)
{
    const char *s = config_get(ctx->config, "lock_strategy");

    if (!s || !*s || strcmp(s, "session") == 0)
        *out = LOCK_SESSION;
    else if (strcmp(s, "table") == 0)
        *out = LOCK_TABLE;
    else if (strcmp(s, "none") == 0)
        *out = LOCK_NONE;
    else
        return mgr_error_set(&ctx->err, MGR_ECONFIG,
                             "lock_strategy '%s': use session, table or "
                             "none",
                             s);
    return MGR_OK;
}

/* One attempt at the dialect's session lock (ABI 1.1 try_lock). */
static int try_session_lock(void *ctx, int *got_out, struct mgr_buf *holder,
                            struct mgr_error *err)
{
    struct runner *r = ctx;

    return r->db.ops->try_lock(r->db.conn, r->lock_key, r->lock_wait_ms,
                               got_out, holder, err);
}

/* Whether the dialect offers one attempt (1.1) rather than its own wait. */
static bool has_try_lock(const struct mgr_dialect_ops *ops)
{
    return MGR_OPS_HAS(ops, struct mgr_dialect_ops, try_lock) &&
           ops->try_lock;
}

int runner_take_lock(struct runner *r)
{
    struct lockwait lw = { r->lock_key, r->lock_wait_ms, try_session_lock,
                           r, r->ctx->report };
    int rc = MGR_OK;

    switch (r->lock_strategy) {
    case LOCK_SESSION:
        if (has_try_lock(r->db.ops))
            rc = lockwait_run(&lw, &r->ctx->err);
        else /* an ABI 1.0 dialect waits by itself */
            rc = r->db.ops->lock(r->db.conn, r->lock_key, r->lock_wait_ms,
                                 &r->ctx->err);
        break;
    case LOCK_TABLE:
        rc = tablelock_acquire(&r->tlock, r->ctx, &r->vt, r->lock_wait_ms,
                               &r->ctx->err);
        break;
    case LOCK_NONE:
        MGR_WARN("lock_strategy = none: nothing keeps two runs apart");
        return MGR_OK;
    }
    r->locked = rc == MGR_OK;
    return rc;
}

/*
 * R1: is the lock still ours? A lost lock means another run may be here
 * too. The session lock is checked just before each COMMIT that may
 * carry version rows, not before each revision: rows count only once
 * they commit, so a check there keeps a run that lost its lock from
 * recording anything, and it costs one probe per transaction. A probe
 * per revision cost more with every revision of a long run in one
 * transaction, whose pg_locks grows with each table it creates.
 */
static int check_session_lock(struct runner *r)
{
    if (!r->locked || r->lock_strategy != LOCK_SESSION ||
        !r->db.ops->lock_check)
        return MGR_OK;
    return r->db.ops->lock_check(r->db.conn, r->lock_key, &r->ctx->err);
}

/* The table lock's row is still ours (read in the transaction about to
 * commit, so a lost lock stops it there; its lease is the heartbeat's,
 * lockbeat.h). */
static int check_table_lock(struct runner *r)
{
    if (!r->locked || r->lock_strategy != LOCK_TABLE)
        return MGR_OK;
    return tablelock_check(&r->tlock, &r->ctx->err);
}

int runner_check_lock(struct runner *r)
{
    int rc = check_session_lock(r);

    if (rc == MGR_OK)
        rc = check_table_lock(r);
    return rc;
}

int runner_release_lock(struct runner *r, struct mgr_error *err)
{
    if (r->lock_strategy == LOCK_TABLE)
        return tablelock_release(&r->tlock, err);
    return r->db.ops->unlock(r->db.conn, r->lock_key, err);
}
