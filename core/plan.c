/*
 * plan.c: upgrade, downgrade and stamp plans, history order and the
 * `current` set (plan.h).
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
#include "target.h"
#include "util.h"

/* ---- marks and walks ------------------------------------------------ */

static unsigned char *new_marks(const struct graph *g)
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
static int check_overlap(const struct graph *g, const size_t *v, size_t n,
                         const char *what, const char *hint,
                         struct mgr_error *err)
{
    unsigned char *m;
    int rc = MGR_OK;

    if (n < 2)
        return MGR_OK;
    m = new_marks(g);
    mark_strict_ancestors(g, v, n, m);
    for (size_t i = 0; i < n && rc == MGR_OK; i++) {
        if (!m[v[i]])
            continue;
        /* v[i] is below another one: find which, for the message. */
        for (size_t j = 0; j < n && rc == MGR_OK; j++) {
            unsigned char *a;

            if (j == i)
                continue;
            a = new_marks(g);
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
static void topo_sort(const struct graph *g, unsigned char *todo,
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
    s.isline = new_marks(g);
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

static struct plan_step *add_step(struct plan *p, const struct graph *g,
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

static void add_op(struct plan_step *st, enum plan_op_kind kind,
                   const char *from, const char *to)
{
    st->ops = xreallocarray(st->ops, st->nops + 1, sizeof(*st->ops));
    st->ops[st->nops].kind = kind;
    st->ops[st->nops].from = from;
    st->ops[st->nops].to = to;
    st->nops++;
}

static const char **id_array(const struct graph *g, const size_t *v,
                             size_t n)
{
    const char **a = xreallocarray(NULL, n ? n : 1, sizeof(*a));

    for (size_t i = 0; i < n; i++)
        a[i] = graph_id(g, v[i]);
    return a;
}

static void set_start(struct plan *p, const struct graph *g,
                      const struct graph_list *rows)
{
    free(p->start);
    p->start = id_array(g, rows->v, rows->len);
    p->nstart = rows->len;
}

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

static void rowset_init(struct rowset *h, const struct graph *g,
                        const struct graph_list *rows)
{
    memset(h, 0, sizeof(*h));
    h->g = g;
    h->in = new_marks(g);
    h->applied = new_marks(g);
    h->seen = xcalloc(g->n ? g->n : 1, sizeof(unsigned));
    for (size_t i = 0; i < rows->len; i++) {
        if (h->in[rows->v[i]])
            continue;
        h->in[rows->v[i]] = 1;
        graph_list_push(&h->l, rows->v[i]);
    }
    graph_mark_ancestors(g, h->l.v, h->l.len, true, h->applied);
}

static void rowset_release(struct rowset *h)
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

static void rowset_insert(struct rowset *h, size_t x)
{
    h->in[x] = 1;
    h->applied[x] = 1;
    graph_list_push(&h->l, x);
}

static void rowset_delete(struct rowset *h, size_t x)
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

static void rowset_update(struct rowset *h, size_t a, size_t b)
{
    for (size_t i = 0; i < h->l.len; i++)
        if (h->l.v[i] == a)
            h->l.v[i] = b;
    h->in[a] = 0;
    h->in[b] = 1;
    h->applied[b] = 1;
}

/* The version-table change of upgrading r (SEMANTICS.md 5.2). */
static void upgrade_ops(const struct graph *g, struct rowset *h, size_t r,
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
        add_op(st, PLAN_INSERT, NULL, nd->rev->id);
        rowset_insert(h, r);
    } else if (ninter == 1) {
        add_op(st, PLAN_UPDATE, graph_id(g, last), nd->rev->id);
        rowset_update(h, last, r);
    } else {
        /* A merge: the parents with rows that no other row covers. */
        struct graph_list f = GRAPH_LIST_INIT;

        for (size_t k = 0; k < nd->nnorm; k++)
            if (h->in[nd->norm[k]] &&
                !rowset_covered(h, nd->norm[k], nd->norm, nd->nnorm, true))
                graph_list_push(&f, nd->norm[k]);
        if (!f.len) {
            add_op(st, PLAN_INSERT, NULL, nd->rev->id);
            rowset_insert(h, r);
        } else {
            for (size_t k = 0; k + 1 < f.len; k++) {
                add_op(st, PLAN_DELETE, graph_id(g, f.v[k]), NULL);
                rowset_delete(h, f.v[k]);
            }
            add_op(st, PLAN_UPDATE, graph_id(g, f.v[f.len - 1]),
                   nd->rev->id);
            rowset_update(h, f.v[f.len - 1], r);
        }
        graph_list_release(&f);
    }
}

/* The version-table change of downgrading r. */
static int downgrade_ops(const struct graph *g, struct rowset *h, size_t r,
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
        add_op(st, PLAN_DELETE, nd->rev->id, NULL);
        rowset_delete(h, r);
    } else {
        for (size_t k = 0; k + 1 < t.len; k++) {
            add_op(st, PLAN_INSERT, NULL, graph_id(g, t.v[k]));
            rowset_insert(h, t.v[k]);
        }
        add_op(st, PLAN_UPDATE, nd->rev->id, graph_id(g, t.v[t.len - 1]));
        rowset_update(h, r, t.v[t.len - 1]);
    }
    graph_list_release(&t);
    return MGR_OK;
}

/*
 * Keep the targets on branch b (the "X@" of a range's start): those that
 * carry label X, or the one label of revision X; else those sharing the
 * lineage of revision X.
 */
static int filter_on_branch(const struct graph *g, struct graph_list *t,
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
    const char **parents = id_array(g, nd->down, nd->ndown);
    const char **self = id_array(g, &r, 1);

    st->from = up ? parents : self;
    st->nfrom = up ? nd->ndown : 1;
    st->to = up ? self : parents;
    st->nto = up ? 1 : nd->ndown;
}

/*
 * Upgrade from rows to spec. lower_branch (offline "X@..." starts)
 * keeps only targets on branch X.
 */
static int upgrade_from(const struct graph *g, const struct graph_list *rows,
                        const char *spec, const char *lower_branch,
                        struct plan *plan, struct mgr_error *err)
{
    struct graph_list targets = GRAPH_LIST_INIT, order = GRAPH_LIST_INIT;
    unsigned char *todo = NULL, *cur = NULL;
    struct rowset h;
    int rc;

    plan->dir = PLAN_UPGRADE;
    set_start(plan, g, rows);
    if (strchr(spec, ':')) {
        rc = mgr_error_set(err, MGR_EREVISION,
                           "a range ('%s') is valid only with --sql; name "
                           "the target revision",
                           spec);
        goto out;
    }
    if ((rc = target_upgrade(g, rows, spec, &targets, err)))
        goto out;
    if (lower_branch && (rc = filter_on_branch(g, &targets, lower_branch,
                                               err)))
        goto out;
    if ((rc = check_overlap(g, targets.v, targets.len,
                            "requested revisions", "; name only the "
                            "newer one",
                            err)) ||
        (rc = check_overlap(g, rows->v, rows->len, "current revisions",
                            "; the version table has a redundant row: "
                            "fix it with 'migrator stamp'",
                            err)))
        goto out;
    todo = new_marks(g);
    cur = new_marks(g);
    graph_mark_ancestors(g, targets.v, targets.len, true, todo);
    graph_mark_ancestors(g, rows->v, rows->len, true, cur);
    for (size_t i = 0; i < g->n; i++)
        if (cur[i])
            todo[i] = 0;
    topo_sort(g, todo, targets.v, targets.len, &order);

    rowset_init(&h, g, rows);
    for (size_t k = order.len; k-- > 0;) {
        size_t r = order.v[k];
        struct plan_step *st = add_step(plan, g, PLAN_UPGRADE, r);

        set_running(g, st, r, true);
        upgrade_ops(g, &h, r, st);
    }
    rowset_release(&h);
out:
    free(todo);
    free(cur);
    graph_list_release(&targets);
    graph_list_release(&order);
    return rc;
}

static int downgrade_from(const struct graph *g,
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
    set_start(plan, g, rows);
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
        unsigned char *anc = new_marks(g);
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
    set = new_marks(g);
    act = new_marks(g);
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
    topo_sort(g, set, rows->v, rows->len, &order);

    rowset_init(&h, g, rows);
    for (size_t k = 0; k < order.len && rc == MGR_OK; k++) {
        size_t r = order.v[k];
        struct plan_step *st = add_step(plan, g, PLAN_DOWNGRADE, r);

        set_running(g, st, r, false);
        rc = downgrade_ops(g, &h, r, st, err);
    }
    rowset_release(&h);
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
        rc = upgrade_from(g, &r, target, NULL, plan_out, err);
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
        rc = downgrade_from(g, &r, target, plan_out, err);
    graph_list_release(&r);
    if (rc)
        plan_release(plan_out);
    return rc;
}

/* ---- stamp ---------------------------------------------------------- */

static int stamp_from(const struct graph *g, const struct graph_list *rows,
                      const char *const *targets, size_t ntargets,
                      struct plan *plan, struct mgr_error *err)
{
    struct graph_list filtered = GRAPH_LIST_INIT, dests = GRAPH_LIST_INIT;
    struct graph_list tmp = GRAPH_LIST_INIT;
    struct rowset h;
    int rc = MGR_OK;

    plan->dir = PLAN_STAMP;
    set_start(plan, g, rows);
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

    rowset_init(&h, g, rows);
    if (!dests.len) {
        for (size_t k = 0; k < filtered.len; k++) {
            size_t f = filtered.v[k];
            struct plan_step *st;

            if (!h.in[f])
                continue;
            st = add_step(plan, g, PLAN_STAMP, GRAPH_NONE);
            st->from = id_array(g, &f, 1);
            st->nfrom = 1;
            add_op(st, PLAN_DELETE, graph_id(g, f), NULL);
            rowset_delete(&h, f);
        }
    }
    for (size_t d = 0; d < dests.len; d++) {
        size_t dest = dests.v[d];
        unsigned char *down, *up;
        bool below = false, above = false;
        struct plan_step *st;

        if (graph_list_has(&filtered, dest) && h.in[dest])
            continue;
        down = new_marks(g);
        up = new_marks(g);
        graph_mark_ancestors(g, &dest, 1, true, down);
        graph_mark_descendants(g, &dest, 1, true, up);
        for (size_t k = 0; k < filtered.len; k++) {
            above = above || up[filtered.v[k]];
            below = below || down[filtered.v[k]];
        }
        free(down);
        free(up);
        st = add_step(plan, g, PLAN_STAMP, dest);
        st->to = id_array(g, &dest, 1);
        st->nto = 1;
        if (above || below) {
            struct graph_list f = GRAPH_LIST_INIT;

            st->from = id_array(g, filtered.v, filtered.len);
            st->nfrom = filtered.len;
            for (size_t k = 0; k < filtered.len; k++)
                if (h.in[filtered.v[k]] && filtered.v[k] != dest)
                    graph_list_push(&f, filtered.v[k]);
            if (!f.len || h.in[dest]) {
                if (!h.in[dest]) {
                    add_op(st, PLAN_INSERT, NULL, graph_id(g, dest));
                    rowset_insert(&h, dest);
                }
            } else {
                for (size_t k = 0; k + 1 < f.len; k++) {
                    add_op(st, PLAN_DELETE, graph_id(g, f.v[k]), NULL);
                    rowset_delete(&h, f.v[k]);
                }
                add_op(st, PLAN_UPDATE, graph_id(g, f.v[f.len - 1]),
                       graph_id(g, dest));
                rowset_update(&h, f.v[f.len - 1], dest);
            }
            graph_list_release(&f);
        } else if (!h.in[dest]) {
            add_op(st, PLAN_INSERT, NULL, graph_id(g, dest));
            rowset_insert(&h, dest);
        }
    }
    rowset_release(&h);
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
        rc = stamp_from(g, &r, targets, ntargets, plan_out, err);
    plan_out->purge = purge;
    graph_list_release(&r);
    if (rc)
        plan_release(plan_out);
    return rc;
}

/* ---- offline ---------------------------------------------------------- */

/* The rows an offline start names: one revision or none (base). */
static int offline_start(const struct graph *g, const char *start,
                         struct graph_list *rows, struct mgr_error *err)
{
    int rc;

    if (!*start)
        return MGR_OK;
    if ((rc = target_resolve(g, start, rows, err)))
        return rc;
    if (rows->len > 1) {
        const char *a = graph_id(g, rows->v[0]), *b = graph_id(g, rows->v[1]);
        bool more = rows->len > 2;

        graph_list_reset(rows);
        return mgr_error_set(err, MGR_EREVISION,
                             "the start of an offline range must be one "
                             "revision, but '%s' names several ('%s', "
                             "'%s'%s); start from one of them",
                             start, a, b, more ? ", ..." : "");
    }
    return MGR_OK;
}

int plan_upgrade_offline(const struct graph *g, const char *range,
                         struct plan *plan_out, struct mgr_error *err)
{
    struct graph_list rows = GRAPH_LIST_INIT;
    char *start = NULL, *end = NULL, *branch = NULL;
    int rc;

    if (!strchr(range, ':')) {
        start = xstrdup("");
        end = xstrdup(range);
        rc = MGR_OK;
    } else {
        rc = target_split_range(range, &start, &end, err);
    }
    if (rc == MGR_OK && strchr(start, '@'))
        branch = xstrndup(start, (size_t)(strchr(start, '@') - start));
    if (rc == MGR_OK)
        rc = offline_start(g, start, &rows, err);
    if (rc == MGR_OK)
        rc = upgrade_from(g, &rows, *end ? end : "heads", branch, plan_out,
                          err);
    free(start);
    free(end);
    free(branch);
    graph_list_release(&rows);
    if (rc)
        plan_release(plan_out);
    return rc;
}

int plan_downgrade_offline(const struct graph *g, const char *range,
                           struct plan *plan_out, struct mgr_error *err)
{
    struct graph_list rows = GRAPH_LIST_INIT;
    char *start = NULL, *end = NULL;
    int rc;

    if (!strchr(range, ':'))
        return mgr_error_set(err, MGR_EREVISION,
                             "downgrade with --sql needs a range: "
                             "'<from>:<to>', e.g. 'head:base'");
    rc = target_split_range(range, &start, &end, err);
    if (rc == MGR_OK)
        rc = offline_start(g, start, &rows, err);
    if (rc == MGR_OK)
        rc = downgrade_from(g, &rows, *end ? end : "base", plan_out, err);
    free(start);
    free(end);
    graph_list_release(&rows);
    if (rc)
        plan_release(plan_out);
    return rc;
}

int plan_stamp_offline(const struct graph *g, const char *const *targets,
                       size_t ntargets, bool purge, struct plan *plan_out,
                       struct mgr_error *err)
{
    struct graph_list rows = GRAPH_LIST_INIT;
    const char **dests;
    char *start = NULL;
    int rc = MGR_OK;

    if (purge)
        return mgr_error_set(err, MGR_EREVISION,
                             "--purge cannot be used with --sql; give the "
                             "start of the range instead ('<from>:<to>')");
    dests = xreallocarray(NULL, ntargets ? ntargets : 1, sizeof(*dests));
    for (size_t i = 0; i < ntargets && rc == MGR_OK; i++) {
        const char *colon = strchr(targets[i], ':');

        dests[i] = colon ? colon + 1 : targets[i];
        if (!colon)
            continue;
        if (!start) {
            start = xstrndup(targets[i], (size_t)(colon - targets[i]));
        } else if (strlen(start) != (size_t)(colon - targets[i]) ||
                   strncmp(start, targets[i], strlen(start)) != 0) {
            rc = mgr_error_set(err, MGR_EREVISION,
                               "stamp with --sql takes one start revision; "
                               "'%s' and '%s' start differently",
                               targets[0], targets[i]);
        }
    }
    if (rc == MGR_OK && start)
        rc = offline_start(g, start, &rows, err);
    if (rc == MGR_OK)
        rc = stamp_from(g, &rows, dests, ntargets, plan_out, err);
    free(dests);
    free(start);
    graph_list_release(&rows);
    if (rc)
        plan_release(plan_out);
    return rc;
}

/* ---- row sets ------------------------------------------------------- */

void plan_rows_add(struct plan_rows *r, const char *id)
{
    if (r->len == r->alloc) {
        r->alloc = r->alloc ? 2 * r->alloc : 8;
        r->ids = xreallocarray(r->ids, r->alloc, sizeof(*r->ids));
    }
    r->ids[r->len++] = xstrdup(id);
}

bool plan_rows_has(const struct plan_rows *r, const char *id)
{
    for (size_t i = 0; i < r->len; i++)
        if (strcmp(r->ids[i], id) == 0)
            return true;
    return false;
}

bool plan_rows_remove(struct plan_rows *r, const char *id)
{
    for (size_t i = 0; i < r->len; i++)
        if (strcmp(r->ids[i], id) == 0) {
            free(r->ids[i]);
            memmove(&r->ids[i], &r->ids[i + 1],
                    (r->len - i - 1) * sizeof(*r->ids));
            r->len--;
            return true;
        }
    return false;
}

void plan_rows_clear(struct plan_rows *r)
{
    for (size_t i = 0; i < r->len; i++)
        free(r->ids[i]);
    r->len = 0;
}

void plan_rows_release(struct plan_rows *r)
{
    plan_rows_clear(r);
    free(r->ids);
    r->ids = NULL;
    r->alloc = 0;
}

int plan_apply_step(const struct plan_step *step, struct plan_rows *rows,
                    struct mgr_error *err)
{
    for (size_t i = 0; i < step->nops; i++) {
        const struct plan_op *op = &step->ops[i];

        switch (op->kind) {
        case PLAN_INSERT:
            if (plan_rows_has(rows, op->to))
                return mgr_error_set(err, MGR_EDB,
                                     "version row '%s' exists already",
                                     op->to);
            plan_rows_add(rows, op->to);
            break;
        case PLAN_UPDATE:
            if (!plan_rows_has(rows, op->from))
                return mgr_error_set(err, MGR_EDB,
                                     "expected version row '%s' to update "
                                     "to '%s', found none",
                                     op->from, op->to);
            if (plan_rows_has(rows, op->to))
                return mgr_error_set(err, MGR_EDB,
                                     "version row '%s' exists already",
                                     op->to);
            for (size_t k = 0; k < rows->len; k++)
                if (strcmp(rows->ids[k], op->from) == 0) {
                    free(rows->ids[k]);
                    rows->ids[k] = xstrdup(op->to);
                    break;
                }
            break;
        case PLAN_DELETE:
            if (!plan_rows_remove(rows, op->from))
                return mgr_error_set(err, MGR_EDB,
                                     "expected version row '%s' to delete, "
                                     "found none",
                                     op->from);
            break;
        }
    }
    return MGR_OK;
}

int plan_apply(const struct plan *p, struct plan_rows *rows,
               struct mgr_error *err)
{
    int rc;

    if (p->purge)
        plan_rows_clear(rows);
    for (size_t i = 0; i < p->nsteps; i++)
        if ((rc = plan_apply_step(&p->steps[i], rows, err)))
            return rc;
    return MGR_OK;
}

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

        rc = filter_on_branch(g, &targets, b, err);
        free(b);
        if (rc)
            goto out;
    }
    if ((rc = check_overlap(g, targets.v, targets.len, "revisions",
                            "; name only the newer one", err)))
        goto out;
    todo = new_marks(g);
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
    if ((rc = check_overlap(g, lower.v, lower.len, "revisions",
                            "; name only the newer one", err)))
        goto out;
    cur = new_marks(g);
    graph_mark_ancestors(g, lower.v, lower.len, true, cur);
    for (size_t i = 0; i < g->n; i++)
        if (cur[i])
            todo[i] = 0;
    for (size_t i = 0; i < lower.len; i++)
        todo[lower.v[i]] = 1;
    if (lower.len) {
        desc = new_marks(g);
        graph_mark_descendants(g, lower.v, lower.len, false, desc);
        for (size_t i = 0; i < g->n; i++)
            todo[i] = todo[i] && desc[i];
    }
    topo_sort(g, todo, targets.v, targets.len, out);
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
    s = new_marks(g);
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
    unsigned char *m = new_marks(g);
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
