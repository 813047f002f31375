/*
 * tablelock.h: the migration lock as a row in a table (lock_strategy =
 * table), for connections that cannot keep a session lock: a
 * transaction-mode pooler hands each transaction to another server
 * session, so PostgreSQL advisory locks do not hold (reliability R1).
 *
 * migrator_lock holds at most one row: who holds the lock, since when,
 * and until when its lease runs. A run renews the lease before each
 * revision; a run that died leaves its row, which `migrator unlock`
 * removes once the lease has run out (never while it is live).
 */
#ifndef MGR_CORE_TABLELOCK_H
#define MGR_CORE_TABLELOCK_H

#include "vtable.h"

#define TABLELOCK_NAME "migrator_lock"
#define TABLELOCK_LEASE_MS (5 * 60 * 1000L)

/* Create migrator_lock when it is missing (autocommit). */
int tablelock_ensure(struct vtable *vt, struct mgr_error *err);

/*
 * One attempt at the lock for owner (a lockwait_try_fn step): *got_out 1
 * when the row is now owner's, else 0 with holder (when not NULL)
 * describing whose it is, since when, and whether its lease ran out.
 */
int tablelock_try(struct vtable *vt, const char *owner, int *got_out,
                  struct mgr_buf *holder, struct mgr_error *err);

/* Renew owner's lease; MGR_ELOCKED when the row is no longer owner's. */
int tablelock_renew(struct vtable *vt, const char *owner,
                    struct mgr_error *err);

/* Remove owner's row. */
int tablelock_release(struct vtable *vt, const char *owner,
                      struct mgr_error *err);

/*
 * `migrator unlock`: remove a lock row whose lease has run out, and say
 * whose it was in *holder_out (free it; NULL when there was no row).
 * MGR_ELOCKED, removing nothing, while the lease is live.
 */
int tablelock_break(struct vtable *vt, char **holder_out,
                    struct mgr_error *err);

/* "user@host pid N": who this process is, for the owner column. */
void tablelock_owner(char *out, size_t size);

#endif
