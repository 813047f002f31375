/*
 * plan.h: the ordered steps of an upgrade, downgrade or stamp, each with
 * the version-table change that goes with it, computed from the graph and
 * the current version rows.
 *
 * Order: the steps of an upgrade run bases first, those of a downgrade
 * heads first; parallel branches are ordered as Alembic orders them
 * (conformance/SEMANTICS.md section 9.1). Version-table changes are
 * Alembic's (section 5.2): INSERT for a new branch, UPDATE along a line,
 * DELETE + UPDATE at a merge, INSERT + UPDATE when a merge is undone,
 * DELETE when a branch is closed. Where Alembic leaves a choice to hash
 * order, the parents' declared order decides. The rows stay the maximal
 * applied revisions after every step: a merge deletes only parents that
 * have rows, and undoing one restores no parent that lies below another.
 *
 * `downgrade -1` (and X@-N, <id>-N) from a merge revision undoes that
 * revision only and leaves one row per parent.
 *
 * Pure code: no I/O. Strings in a plan are borrowed from the graph's
 * revisions (which must outlive the plan).
 */
#ifndef MGR_CORE_PLAN_H
#define MGR_CORE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/migrator.h>

#include "graph.h"

enum plan_dir {
    PLAN_UPGRADE,
    PLAN_DOWNGRADE,
    PLAN_STAMP,
};

enum plan_op_kind {
    PLAN_INSERT, /* INSERT to */
    PLAN_UPDATE, /* UPDATE SET version_num = to WHERE version_num = from */
    PLAN_DELETE, /* DELETE WHERE version_num = from */
};

struct plan_op {
    enum plan_op_kind kind;
    const char *from; /* NULL for INSERT */
    const char *to;   /* NULL for DELETE */
};

struct plan_step {
    enum plan_dir dir;
    size_t node;                /* the revision run (up/down) or stamped
                                   to; GRAPH_NONE for a stamp to base */
    const struct revision *rev; /* g->nodes[node].rev, or NULL */
    struct plan_op *ops;        /* the version-table change, in order */
    size_t nops;
    /* "Running upgrade <from> -> <to>": versioned parents and revision
     * (swapped for a downgrade); for a stamp, the rows replaced and the
     * destination. Either side may be empty. */
    const char **from;
    size_t nfrom;
    const char **to;
    size_t nto;
};

struct plan {
    enum plan_dir dir;
    struct plan_step *steps;
    size_t nsteps;
    const char **start;  /* the version rows before the first step (the
                            current rows, or the offline start; none
                            after a purge) */
    size_t nstart;
    bool purge;          /* stamp --purge: delete every row first */
    const char *warning; /* static text to show the user, or NULL */
};

#define PLAN_INIT { PLAN_UPGRADE, NULL, 0, NULL, 0, false, NULL }

void plan_release(struct plan *p);

/*
 * plan_upgrade / plan_downgrade - steps from the current rows to target
 *
 * ARGUMENTS
 *   g, rows, nrows  the graph and the version rows as read (row order
 *                   matters only for `downgrade -N` with several rows,
 *                   which starts from rows[0] and sets plan->warning)
 *   target          an identifier (target.h), or +N / -N / X@+N / X@-N
 *                   relative to the rows; a range is refused
 *   plan_out        initialised with PLAN_INIT; filled on success (maybe
 *                   with no steps: nothing to do)
 * RETURN
 *   MGR_OK or MGR_EREVISION (unknown row, bad target, overlapping rows,
 *   target not reachable from the rows, ...).
 */
int plan_upgrade(const struct graph *g, const char *const *rows, size_t nrows,
                 const char *target, struct plan *plan_out,
                 struct mgr_error *err);
int plan_downgrade(const struct graph *g, const char *const *rows,
                   size_t nrows, const char *target, struct plan *plan_out,
                   struct mgr_error *err);

/*
 * plan_stamp - move the rows to targets[] (none or "base": no rows)
 * without running anything. purge starts from no rows (the caller
 * deletes them all first; plan->purge is set).
 */
int plan_stamp(const struct graph *g, const char *const *rows, size_t nrows,
               const char *const *targets, size_t ntargets, bool purge,
               struct plan *plan_out, struct mgr_error *err);

/*
 * Offline (--sql) forms: the start of the range replaces the rows.
 *   upgrade   "[start:]end", start defaults to base
 *   downgrade "start:end" (required)
 *   stamp     each target "[start:]rev", all starts equal; purge refused
 * A start must name at most one revision; "X@..." as the start of an
 * upgrade keeps only targets on branch X.
 */
int plan_upgrade_offline(const struct graph *g, const char *range,
                         struct plan *plan_out, struct mgr_error *err);
int plan_downgrade_offline(const struct graph *g, const char *range,
                           struct plan *plan_out, struct mgr_error *err);
int plan_stamp_offline(const struct graph *g, const char *const *targets,
                       size_t ntargets, bool purge, struct plan *plan_out,
                       struct mgr_error *err);

/*
 * Row sets: the version rows in memory, kept in step with a plan. Ids are
 * copied. plan_apply_step() fails (MGR_EDB, the table would not match)
 * if an UPDATE or DELETE names a missing row or an INSERT an existing
 * one; plan_apply() applies purge and every step.
 */
struct plan_rows {
    char **ids;
    size_t len;
    size_t alloc;
};
#define PLAN_ROWS_INIT { NULL, 0, 0 }

void plan_rows_add(struct plan_rows *r, const char *id);
bool plan_rows_has(const struct plan_rows *r, const char *id);
bool plan_rows_remove(struct plan_rows *r, const char *id);
void plan_rows_clear(struct plan_rows *r);
void plan_rows_release(struct plan_rows *r);

int plan_apply_step(const struct plan_step *step, struct plan_rows *rows,
                    struct mgr_error *err);
int plan_apply(const struct plan *p, struct plan_rows *rows,
               struct mgr_error *err);

/*
 * history: the revisions from lo to hi inclusive, newest first (history
 * order). lo defaults to base and hi to heads (NULL or ""); "current" on
 * either side means the rows; a bare -N lower bound counts down from the
 * script heads. lo must be an ancestor of hi, and with a lo the listing
 * keeps only its descendants.
 */
int plan_history(const struct graph *g, const char *lo, const char *hi,
                 const char *const *rows, size_t nrows,
                 struct graph_list *out, struct mgr_error *err);

/*
 * The rows of `current`: the rows and their ancestors (both edge kinds),
 * keeping only those with no versioned descendant in that set (so an
 * effective head shows, a redundant row does not). Map order.
 */
int plan_current(const struct graph *g, const char *const *rows,
                 size_t nrows, struct graph_list *out,
                 struct mgr_error *err);

/*
 * Whether the rows are exactly the versioned heads (`current
 * --check-heads`) or exactly the real heads (`check`), as sets.
 */
bool plan_rows_are_heads(const struct graph *g, const char *const *rows,
                         size_t nrows, bool real);

#endif
