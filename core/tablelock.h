/*
 * tablelock.h: the migration lock as a row in a table (lock_strategy =
 * table), for connections that cannot keep a session lock: a
 * transaction-mode pooler hands each transaction to another server
 * session, so PostgreSQL advisory locks do not hold (reliability R1).
 *
 * migrator_lock holds at most one row: who holds the lock ("user@host
 * pid N"), since when, and until when its lease runs (lock_lease, five
 * minutes by default). While a run holds the row, a heartbeat on a
 * connection of its own renews the lease every lease/3 (lockbeat.h), so
 * that a long statement never makes a live run look stale; the run's
 * own transaction only checks, before recording, that the row is still
 * its own.
 *
 * A row whose lease has run out is stale. A run that finds one breaks
 * it, with a warning, when its holder ran on this host and its pid is
 * gone; any other stale row stops the run at once (MGR_ELOCKED) with
 * the 'migrator unlock' hint. A live row is waited for (lock_wait).
 */
#ifndef MGR_CORE_TABLELOCK_H
#define MGR_CORE_TABLELOCK_H

#include "ctx.h"
#include "vtable.h"

#define TABLELOCK_NAME "migrator_lock"
#define TABLELOCK_LEASE_MS (5 * 60 * 1000L)
#define TABLELOCK_OWNER_SIZE 256

struct lockbeat;
struct report;

/* One run's hold on the row. */
struct tablelock {
    struct vtable *vt;             /* borrowed; its connection is the run's */
    char owner[TABLELOCK_OWNER_SIZE]; /* "user@host pid N" */
    long lease_ms;                 /* lock_lease */
    struct lockbeat *beat;         /* the heartbeat, or NULL */
};

/* Create migrator_lock when it is missing (autocommit). */
int tablelock_ensure(struct vtable *vt, struct mgr_error *err);

/*
 * Take the row for this process, waiting up to wait_ms (lockwait.h) for
 * a live holder and breaking a stale one as above, then start the
 * heartbeat (on a connection of its own, from ctx's database_url).
 * MGR_ELOCKED when not taken.
 */
int tablelock_acquire(struct tablelock *tl, struct mgr_ctx *ctx,
                      struct vtable *vt, long wait_ms,
                      struct mgr_error *err);

/*
 * Whether the row is still ours, by a SELECT (in the caller's
 * transaction, which must never UPDATE the row: that would hold it
 * against the heartbeat). MGR_ELOCKED when it is gone or another's.
 */
int tablelock_check(struct tablelock *tl, struct mgr_error *err);

/* Stop the heartbeat, then remove our row (MGR_ELOCKED when it was no
 * longer ours). Call it outside a transaction. */
int tablelock_release(struct tablelock *tl, struct mgr_error *err);

/* The row as read: holder, since, lease; found false when none. */
struct tablelock_row {
    char owner[200];
    char started_at[32];
    char lease_until[32];
    bool found;
};

/* Read the row (none when the table is missing). */
int tablelock_read(struct vtable *vt, struct tablelock_row *row,
                   struct mgr_error *err);

/* Whether row's lease has run out. */
bool tablelock_stale(const struct tablelock_row *row);

/*
 * Remove the row read: exactly that one (same owner and lease, so a
 * holder that renewed meanwhile keeps it), or with any_lease whatever
 * lease row's owner has now. *removed_out false when it changed.
 */
int tablelock_remove(struct vtable *vt, const struct tablelock_row *row,
                     bool any_lease, bool *removed_out,
                     struct mgr_error *err);

/* The UPDATE that renews owner's lease ($1 the new lease_until, $2 the
 * owner), and running it on db (any connection to the database). */
void tablelock_renew_sql(const struct vtable *vt, struct mgr_buf *out);
int tablelock_renew_on(struct db *db, const char *sql, const char *owner,
                       long lease_ms, long *affected_out,
                       struct mgr_error *err);

/* "user@host pid N": who this process is, for the owner column. */
void tablelock_owner(char *out, size_t size);

/* UTC time ms from now as "2026-11-24T09:00:00.123Z": text order is
 * time order (the lease columns). */
void tablelock_utc_after(long ms, char out[32]);

#endif
