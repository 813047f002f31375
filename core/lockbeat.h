/*
 * lockbeat.h: the heartbeat of a table lock (tablelock.h). While a run
 * holds the row of migrator_lock, a thread renews its lease every
 * lease/3 on a connection of its own, each renewal an autocommit UPDATE
 * of that row only. The run's statements, however long, then never make
 * it look stale.
 *
 * Why this cannot deadlock: the run's own connection never writes the
 * row while the heartbeat runs (it only reads it, tablelock_check), so
 * nothing the run holds can block a renewal; a renewal holds the row for
 * one statement, so the run never waits on it for long. A script that
 * writes migrator_lock itself makes the renewal wait until the run's
 * transaction ends, which runner_close rolls back before it stops the
 * heartbeat; lockbeat_stop cancels a renewal still in flight.
 *
 * SQLite locks the whole database for a writer, so there a renewal
 * cannot run while the run's transaction is open: it waits the busy
 * timeout, gives up and tries again at the next beat. Nothing else can
 * write the database meanwhile either, so no other run can take or break
 * the row then; the lease catches up after the transaction.
 */
#ifndef MGR_CORE_LOCKBEAT_H
#define MGR_CORE_LOCKBEAT_H

#include <stdbool.h>

#include "ctx.h"
#include "tablelock.h"

struct lockbeat;

/*
 * Connect again to ctx's database and renew tl's lease once there; if
 * that reaches our row, start the thread and return it. NULL (the caller
 * renews in its own transaction) when the second connection does not
 * reach the row (a memory database is private to its connection) or
 * fails (warned).
 */
struct lockbeat *lockbeat_start(struct mgr_ctx *ctx,
                                const struct tablelock *tl);

/* Whether a renewal found the row gone or another's. */
bool lockbeat_lost(struct lockbeat *b);

/* Stop the thread, close its connection, free b (NULL: nothing). */
void lockbeat_stop(struct lockbeat *b);

#endif
