/*
 * vtable_defer.h: the version-table changes and migrator_log rows of a
 * transaction, kept in memory until just before it commits, then written
 * in a few statements.
 *
 * Rows count only once they commit, and no other session sees them
 * before, so writing them at the end of the transaction (in the same
 * transaction) changes nothing anyone can observe: a revision that fails
 * still leaves nothing, and a run that commits still records every step.
 * What it saves is two statements per revision: a run of N revisions in
 * one transaction writes its bookkeeping in a handful of statements, not
 * 2N, each of which the server had to parse, plan and run.
 */
#ifndef MGR_CORE_VTABLE_DEFER_H
#define MGR_CORE_VTABLE_DEFER_H

#include <stdbool.h>

#include "vtable.h"

/* A version row as the transaction leaves it: origin is the row it had
 * at the start (NULL: inserted since), current what it holds now (NULL:
 * deleted). */
struct vtable_defer_row {
    char *origin;
    char *current;
};

struct vtable_defer {
    struct vtable_defer_row *rows;
    size_t nrows, arows;
    char **log;          /* VTABLE_LOG_NCOLS values per row, owned */
    size_t nlog, alog;   /* rows */
    struct plan_op *ops; /* the row checks of the last flush */
};
#define VTABLE_DEFER_INIT { NULL, 0, 0, NULL, 0, 0, NULL }

/* Hold a version-table change. */
void vtable_defer_op(struct vtable_defer *d, const struct plan_op *op);

/* Hold a log row, stamped now (its applied_at is when it was made). */
void vtable_defer_log(struct vtable *vt, struct vtable_defer *d,
                      const struct vtable_log_entry *e);

bool vtable_defer_empty(const struct vtable_defer *d);

/*
 * Append to b what writes d: the net change of each version row (an
 * UPDATE or DELETE must match one row, as vtable_apply's do), then the
 * log rows, many to a statement. d must stay alive until b has run.
 */
void vtable_defer_flush(struct vtable *vt, struct vtable_defer *d,
                        struct vtable_batch *b);

/* Forget what is held (after a flush that ran, or a rollback). */
void vtable_defer_reset(struct vtable_defer *d);

#endif
