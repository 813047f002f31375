/*
 * runner.h: running a plan against a database. The only code (with
 * exec.c) that talks to a dialect.
 *
 * A run: connect, take the migration lock, create the version tables if
 * missing, read the rows, plan (the caller's function), check every
 * section of the plan without sending it (pre-flight), then run the steps
 * in one transaction, or one per step with transaction_per_migration.
 * Each step's version-table change and log row commit with its DDL: they
 * are written at the end of the transaction that runs it.
 */
#ifndef MGR_CORE_RUNNER_H
#define MGR_CORE_RUNNER_H

#include <stdbool.h>

#include "ctx.h"
#include "db.h"
#include "plan.h"
#include "tablelock.h"
#include "vtable.h"
#include "vtable_defer.h"

enum lock_strategy {
    LOCK_SESSION, /* the dialect's own: advisory lock, lock file */
    LOCK_TABLE,   /* a row in migrator_lock (tablelock.h) */
    LOCK_NONE,    /* nothing: the user serialises runs */
};

struct runner {
    struct mgr_ctx *ctx;
    struct db db;
    struct vtable vt;
    enum lock_strategy lock_strategy;
    struct tablelock tlock; /* LOCK_TABLE: this run's hold on the row */
    bool locked;
    bool in_transaction;
    bool commit_lost;      /* the last COMMIT lost its connection */
    long lock_timeout_ms;  /* statement_lock_timeout; 0: none */
    unsigned long lock_retries; /* lock_retries (lockretry.h) */
    size_t step_index;     /* the plan step running */
    size_t tx_first;       /* the first step of the open transaction */
    bool tx_has_nontx;     /* it records a transaction=false section, so
                              it is not run again after a lock timeout */
    bool per_migration;
    long lock_wait_ms;
    char lock_key[256];
    bool script_failed;    /* the step's script failed a statement... */
    int script_failed_line; /* ...on this line */
    /* runner_open_scratch(): the connection to database_url, kept to
     * remove the scratch database (db.conn) at runner_close(). */
    void *scratch_parent;
    struct mgr_buf scratch_name;
    /* The last statement of the section just run, held back to go to
     * the database with the revision's version-table change (exec.h,
     * hold_last), and its line. */
    struct mgr_buf held;
    int held_line;
    /* The version-table changes and log rows of the transaction, written
     * just before it commits (vtable_defer.h). */
    struct vtable_defer defer;
    /* Called once a run has done every step in one transaction, its
     * bookkeeping written, just before its COMMIT (NULL: nothing). It
     * cannot fail the run. migrate.c records the schema here. */
    void (*before_last_commit)(struct runner *r, void *arg);
    void *before_last_commit_arg;
};

/*
 * Connect and lock (lock: false for read-only commands such as current).
 * On failure everything opened is closed again.
 */
int runner_open(struct runner *r, struct mgr_ctx *ctx, bool lock);
void runner_close(struct runner *r);

/* Connect without the lock, through the dialect's read-only connection
 * where it has one (db_open_read_only). */
int runner_open_read_only(struct runner *r, struct mgr_ctx *ctx);

/*
 * Connect to database_url only to make a scratch database of its dialect
 * (scratch_open, ABI 1.2), and run on that: nothing is written to the
 * database of database_url, and no lock is taken. runner_close()
 * removes the scratch database. MGR_EUSAGE when the dialect cannot make
 * one.
 */
int runner_open_scratch(struct runner *r, struct mgr_ctx *ctx);

/* lock_strategy of the config: MGR_ECONFIG for another value. */
int runner_lock_strategy(struct mgr_ctx *ctx, enum lock_strategy *out);

/* Create the version table and the log when missing (own transaction). */
int runner_ensure_tables(struct runner *r);

/* Read the version rows (none when the table is missing). */
int runner_read_rows(struct runner *r, struct plan_rows *rows);

/*
 * Before planning under the lock: every row names a known revision
 * (MGR_EINTEGRITY), no transaction=false revision awaits `resolve`
 * (MGR_EINTEGRITY), and every applied script still has the checksum it
 * was applied with (MGR_ECHECKSUM, reliability R10).
 */
int runner_check_integrity(struct runner *r, const struct plan_rows *rows);
/*
 * Before an upgrade: the rows are the topmost applied revisions (no row
 * is an ancestor of another); otherwise a revision between them may never
 * have run (reliability I4): MGR_EINTEGRITY.
 */
int runner_check_rows_consistent(struct runner *r,
                                 const struct plan_rows *rows);

/* Only the first of those checks (read-only commands). */
int runner_check_rows_known(struct runner *r, const struct plan_rows *rows);

/*
 * Check every section the plan would run, sending nothing: script
 * errors and statements that cannot run in a transaction fail here.
 */
int runner_preflight(struct runner *r, const struct plan *p);

/* Run the plan (purge first when p->purge). */
int runner_execute(struct runner *r, const struct plan *p);

/* Connect without the lock, read the rows, disconnect (read-only
 * commands: current, history -i, show current). */
int runner_fetch_rows(struct mgr_ctx *ctx, struct plan_rows *rows);

/*
 * SIGINT/SIGTERM: the run stops after the current statement, rolls back
 * and exits 130/143. runner_interrupted() is the signal number or 0.
 */
void runner_catch_signals(void);
int runner_interrupted(void);
/* Put back the handlers runner_catch_signals() replaced (the library
 * API, after a run; the CLI exits instead). runner_interrupted() keeps
 * its answer until the next runner_catch_signals(). */
void runner_release_signals(void);

#endif
