/*
 * lockretry.h: retrying a transaction whose statement gave up waiting for
 * a lock (statement_lock_timeout, lock_retries).
 *
 * An ALTER TABLE queued behind a long transaction blocks every later
 * query on that table for as long as it waits: the classic migration
 * outage. So the statements of transactional sections run under a lock
 * timeout; one that gives up (MGR_ELOCKTIMEOUT) rolls its transaction
 * back, and the run starts that transaction again after a pause, up to
 * lock_retries times, while the queue behind it drains.
 */
#ifndef MGR_CORE_LOCKRETRY_H
#define MGR_CORE_LOCKRETRY_H

/* The pause before retry number attempt (1, 2, ...): 1 s, doubled each
 * time up to 16 s, with up to a quarter more at random so that two runs
 * do not meet again. */
long lockretry_pause_ms(unsigned long attempt);

/* Sleep ms, in short slices; MGR_EINTR (with err set) as soon as a
 * signal arrives (runner_interrupted). */
int lockretry_sleep(long ms, struct mgr_error *err);

#endif
