/*
 * plan_ops.c: the version rows while a plan is made, and the
 * version-table change of upgrading or downgrading one revision
 * (SEMANTICS.md 5.2).
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "plan_internal.h"
#include "util.h"

/* ---- the rows while planning ---------------------------------------- */

void plan_rowset_init(struct rowset *h, const struct graph *g,
                      const struct graph_list *rows)
{
    memset(h, 0, sizeof(*h));
    h->g = g;
    h->in = plan_new_marks(g);
    h->applied = plan_new_marks(g);
    h->seen = xcalloc(g->n ? g->n : 1, sizeof(unsigned));
    for (size_t i = 0; i < rows->len; i++) {
        if (h->in[rows->v[i]])
            continue;
        h->in[rows->v[i]] = 1;
        graph_list_push(&h->l, rows->v[i]);
    }
    graph_mark_ancestors(g, h->l.v, h->l.len, true, h->applied);
}

void plan_rowset_release(struct rowset *h)
{
    free(h->in);
    free(h->applied);
    free(h->seen);
    graph_list_release(&h->l);
    graph_list_release(&h->stack);
}

/*
 * Whether x is an ancestor (inclusive) of a row that is not in skip[];
 * with rows false, of a member of skip[] other than x (used to find
 * redundant parents).
 */
static bool rowset_covered(struct rowset *h, size_t x, const size_t *skip,
                           size_t nskip, bool rows)
{
    const struct graph *g = h->g;

    h->gen++;
    graph_list_reset(&h->stack);
    graph_list_push(&h->stack, x);
    h->seen[x] = h->gen;
    while (h->stack.len) {
        size_t y = h->stack.v[--h->stack.len];
        const struct graph_node *nd = &g->nodes[y];
        bool in_skip = false;

        for (size_t k = 0; k < nskip; k++)
            if (skip[k] == y)
                in_skip = true;
        if (rows ? (h->in[y] && !in_skip) : (in_skip && y != x))
            return true;
        for (size_t k = 0; k < nd->nall_next; k++) {
            size_t c = nd->all_next[k];

            if (h->seen[c] == h->gen || !h->applied[c])
                continue;
            h->seen[c] = h->gen;
            graph_list_push(&h->stack, c);
        }
    }
    return false;
}

void plan_rowset_insert(struct rowset *h, size_t x)
{
    h->in[x] = 1;
    h->applied[x] = 1;
    graph_list_push(&h->l, x);
}

void plan_rowset_delete(struct rowset *h, size_t x)
{
    for (size_t i = 0; i < h->l.len; i++)
        if (h->l.v[i] == x) {
            memmove(&h->l.v[i], &h->l.v[i + 1],
                    (h->l.len - i - 1) * sizeof(size_t));
            h->l.len--;
            break;
        }
    h->in[x] = 0;
}

void plan_rowset_update(struct rowset *h, size_t a, size_t b)
{
    for (size_t i = 0; i < h->l.len; i++)
        if (h->l.v[i] == a)
            h->l.v[i] = b;
    h->in[a] = 0;
    h->in[b] = 1;
    h->applied[b] = 1;
}

/* The version-table change of upgrading r (SEMANTICS.md 5.2). */
void plan_upgrade_ops(const struct graph *g, struct rowset *h, size_t r,
                      struct plan_step *st)
{
    const struct graph_node *nd = &g->nodes[r];
    size_t ninter = 0, last = GRAPH_NONE;

    for (size_t k = 0; k < nd->nnorm; k++)
        if (h->in[nd->norm[k]]) {
            ninter++;
            last = nd->norm[k];
        }
    if (ninter == 0) {
        plan_add_op(st, PLAN_INSERT, NULL, nd->rev->id);
        plan_rowset_insert(h, r);
    } else if (ninter == 1) {
        plan_add_op(st, PLAN_UPDATE, graph_id(g, last), nd->rev->id);
        plan_rowset_update(h, last, r);
    } else {
        /* A merge: the parents with rows that no other row covers. */
        struct graph_list f = GRAPH_LIST_INIT;

        for (size_t k = 0; k < nd->nnorm; k++)
            if (h->in[nd->norm[k]] &&
                !rowset_covered(h, nd->norm[k], nd->norm, nd->nnorm, true))
                graph_list_push(&f, nd->norm[k]);
        if (!f.len) {
            plan_add_op(st, PLAN_INSERT, NULL, nd->rev->id);
            plan_rowset_insert(h, r);
        } else {
            for (size_t k = 0; k + 1 < f.len; k++) {
                plan_add_op(st, PLAN_DELETE, graph_id(g, f.v[k]), NULL);
                plan_rowset_delete(h, f.v[k]);
            }
            plan_add_op(st, PLAN_UPDATE, graph_id(g, f.v[f.len - 1]),
                        nd->rev->id);
            plan_rowset_update(h, f.v[f.len - 1], r);
        }
        graph_list_release(&f);
    }
}

/* The version-table change of downgrading r. */
int plan_downgrade_ops(const struct graph *g, struct rowset *h, size_t r,
                       struct plan_step *st, struct mgr_error *err)
{
    const struct graph_node *nd = &g->nodes[r];
    struct graph_list t = GRAPH_LIST_INIT;

    if (!h->in[r])
        return mgr_error_set(err, MGR_EREVISION,
                             "cannot downgrade '%s': the version rows do "
                             "not reach it (redundant or missing rows?); "
                             "check them with 'migrator current' and fix "
                             "them with 'migrator stamp'",
                             nd->rev->id);
    /* The parents that get a row: those that no other row covers and
     * that are not below another parent (Alembic checks the second only
     * when there is no other row, and may leave a redundant row). */
    for (size_t k = 0; k < nd->nnorm; k++) {
        size_t p = nd->norm[k];

        if (h->l.len > 1 && rowset_covered(h, p, &r, 1, true))
            continue;
        if (nd->nnorm > 1 &&
            rowset_covered(h, p, nd->norm, nd->nnorm, false))
            continue;
        graph_list_push(&t, p);
    }
    h->applied[r] = 0;
    if (!t.len) {
        plan_add_op(st, PLAN_DELETE, nd->rev->id, NULL);
        plan_rowset_delete(h, r);
    } else {
        for (size_t k = 0; k + 1 < t.len; k++) {
            plan_add_op(st, PLAN_INSERT, NULL, graph_id(g, t.v[k]));
            plan_rowset_insert(h, t.v[k]);
        }
        plan_add_op(st, PLAN_UPDATE, nd->rev->id, graph_id(g, t.v[t.len - 1]));
        plan_rowset_update(h, r, t.v[t.len - 1]);
    }
    graph_list_release(&t);
    return MGR_OK;
}
