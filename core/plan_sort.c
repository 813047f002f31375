/*
 * plan_sort.c: marks, the overlap check and the topological sort that
 * orders the steps of a plan and the revisions of a history.
 *
 * The order of steps is Alembic's topological sort (SEMANTICS.md 9.1):
 * walk "lines" down from the starting revisions; a revision is emitted
 * once no other open line still has it among its ancestors. Alembic
 * recomputes ancestor sets at every step; here each revision keeps a
 * count of the open lines that have it as an ancestor, updated in O(1)
 * along plain lines and by one walk at branch and merge points, which
 * gives the same order in time linear in the graph times the number of
 * branch and merge events met.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "plan_internal.h"
#include "util.h"

/* ---- marks and walks ------------------------------------------------ */

unsigned char *plan_new_marks(const struct graph *g)
{
    return xcalloc(g->n ? g->n : 1, 1);
}

/* Mark the strict ancestors (both edge kinds) of v[]. */
static void mark_strict_ancestors(const struct graph *g, const size_t *v,
                                  size_t n, unsigned char *mark)
{
    for (size_t i = 0; i < n; i++) {
        const struct graph_node *nd = &g->nodes[v[i]];

        graph_mark_ancestors(g, nd->norm, nd->nnorm, true, mark);
    }
}

/*
 * "Requested revisions overlap": one of v[] is an ancestor of another.
 * what names them in the message.
 */
int plan_check_overlap(const struct graph *g, const size_t *v, size_t n,
                       const char *what, const char *hint,
                       struct mgr_error *err)
{
    unsigned char *m;
    int rc = MGR_OK;

    if (n < 2)
        return MGR_OK;
    m = plan_new_marks(g);
    mark_strict_ancestors(g, v, n, m);
    for (size_t i = 0; i < n && rc == MGR_OK; i++) {
        if (!m[v[i]])
            continue;
        /* v[i] is below another one: find which, for the message. */
        for (size_t j = 0; j < n && rc == MGR_OK; j++) {
            unsigned char *a;

            if (j == i)
                continue;
            a = plan_new_marks(g);
            mark_strict_ancestors(g, &v[j], 1, a);
            if (a[v[i]])
                rc = mgr_error_set(err, MGR_EREVISION,
                                   "%s '%s' and '%s' overlap: '%s' is an "
                                   "ancestor of '%s'%s",
                                   what, graph_id(g, v[j]),
                                   graph_id(g, v[i]), graph_id(g, v[i]),
                                   graph_id(g, v[j]), hint);
            free(a);
        }
    }
    free(m);
    return rc;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return x < y ? -1 : x > y;
}

/* ---- the topological sort ------------------------------------------- */

/*
 * The set to sort is closed: a revision between two of its members is a
 * member, and every member is an ancestor of a starting member. Then a
 * candidate is an ancestor of another open line exactly when it still
 * has an unemitted member among its children (pending[] counts them), so
 * the test is O(1); only finding which line holds it needs a search.
 */
struct sorter {
    const struct graph *g;
    unsigned char *todo;
    size_t *pending;     /* unemitted members among the children */
    unsigned *seen;      /* search generations */
    unsigned gen;
    struct graph_list stack;
    struct graph_list lines;
    unsigned char *isline;
    size_t *topo_pos;
};

/* The first open line other than line i that has cand as an ancestor. */
static size_t sorter_holder(struct sorter *s, size_t cand, size_t i)
{
    const struct graph *g = s->g;
    size_t floor = s->topo_pos[cand];

    s->gen++;
    for (size_t j = 0; j < s->lines.len; j++) {
        if (j == i || s->seen[s->lines.v[j]] == s->gen)
            continue;
        graph_list_reset(&s->stack);
        graph_list_push(&s->stack, s->lines.v[j]);
        s->seen[s->lines.v[j]] = s->gen;
        while (s->stack.len) {
            const struct graph_node *nd =
                &g->nodes[s->stack.v[--s->stack.len]];

            for (size_t k = 0; k < nd->nnorm; k++) {
                size_t p = nd->norm[k];

                if (p == cand)
                    return j;
                if (s->seen[p] == s->gen || !s->todo[p] ||
                    s->topo_pos[p] < floor)
                    continue;
                s->seen[p] = s->gen;
                graph_list_push(&s->stack, p);
            }
        }
    }
    return i; /* not reached: pending says another line holds cand */
}

/*
 * Emit the revisions marked in todo, newest first, starting from
 * starts[] (those in todo). todo is cleared as revisions are emitted.
 */
void plan_topo_sort(const struct graph *g, unsigned char *todo,
                    const size_t *starts, size_t nstarts,
                    struct graph_list *out)
{
    struct sorter s;
    size_t *first = xreallocarray(NULL, nstarts ? nstarts : 1,
                                  sizeof(size_t));
    size_t nfirst = 0, i = 0;
    struct graph_list P = GRAPH_LIST_INIT;

    memset(&s, 0, sizeof(s));
    s.g = g;
    s.todo = todo;
    s.pending = xcalloc(g->n ? g->n : 1, sizeof(size_t));
    s.seen = xcalloc(g->n ? g->n : 1, sizeof(unsigned));
    s.isline = plan_new_marks(g);
    s.topo_pos = xreallocarray(NULL, g->n ? g->n : 1, sizeof(size_t));
    for (size_t k = 0; k < g->n; k++) {
        s.topo_pos[g->topo[k]] = k;
        if (todo[k])
            for (size_t q = 0; q < g->nodes[k].nnorm; q++)
                s.pending[g->nodes[k].norm[q]]++;
    }

    for (size_t k = 0; k < nstarts; k++)
        if (todo[starts[k]])
            first[nfirst++] = starts[k];
    qsort(first, nfirst, sizeof(size_t), cmp_size);
    for (size_t k = 0; k < nfirst; k++) {
        if (k && first[k] == first[k - 1])
            continue;
        graph_list_push(&s.lines, first[k]);
        s.isline[first[k]] = 1;
    }

    while (s.lines.len) {
        size_t cand = s.lines.v[i];
        const struct graph_node *nd = &g->nodes[cand];

        if (s.pending[cand]) {
            size_t j = sorter_holder(&s, cand, i);

            if (j != i) {
                i = j;
                continue;
            }
        }
        graph_list_push(out, cand);
        todo[cand] = 0;
        s.isline[cand] = 0;
        graph_list_reset(&P);
        for (size_t k = 0; k < nd->nnorm; k++) {
            s.pending[nd->norm[k]]--;
            if (todo[nd->norm[k]] && !s.isline[nd->norm[k]])
                graph_list_push(&P, nd->norm[k]);
        }
        if (!P.len) {
            memmove(&s.lines.v[i], &s.lines.v[i + 1],
                    (s.lines.len - i - 1) * sizeof(size_t));
            s.lines.len--;
            i = i ? i - 1 : 0;
        } else {
            s.lines.v[i] = P.v[0];
            for (size_t k = 1; k < P.len; k++)
                graph_list_push(&s.lines, P.v[k]);
            for (size_t k = 0; k < P.len; k++)
                s.isline[P.v[k]] = 1;
        }
    }
    graph_list_release(&P);
    graph_list_release(&s.stack);
    graph_list_release(&s.lines);
    free(s.pending);
    free(s.seen);
    free(s.isline);
    free(s.topo_pos);
    free(first);
}
