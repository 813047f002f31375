/*
 * lockwait.h: the one wait for the migration lock, whatever holds it (a
 * dialect's session lock through try_lock, or the row of the table
 * lock). The host owns the backoff, lock_wait, the LOCK_WAIT reports and
 * SIGINT/SIGTERM; a strategy offers one attempt at a time.
 */
#ifndef MGR_CORE_LOCKWAIT_H
#define MGR_CORE_LOCKWAIT_H

#include <migrator/migrator.h>

struct report;

/*
 * One attempt: MGR_OK with *got_out 1 (taken) or 0 (held by another, who
 * is described in holder when known); another status when the attempt
 * itself failed, which ends the wait.
 */
typedef int (*lockwait_try_fn)(void *ctx, int *got_out,
                               struct mgr_buf *holder,
                               struct mgr_error *err);

struct lockwait {
    const char *key;          /* the lock, as messages name it */
    long wait_ms;             /* give up after this long (lock_wait) */
    lockwait_try_fn try_once;
    void *ctx;                /* for try_once */
    struct report *report;    /* LOCK_WAIT events go here (may be NULL) */
};

/*
 * Try until the lock is taken (MGR_OK) or wait_ms has passed
 * (MGR_ELOCKED naming the holder), with a jittered backoff from 50 ms to
 * 1 s between attempts. A LOCK_WAIT event goes out at the first refusal
 * and every 5 s after. SIGINT or SIGTERM (runner_catch_signals) ends the
 * wait within about 100 ms: MGR_EINTR.
 */
int lockwait_run(const struct lockwait *lw, struct mgr_error *err);

#endif
