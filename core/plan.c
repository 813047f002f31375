/*
 * plan.c: upgrade and downgrade plans (plan.h), and the steps that every
 * kind of plan is made of.
 *
 * The other parts: the order of steps in plan_sort.c, the version-table
 * change of a step in plan_ops.c, stamps in plan_stamp.c, offline ranges
 * in plan_offline.c, row sets in plan_rows.c, and history and `current`
 * in plan_history.c; plan_internal.h is what they share.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "plan_internal.h"
#include "target.h"
#include "util.h"

/* ---- plans ---------------------------------------------------------- */

void plan_release(struct plan *p)
{
    for (size_t i = 0; i < p->nsteps; i++) {
        free(p->steps[i].ops);
        free(p->steps[i].from);
        free(p->steps[i].to);
    }
    free(p->steps);
    free(p->start);
    memset(p, 0, sizeof(*p));
}

struct plan_step *plan_add_step(struct plan *p, const struct graph *g,
                                enum plan_dir dir, size_t node)
{
    struct plan_step *st;

    p->steps = xreallocarray(p->steps, p->nsteps + 1, sizeof(*p->steps));
    st = &p->steps[p->nsteps++];
    memset(st, 0, sizeof(*st));
    st->dir = dir;
    st->node = node;
    st->rev = node != GRAPH_NONE ? g->nodes[node].rev : NULL;
    return st;
}

void plan_add_op(struct plan_step *st, enum plan_op_kind kind,
                 const char *from, const char *to)
{
    st->ops = xreallocarray(st->ops, st->nops + 1, sizeof(*st->ops));
    st->ops[st->nops].kind = kind;
    st->ops[st->nops].from = from;
    st->ops[st->nops].to = to;
    st->nops++;
}

const char **plan_id_array(const struct graph *g, const size_t *v,
                           size_t n)
{
    const char **a = xreallocarray(NULL, n ? n : 1, sizeof(*a));

    for (size_t i = 0; i < n; i++)
        a[i] = graph_id(g, v[i]);
    return a;
}

void plan_set_start(struct plan *p, const struct graph *g,
                    const struct graph_list *rows)
{
    free(p->start);
    p->start = plan_id_array(g, rows->v, rows->len);
    p->nstart = rows->len;
}

/* ---- upgrade and downgrade ------------------------------------------ */

/*
 * Keep the targets on branch b (the "X@" of a range's start): those that
 * carry label X, or the one label of revision X; else those sharing the
 * lineage of revision X.
 */
int plan_filter_on_branch(const struct graph *g, struct graph_list *t,
                          const char *b, struct mgr_error *err)
{
    const char *label = graph_find_label(g, b) != GRAPH_NONE ? b : NULL;
    unsigned char *lin = NULL;
    size_t idx = GRAPH_NONE, n = 0;
    int rc;

    if (!label) {
        if ((rc = target_resolve_one(g, b, &idx, err)))
            return rc;
        if (idx != GRAPH_NONE && g->nodes[idx].nlabels == 1)
            label = g->nodes[idx].labels[0];
        else if (idx != GRAPH_NONE)
            lin = target_lineage(g, &idx, 1, false);
    }
    for (size_t i = 0; i < t->len; i++)
        if (label ? graph_has_label(g, t->v[i], label) :
                    lin && lin[t->v[i]])
            t->v[n++] = t->v[i];
    t->len = n;
    free(lin);
    return MGR_OK;
}

static void set_running(const struct graph *g, struct plan_step *st,
                        size_t r, bool up)
{
    const struct graph_node *nd = &g->nodes[r];
    const char **parents = plan_id_array(g, nd->down, nd->ndown);
    const char **self = plan_id_array(g, &r, 1);

    st->from = up ? parents : self;
    st->nfrom = up ? nd->ndown : 1;
    st->to = up ? self : parents;
    st->nto = up ? 1 : nd->ndown;
}

/*
 * Upgrade from rows to spec. lower_branch (offline "X@..." starts)
 * keeps only targets on branch X.
 */
int plan_upgrade_from(const struct graph *g, const struct graph_list *rows,
                      const char *spec, const char *lower_branch,
                      struct plan *plan, struct mgr_error *err)
{
    struct graph_list targets = GRAPH_LIST_INIT, order = GRAPH_LIST_INIT;
    unsigned char *todo = NULL, *cur = NULL;
    struct rowset h;
    int rc;

    plan->dir = PLAN_UPGRADE;
    plan_set_start(plan, g, rows);
    if (strchr(spec, ':')) {
        rc = mgr_error_set(err, MGR_EREVISION,
                           "a range ('%s') is valid only with --sql; name "
                           "the target revision",
                           spec);
        goto out;
    }
    if ((rc = target_upgrade(g, rows, spec, &targets, err)))
        goto out;
    if (lower_branch &&
        (rc = plan_filter_on_branch(g, &targets, lower_branch, err)))
        goto out;
    if ((rc = plan_check_overlap(g, targets.v, targets.len,
                                 "requested revisions", "; name only the "
                                 "newer one",
                                 err)) ||
        (rc = plan_check_overlap(g, rows->v, rows->len, "current revisions",
                                 "; the version table has a redundant row: "
                                 "fix it with 'migrator stamp'",
                                 err)))
        goto out;
    todo = plan_new_marks(g);
    cur = plan_new_marks(g);
    graph_mark_ancestors(g, targets.v, targets.len, true, todo);
    graph_mark_ancestors(g, rows->v, rows->len, true, cur);
    for (size_t i = 0; i < g->n; i++)
        if (cur[i])
            todo[i] = 0;
    plan_topo_sort(g, todo, targets.v, targets.len, &order);

    plan_rowset_init(&h, g, rows);
    for (size_t k = order.len; k-- > 0;) {
        size_t r = order.v[k];
        struct plan_step *st = plan_add_step(plan, g, PLAN_UPGRADE, r);

        set_running(g, st, r, true);
        plan_upgrade_ops(g, &h, r, st);
    }
    plan_rowset_release(&h);
out:
    free(todo);
    free(cur);
    graph_list_release(&targets);
    graph_list_release(&order);
    return rc;
}

int plan_downgrade_from(const struct graph *g,
                        const struct graph_list *rows, const char *spec,
                        struct plan *plan, struct mgr_error *err)
{
    struct target_down td;
    struct graph_list roots = GRAPH_LIST_INIT, order = GRAPH_LIST_INIT;
    unsigned char *set = NULL, *act = NULL;
    struct rowset h;
    bool any = false;
    int rc;

    plan->dir = PLAN_DOWNGRADE;
    plan_set_start(plan, g, rows);
    if (strchr(spec, ':')) {
        rc = mgr_error_set(err, MGR_EREVISION,
                           "a range ('%s') is valid only with --sql; name "
                           "the target revision",
                           spec);
        goto out;
    }
    if ((rc = target_downgrade(g, rows, spec, &td, err)))
        goto out;
    plan->warning = td.warning;
    if (td.undo != GRAPH_NONE) {
        graph_list_push(&roots, td.undo);
    } else if (td.keep == GRAPH_NONE) {
        for (size_t i = 0; i < g->nbases; i++)
            graph_list_push(&roots, g->bases[i]);
    } else {
        for (size_t k = 0; k < g->nodes[td.keep].nnext; k++)
            graph_list_push(&roots, g->nodes[td.keep].next[k]);
    }
    if (td.branch != GRAPH_NONE && roots.len > 1) {
        unsigned char *anc = plan_new_marks(g);
        size_t n = 0;

        graph_mark_ancestors(g, &td.branch, 1, false, anc);
        for (size_t i = 0; i < roots.len; i++)
            if (anc[roots.v[i]])
                roots.v[n++] = roots.v[i];
        roots.len = n;
        free(anc);
        if (!n) {
            rc = mgr_error_set(err, MGR_EREVISION,
                               "'%s' is not a valid downgrade target: "
                               "nothing on branch '%s' lies above it",
                               spec, graph_id(g, td.branch));
            goto out;
        }
    }
    set = plan_new_marks(g);
    act = plan_new_marks(g);
    graph_mark_descendants(g, roots.v, roots.len, true, set);
    graph_mark_ancestors(g, rows->v, rows->len, true, act);
    for (size_t i = 0; i < g->n; i++) {
        set[i] = set[i] && act[i];
        any = any || set[i];
    }
    if (td.keep != GRAPH_NONE && td.undo == GRAPH_NONE && !any &&
        !graph_list_has(rows, td.keep)) {
        rc = mgr_error_set(err, MGR_EREVISION,
                           "cannot downgrade to '%s': it is not below the "
                           "current revision(s); use 'migrator upgrade' to "
                           "go up",
                           graph_id(g, td.keep));
        goto out;
    }
    plan_topo_sort(g, set, rows->v, rows->len, &order);

    plan_rowset_init(&h, g, rows);
    for (size_t k = 0; k < order.len && rc == MGR_OK; k++) {
        size_t r = order.v[k];
        struct plan_step *st = plan_add_step(plan, g, PLAN_DOWNGRADE, r);

        set_running(g, st, r, false);
        rc = plan_downgrade_ops(g, &h, r, st, err);
    }
    plan_rowset_release(&h);
out:
    free(set);
    free(act);
    graph_list_release(&roots);
    graph_list_release(&order);
    return rc;
}

int plan_upgrade(const struct graph *g, const char *const *rows, size_t nrows,
                 const char *target, struct plan *plan_out,
                 struct mgr_error *err)
{
    struct graph_list r = GRAPH_LIST_INIT;
    int rc = target_rows(g, rows, nrows, &r, err);

    if (rc == MGR_OK)
        rc = plan_upgrade_from(g, &r, target, NULL, plan_out, err);
    graph_list_release(&r);
    if (rc)
        plan_release(plan_out);
    return rc;
}

int plan_downgrade(const struct graph *g, const char *const *rows,
                   size_t nrows, const char *target, struct plan *plan_out,
                   struct mgr_error *err)
{
    struct graph_list r = GRAPH_LIST_INIT;
    int rc = target_rows(g, rows, nrows, &r, err);

    if (rc == MGR_OK)
        rc = plan_downgrade_from(g, &r, target, plan_out, err);
    graph_list_release(&r);
    if (rc)
        plan_release(plan_out);
    return rc;
}
