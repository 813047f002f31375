/*
 * plan_internal.h: what the files of the planner share (plan.c,
 * plan_sort.c, plan_ops.c, plan_stamp.c, plan_offline.c,
 * plan_history.c). Never included outside them: the API is plan.h.
 */
#ifndef MGR_CORE_PLAN_INTERNAL_H
#define MGR_CORE_PLAN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/migrator.h>

#include "graph.h"
#include "plan.h"

/* ---- marks and the order (plan_sort.c) ------------------------------ */

/* A zeroed mark per revision of g; free it. */
unsigned char *plan_new_marks(const struct graph *g);
int plan_check_overlap(const struct graph *g, const size_t *v, size_t n,
                       const char *what, const char *hint,
                       struct mgr_error *err);
void plan_topo_sort(const struct graph *g, unsigned char *todo,
                    const size_t *starts, size_t nstarts,
                    struct graph_list *out);

/* ---- steps (plan.c) ------------------------------------------------- */

struct plan_step *plan_add_step(struct plan *p, const struct graph *g,
                                enum plan_dir dir, size_t node);
void plan_add_op(struct plan_step *st, enum plan_op_kind kind,
                 const char *from, const char *to);
/* The ids of v[] (borrowed from g) in an array to free. */
const char **plan_id_array(const struct graph *g, const size_t *v,
                           size_t n);
void plan_set_start(struct plan *p, const struct graph *g,
                    const struct graph_list *rows);
int plan_filter_on_branch(const struct graph *g, struct graph_list *t,
                          const char *b, struct mgr_error *err);
int plan_upgrade_from(const struct graph *g, const struct graph_list *rows,
                      const char *spec, const char *lower_branch,
                      struct plan *plan, struct mgr_error *err);
int plan_downgrade_from(const struct graph *g,
                        const struct graph_list *rows, const char *spec,
                        struct plan *plan, struct mgr_error *err);

/* ---- stamps (plan_stamp.c) ------------------------------------------ */

int plan_stamp_from(const struct graph *g, const struct graph_list *rows,
                    const char *const *targets, size_t ntargets,
                    struct plan *plan, struct mgr_error *err);

/* ---- the rows while planning (plan_ops.c) --------------------------- */

/*
 * The version rows during planning, and the applied revisions (the rows
 * and their ancestors, both edge kinds): a step's parents are always
 * applied, so "is p an ancestor of another row" is a search upward from
 * p through applied revisions, which stops at the first row found.
 */
struct rowset {
    const struct graph *g;
    unsigned char *in;
    unsigned char *applied;
    struct graph_list l;
    unsigned *seen;
    unsigned gen;
    struct graph_list stack;
};

void plan_rowset_init(struct rowset *h, const struct graph *g,
                      const struct graph_list *rows);
void plan_rowset_release(struct rowset *h);
void plan_rowset_insert(struct rowset *h, size_t x);
void plan_rowset_delete(struct rowset *h, size_t x);
void plan_rowset_update(struct rowset *h, size_t a, size_t b);

void plan_upgrade_ops(const struct graph *g, struct rowset *h, size_t r,
                      struct plan_step *st);
int plan_downgrade_ops(const struct graph *g, struct rowset *h, size_t r,
                       struct plan_step *st, struct mgr_error *err);

#endif
