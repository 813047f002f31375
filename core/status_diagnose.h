/*
 * status_diagnose.h: the read-only diagnosis behind mgr_project_status()
 * and `migrator status`: where a database stands against the scripts,
 * every situation that holds. It connects through the dialect's
 * read-only connection, takes no lock, and only ever reads (SELECT and
 * the catalog), so a hot standby can answer.
 */
#ifndef MGR_CORE_STATUS_DIAGNOSE_H
#define MGR_CORE_STATUS_DIAGNOSE_H

#include <stdbool.h>

#include <migrator/migrator.h>

#include "ctx.h"
#include "plan.h"
#include "runner.h"
#include "vtable.h"

/* Changes made outside migrations since migrator recorded the schema at
 * the current rows (migrator_schema), as `check` reports them. */
struct status_drift {
    struct plan_rows lines; /* one description per change */
    bool compared;          /* a record existed to compare with */
};
#define STATUS_DRIFT_INIT { PLAN_ROWS_INIT, false }

/* A status with every list empty (not NULL). */
struct mgr_db_status *status_new(void);

/*
 * Fill s (from status_new()) for ctx's database. drift (may be NULL: not
 * looked at, which spares introspecting the schema) gets the changes
 * made outside migrations. Errors in ctx->err.
 */
int status_diagnose(struct mgr_ctx *ctx, struct mgr_db_status *s,
                    struct status_drift *drift);
void status_drift_release(struct status_drift *d);

/* status_scripts.c: failed[] and edited[] of s from the log, for the
 * applied revisions below rows (all known to the graph). */
int status_find_scripts(struct runner *r, const struct plan_rows *rows,
                        const struct vtable_log_rows *log,
                        struct mgr_db_status *s);

/* status_lock.c: the row of migrator_lock, when the table and a row are
 * there, into s->lock_*. */
int status_find_lock(struct runner *r, struct mgr_db_status *s);

/* status_drift.c: the changes since the schema recorded at rows. */
int status_find_drift(struct runner *r, const struct plan_rows *rows,
                      struct status_drift *drift);

/* A NULL-terminated array of script entries with room for n (and the
 * terminator), and their release. */
struct mgr_db_script *status_scripts_new(size_t n);
void status_scripts_free(struct mgr_db_script *v);

#endif
