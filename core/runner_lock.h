/*
 * runner_lock.h: the migration lock of a run (reliability R1): taking it
 * by the configured strategy, checking before each COMMIT that it is
 * still this run's, and letting it go. Private to the runner.
 */
#ifndef MGR_CORE_RUNNER_LOCK_H
#define MGR_CORE_RUNNER_LOCK_H

#include "runner.h"

/* Take the lock of r->lock_strategy, waiting up to lock_wait; sets
 * r->locked. */
int runner_take_lock(struct runner *r);

/* Just before a COMMIT that may carry version rows: the lock, whichever
 * kind, is still this run's (MGR_ELOCKED when it was lost). */
int runner_check_lock(struct runner *r);

int runner_release_lock(struct runner *r, struct mgr_error *err);

#endif
