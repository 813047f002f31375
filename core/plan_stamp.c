/*
 * plan_stamp.c: stamp plans, which move the version rows without running
 * anything.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "plan_internal.h"
#include "target.h"
#include "util.h"

/* ---- stamp ---------------------------------------------------------- */

int plan_stamp_from(const struct graph *g, const struct graph_list *rows,
                    const char *const *targets, size_t ntargets,
                    struct plan *plan, struct mgr_error *err)
{
    struct graph_list filtered = GRAPH_LIST_INIT, dests = GRAPH_LIST_INIT;
    struct graph_list tmp = GRAPH_LIST_INIT;
    struct rowset h;
    int rc = MGR_OK;

    plan->dir = PLAN_STAMP;
    plan_set_start(plan, g, rows);
    /* The rows that share lineage with the arguments. */
    for (size_t a = 0; a < ntargets && rc == MGR_OK; a++) {
        const char *at = strchr(targets[a], '@');
        size_t b = GRAPH_NONE;
        unsigned char *lin;

        graph_list_reset(&tmp);
        if ((rc = target_resolve(g, targets[a], &tmp, err)))
            break;
        for (size_t k = 0; k < tmp.len; k++)
            graph_list_push(&dests, tmp.v[k]);
        if (at) {
            char *bt = xstrndup(targets[a], (size_t)(at - targets[a]));

            b = graph_find_label(g, bt);
            if (b == GRAPH_NONE)
                rc = target_resolve_one(g, bt, &b, err);
            free(bt);
            if (rc)
                break;
            if (b != GRAPH_NONE)
                graph_list_push(&tmp, b);
        }
        if (!tmp.len) {
            for (size_t k = 0; k < rows->len; k++)
                if (!graph_list_has(&filtered, rows->v[k]))
                    graph_list_push(&filtered, rows->v[k]);
            continue;
        }
        lin = target_lineage(g, tmp.v, tmp.len, true);
        for (size_t k = 0; k < rows->len; k++)
            if (lin[rows->v[k]] && !graph_list_has(&filtered, rows->v[k]))
                graph_list_push(&filtered, rows->v[k]);
        free(lin);
    }
    if (rc)
        goto out;

    plan_rowset_init(&h, g, rows);
    if (!dests.len) {
        for (size_t k = 0; k < filtered.len; k++) {
            size_t f = filtered.v[k];
            struct plan_step *st;

            if (!h.in[f])
                continue;
            st = plan_add_step(plan, g, PLAN_STAMP, GRAPH_NONE);
            st->from = plan_id_array(g, &f, 1);
            st->nfrom = 1;
            plan_add_op(st, PLAN_DELETE, graph_id(g, f), NULL);
            plan_rowset_delete(&h, f);
        }
    }
    for (size_t d = 0; d < dests.len; d++) {
        size_t dest = dests.v[d];
        unsigned char *down, *up;
        bool below = false, above = false;
        struct plan_step *st;

        if (graph_list_has(&filtered, dest) && h.in[dest])
            continue;
        down = plan_new_marks(g);
        up = plan_new_marks(g);
        graph_mark_ancestors(g, &dest, 1, true, down);
        graph_mark_descendants(g, &dest, 1, true, up);
        for (size_t k = 0; k < filtered.len; k++) {
            above = above || up[filtered.v[k]];
            below = below || down[filtered.v[k]];
        }
        free(down);
        free(up);
        st = plan_add_step(plan, g, PLAN_STAMP, dest);
        st->to = plan_id_array(g, &dest, 1);
        st->nto = 1;
        if (above || below) {
            struct graph_list f = GRAPH_LIST_INIT;

            st->from = plan_id_array(g, filtered.v, filtered.len);
            st->nfrom = filtered.len;
            for (size_t k = 0; k < filtered.len; k++)
                if (h.in[filtered.v[k]] && filtered.v[k] != dest)
                    graph_list_push(&f, filtered.v[k]);
            if (!f.len || h.in[dest]) {
                if (!h.in[dest]) {
                    plan_add_op(st, PLAN_INSERT, NULL, graph_id(g, dest));
                    plan_rowset_insert(&h, dest);
                }
            } else {
                for (size_t k = 0; k + 1 < f.len; k++) {
                    plan_add_op(st, PLAN_DELETE, graph_id(g, f.v[k]), NULL);
                    plan_rowset_delete(&h, f.v[k]);
                }
                plan_add_op(st, PLAN_UPDATE, graph_id(g, f.v[f.len - 1]),
                            graph_id(g, dest));
                plan_rowset_update(&h, f.v[f.len - 1], dest);
            }
            graph_list_release(&f);
        } else if (!h.in[dest]) {
            plan_add_op(st, PLAN_INSERT, NULL, graph_id(g, dest));
            plan_rowset_insert(&h, dest);
        }
    }
    plan_rowset_release(&h);
out:
    graph_list_release(&filtered);
    graph_list_release(&dests);
    graph_list_release(&tmp);
    return rc;
}

int plan_stamp(const struct graph *g, const char *const *rows, size_t nrows,
               const char *const *targets, size_t ntargets, bool purge,
               struct plan *plan_out, struct mgr_error *err)
{
    struct graph_list r = GRAPH_LIST_INIT;
    int rc = MGR_OK;

    if (!purge)
        rc = target_rows(g, rows, nrows, &r, err);
    if (rc == MGR_OK)
        rc = plan_stamp_from(g, &r, targets, ntargets, plan_out, err);
    plan_out->purge = purge;
    graph_list_release(&r);
    if (rc)
        plan_release(plan_out);
    return rc;
}
