/*
 * plan_history.c: the revisions of `history`, the rows of `current`, and
 * whether the rows are the heads.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "plan_internal.h"
#include "target.h"
#include "util.h"

/* ---- history, current ------------------------------------------------ */

int plan_history(const struct graph *g, const char *lo, const char *hi,
                 const char *const *rows, size_t nrows,
                 struct graph_list *out, struct mgr_error *err)
{
    struct graph_list lower = GRAPH_LIST_INIT, targets = GRAPH_LIST_INIT;
    struct graph_list rowl = GRAPH_LIST_INIT;
    unsigned char *todo = NULL, *cur = NULL, *desc = NULL;
    bool lo_cur = lo && strcmp(lo, "current") == 0;
    bool hi_cur = hi && strcmp(hi, "current") == 0;
    int rc = MGR_OK;

    if ((lo_cur || hi_cur) &&
        (rc = target_rows(g, rows, nrows, &rowl, err)))
        goto out;
    if (lo_cur && !rowl.len)
        lo_cur = false, lo = NULL;
    if (hi_cur && !rowl.len)
        hi_cur = false, hi = NULL;
    if (lo_cur) {
        for (size_t i = 0; i < rowl.len; i++)
            graph_list_push(&lower, rowl.v[i]);
    } else if (lo && *lo && (rc = target_resolve(g, lo, &lower, err))) {
        goto out;
    }
    if (hi_cur) {
        for (size_t i = 0; i < rowl.len; i++)
            graph_list_push(&targets, rowl.v[i]);
    } else if ((rc = target_upgrade(g, &lower, hi && *hi ? hi : "heads",
                                    &targets, err))) {
        goto out;
    }
    if (lo && !lo_cur && strchr(lo, '@')) {
        char *b = xstrndup(lo, (size_t)(strchr(lo, '@') - lo));

        rc = plan_filter_on_branch(g, &targets, b, err);
        free(b);
        if (rc)
            goto out;
    }
    if ((rc = plan_check_overlap(g, targets.v, targets.len, "revisions",
                                 "; name only the newer one", err)))
        goto out;
    todo = plan_new_marks(g);
    graph_mark_ancestors(g, targets.v, targets.len, true, todo);
    for (size_t i = 0; i < lower.len; i++)
        if (!todo[lower.v[i]]) {
            rc = mgr_error_set(err, MGR_EREVISION,
                               "range %s:%s does not run along one branch: "
                               "'%s' is not an ancestor of the end; pick a "
                               "start below the end",
                               lo ? lo : "", hi ? hi : "",
                               graph_id(g, lower.v[i]));
            goto out;
        }
    if ((rc = plan_check_overlap(g, lower.v, lower.len, "revisions",
                                 "; name only the newer one", err)))
        goto out;
    cur = plan_new_marks(g);
    graph_mark_ancestors(g, lower.v, lower.len, true, cur);
    for (size_t i = 0; i < g->n; i++)
        if (cur[i])
            todo[i] = 0;
    for (size_t i = 0; i < lower.len; i++)
        todo[lower.v[i]] = 1;
    if (lower.len) {
        desc = plan_new_marks(g);
        graph_mark_descendants(g, lower.v, lower.len, false, desc);
        for (size_t i = 0; i < g->n; i++)
            todo[i] = todo[i] && desc[i];
    }
    plan_topo_sort(g, todo, targets.v, targets.len, out);
out:
    free(todo);
    free(cur);
    free(desc);
    graph_list_release(&lower);
    graph_list_release(&targets);
    graph_list_release(&rowl);
    return rc;
}

int plan_current(const struct graph *g, const char *const *rows,
                 size_t nrows, struct graph_list *out,
                 struct mgr_error *err)
{
    struct graph_list r = GRAPH_LIST_INIT;
    unsigned char *s;
    int rc = target_rows(g, rows, nrows, &r, err);

    if (rc) {
        graph_list_release(&r);
        return rc;
    }
    s = plan_new_marks(g);
    graph_mark_ancestors(g, r.v, r.len, true, s);
    for (size_t i = 0; i < g->n; i++) {
        bool top = s[i];

        for (size_t k = 0; top && k < g->nodes[i].nnext; k++)
            if (s[g->nodes[i].next[k]])
                top = false;
        if (top)
            graph_list_push(out, i);
    }
    free(s);
    graph_list_release(&r);
    return MGR_OK;
}

bool plan_rows_are_heads(const struct graph *g, const char *const *rows,
                         size_t nrows, bool real)
{
    const size_t *h = real ? g->real_heads : g->heads;
    size_t nh = real ? g->nreal_heads : g->nheads;
    unsigned char *m = plan_new_marks(g);
    size_t distinct = 0;
    bool ok = true;

    for (size_t i = 0; i < nrows && ok; i++) {
        size_t idx = graph_find(g, rows[i]);

        if (idx == GRAPH_NONE) {
            ok = false;
        } else if (!m[idx]) {
            m[idx] = 1;
            distinct++;
        }
    }
    for (size_t i = 0; i < nh && ok; i++)
        if (!m[h[i]])
            ok = false;
    free(m);
    return ok && distinct == nh;
}
