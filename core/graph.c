/*
 * graph.c: build, validate and index the revision graph.
 *
 * Building is linear in the number of revisions and edges except for two
 * rare cases: dependency normalization, which searches ancestors only
 * for a dependency declared by more than one revision, and label sets,
 * which are shared between revisions wherever they do not change.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "strmap.h"
#include "util.h"

struct graph_index {
    struct strmap ids;    /* id -> node */
    struct strmap labels; /* declared label -> node */
    const char **keys;    /* ids and labels longer than 3, sorted */
    size_t *key_nodes;
    size_t nkeys;
    const char ***label_sets; /* label arrays owned by the graph */
    size_t nlabel_sets;
    size_t alloc_label_sets;
};

static const char *const reserved_words[] = {
    "base", "current", "head", "heads", NULL
};

/* ---- lists -------------------------------------------------------- */

void graph_list_push(struct graph_list *l, size_t idx)
{
    if (l->len == l->alloc) {
        l->alloc = l->alloc ? 2 * l->alloc : 8;
        l->v = xreallocarray(l->v, l->alloc, sizeof(*l->v));
    }
    l->v[l->len++] = idx;
}

bool graph_list_has(const struct graph_list *l, size_t idx)
{
    for (size_t i = 0; i < l->len; i++)
        if (l->v[i] == idx)
            return true;
    return false;
}

void graph_list_reset(struct graph_list *l)
{
    l->len = 0;
}

void graph_list_release(struct graph_list *l)
{
    free(l->v);
    l->v = NULL;
    l->len = l->alloc = 0;
}

/* ---- small helpers ------------------------------------------------ */

static bool is_reserved(const char *s)
{
    for (size_t i = 0; reserved_words[i]; i++)
        if (strcmp(s, reserved_words[i]) == 0)
            return true;
    return false;
}

/* "path:line", or "revision 'id'" when the revision has no file. */
static const char *where(const struct revision *r, char *buf, size_t size)
{
    if (r->path && r->id_line > 0)
        snprintf(buf, size, "%s:%d", r->path, r->id_line);
    else if (r->path)
        snprintf(buf, size, "%s", r->path);
    else
        snprintf(buf, size, "revision '%s'", r->id ? r->id : "");
    return buf;
}

/* Collect the characters of s found in bad (or spaces), sorted, unique. */
static void bad_chars(const char *s, const char *bad, char *out, size_t size)
{
    unsigned char seen[256] = { 0 };
    size_t n = 0;

    out[0] = '\0';
    if (!s[strcspn(s, bad)] && !strpbrk(s, " \t\n\r,"))
        return; /* the common case: nothing to collect */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (strchr(bad, *p) || *p == ' ' || *p == '\t' || *p == '\n' ||
            *p == '\r' || *p == ',')
            seen[*p] = 1;
    for (int c = 0; c < 256 && n + 1 < size; c++)
        if (seen[c])
            out[n++] = (char)c;
    out[n] = '\0';
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool idx_in(const size_t *v, size_t n, size_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

static size_t *copy_idx(const size_t *v, size_t n)
{
    size_t *p = xreallocarray(NULL, n ? n : 1, sizeof(*p));

    if (n)
        memcpy(p, v, n * sizeof(*p));
    return p;
}

/* ---- validation of one revision ------------------------------------ */

static int check_revision(const struct revision *r, struct mgr_error *err)
{
    char loc[300], bad[64];

    if (!r->id || !*r->id)
        return mgr_error_set(err, MGR_EGRAPH,
                             "%s: revision has no 'Revision ID'",
                             where(r, loc, sizeof(loc)));
    bad_chars(r->id, "@-+:", bad, sizeof(bad));
    if (*bad)
        return mgr_error_set(err, MGR_EGRAPH,
                             "%s: character(s) '%s' not allowed in revision "
                             "id '%s'; use letters, digits and '_'",
                             where(r, loc, sizeof(loc)), bad, r->id);
    if (is_reserved(r->id))
        return mgr_error_set(err, MGR_EGRAPH,
                             "%s: revision id '%s' is reserved; choose "
                             "another id",
                             where(r, loc, sizeof(loc)), r->id);
    for (size_t i = 0; i < r->ndown; i++) {
        if (strcmp(r->down[i], r->id) == 0)
            return mgr_error_set(err, MGR_EGRAPH,
                                 "%s: revision '%s' revises itself",
                                 where(r, loc, sizeof(loc)), r->id);
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->down[i], r->down[j]) == 0)
                return mgr_error_set(err, MGR_EGRAPH,
                                     "%s: revision '%s' lists parent '%s' "
                                     "twice",
                                     where(r, loc, sizeof(loc)), r->id,
                                     r->down[i]);
    }
    for (size_t i = 0; i < r->ndepends; i++)
        if (strcmp(r->depends[i], r->id) == 0)
            return mgr_error_set(err, MGR_EGRAPH,
                                 "%s: revision '%s' depends on itself",
                                 where(r, loc, sizeof(loc)), r->id);
    for (size_t i = 0; i < r->nlabels; i++) {
        const char *l = r->labels[i];

        if (!*l)
            return mgr_error_set(err, MGR_EGRAPH,
                                 "%s: empty branch label in revision '%s'",
                                 where(r, loc, sizeof(loc)), r->id);
        bad_chars(l, "@:", bad, sizeof(bad));
        if (*bad)
            return mgr_error_set(err, MGR_EGRAPH,
                                 "%s: character(s) '%s' not allowed in "
                                 "branch label '%s'",
                                 where(r, loc, sizeof(loc)), bad, l);
        if (is_reserved(l))
            return mgr_error_set(err, MGR_EGRAPH,
                                 "%s: branch label '%s' is reserved; "
                                 "choose another label",
                                 where(r, loc, sizeof(loc)), l);
    }
    return MGR_OK;
}

/* ---- building ------------------------------------------------------ */

static int index_ids(struct graph *g, const struct revision *revs,
                     struct mgr_error *err)
{
    char loc[300], loc2[300];

    for (size_t i = 0; i < g->n; i++) {
        size_t other;

        if (strmap_get(&g->index->ids, revs[i].id, &other))
            return mgr_error_set(err, MGR_EGRAPH,
                                 "%s: duplicate revision id '%s' (also in "
                                 "%s); give one of them a new id",
                                 where(&revs[i], loc, sizeof(loc)),
                                 revs[i].id,
                                 where(&revs[other], loc2, sizeof(loc2)));
        strmap_put(&g->index->ids, revs[i].id, i);
    }
    return MGR_OK;
}

static int index_labels(struct graph *g, const struct revision *revs,
                        struct mgr_error *err)
{
    char loc[300], loc2[300];

    for (size_t i = 0; i < g->n; i++) {
        for (size_t k = 0; k < revs[i].nlabels; k++) {
            const char *l = revs[i].labels[k];
            size_t other;

            if (strmap_get(&g->index->ids, l, &other))
                return mgr_error_set(err, MGR_EGRAPH,
                                     "%s: branch label '%s' of revision "
                                     "'%s' is already a revision id (%s)",
                                     where(&revs[i], loc, sizeof(loc)), l,
                                     revs[i].id,
                                     where(&revs[other], loc2,
                                           sizeof(loc2)));
            if (strmap_get(&g->index->labels, l, &other)) {
                if (other == i)
                    return mgr_error_set(err, MGR_EGRAPH,
                                         "%s: revision '%s' lists branch "
                                         "label '%s' twice",
                                         where(&revs[i], loc, sizeof(loc)),
                                         revs[i].id, l);
                return mgr_error_set(err, MGR_EGRAPH,
                                     "%s: branch label '%s' of revision "
                                     "'%s' is already used by revision "
                                     "'%s' (%s)",
                                     where(&revs[i], loc, sizeof(loc)), l,
                                     revs[i].id, revs[other].id,
                                     where(&revs[other], loc2,
                                           sizeof(loc2)));
            }
            strmap_put(&g->index->labels, l, i);
        }
    }
    return MGR_OK;
}

static int wire_parents(struct graph *g, struct mgr_error *err)
{
    char loc[300];
    size_t *tmp = NULL;
    size_t tmpalloc = 0;

    for (size_t i = 0; i < g->n; i++) {
        struct graph_node *nd = &g->nodes[i];
        const struct revision *r = nd->rev;
        size_t ndeps = 0;

        nd->down = xreallocarray(NULL, r->ndown ? r->ndown : 1,
                                 sizeof(size_t));
        for (size_t k = 0; k < r->ndown; k++) {
            size_t p;

            if (!strmap_get(&g->index->ids, r->down[k], &p)) {
                free(tmp);
                return mgr_error_set(err, MGR_EGRAPH,
                                     "%s: revision '%s' revises '%s', "
                                     "which is not present",
                                     where(r, loc, sizeof(loc)), r->id,
                                     r->down[k]);
            }
            nd->down[nd->ndown++] = p;
        }
        if (tmpalloc < r->ndepends) {
            tmpalloc = r->ndepends;
            tmp = xreallocarray(tmp, tmpalloc, sizeof(*tmp));
        }
        for (size_t k = 0; k < r->ndepends; k++) {
            size_t p;

            if (!strmap_get(&g->index->ids, r->depends[k], &p) &&
                !strmap_get(&g->index->labels, r->depends[k], &p)) {
                free(tmp);
                return mgr_error_set(err, MGR_EGRAPH,
                                     "%s: revision '%s' depends on '%s', "
                                     "which is not a revision id or "
                                     "branch label",
                                     where(r, loc, sizeof(loc)), r->id,
                                     r->depends[k]);
            }
            if (p == i) {
                free(tmp);
                return mgr_error_set(err, MGR_EGRAPH,
                                     "%s: revision '%s' depends on itself "
                                     "(through '%s')",
                                     where(r, loc, sizeof(loc)), r->id,
                                     r->depends[k]);
            }
            if (!idx_in(tmp, ndeps, p))
                tmp[ndeps++] = p;
        }
        nd->deps = copy_idx(tmp, ndeps);
        nd->ndeps = ndeps;
    }
    free(tmp);
    return MGR_OK;
}

/* Fill next[] and all_next[] (children in map order). */
static void wire_children(struct graph *g)
{
    size_t *cnt = xcalloc(g->n ? g->n : 1, sizeof(*cnt));
    size_t *allcnt = xcalloc(g->n ? g->n : 1, sizeof(*allcnt));

    for (size_t i = 0; i < g->n; i++) {
        struct graph_node *nd = &g->nodes[i];

        for (size_t k = 0; k < nd->ndown; k++) {
            cnt[nd->down[k]]++;
            allcnt[nd->down[k]]++;
        }
        for (size_t k = 0; k < nd->ndeps; k++)
            if (!idx_in(nd->down, nd->ndown, nd->deps[k]))
                allcnt[nd->deps[k]]++;
    }
    for (size_t i = 0; i < g->n; i++) {
        g->nodes[i].next = xreallocarray(NULL, cnt[i] ? cnt[i] : 1,
                                         sizeof(size_t));
        g->nodes[i].all_next = xreallocarray(NULL,
                                             allcnt[i] ? allcnt[i] : 1,
                                             sizeof(size_t));
    }
    for (size_t i = 0; i < g->n; i++) {
        struct graph_node *nd = &g->nodes[i];

        for (size_t k = 0; k < nd->ndown; k++) {
            struct graph_node *p = &g->nodes[nd->down[k]];

            p->next[p->nnext++] = i;
            p->all_next[p->nall_next++] = i;
        }
        for (size_t k = 0; k < nd->ndeps; k++) {
            struct graph_node *p = &g->nodes[nd->deps[k]];

            if (idx_in(nd->down, nd->ndown, nd->deps[k]))
                continue; /* also a versioned parent */
            p->all_next[p->nall_next++] = i;
        }
    }
    free(cnt);
    free(allcnt);
}

/*
 * Report a cycle among the nodes left with a nonzero count by a
 * topological peel: each of them has a remaining parent, so following
 * remaining parents must come back to a node already seen.
 */
static int report_cycle(const struct graph *g, const size_t *left,
                        bool with_deps, struct mgr_error *err)
{
    size_t start = GRAPH_NONE, cur;
    size_t *pos = xreallocarray(NULL, g->n, sizeof(*pos));
    struct graph_list path = GRAPH_LIST_INIT;
    struct mgr_buf msg = MGR_BUF_INIT;
    char loc[300];
    size_t from;

    for (size_t i = 0; i < g->n; i++)
        pos[i] = GRAPH_NONE;
    for (size_t i = 0; i < g->n && start == GRAPH_NONE; i++)
        if (left[i])
            start = i;
    cur = start;
    while (pos[cur] == GRAPH_NONE) {
        const struct graph_node *nd = &g->nodes[cur];
        size_t nextp = GRAPH_NONE;

        pos[cur] = path.len;
        graph_list_push(&path, cur);
        for (size_t k = 0; k < nd->ndown && nextp == GRAPH_NONE; k++)
            if (left[nd->down[k]])
                nextp = nd->down[k];
        for (size_t k = 0; with_deps && k < nd->ndeps &&
                           nextp == GRAPH_NONE; k++)
            if (left[nd->deps[k]])
                nextp = nd->deps[k];
        cur = nextp;
    }
    from = pos[cur];
    for (size_t k = from; k < path.len; k++) {
        const struct revision *r = g->nodes[path.v[k]].rev;

        mgr_buf_addf(&msg, "%s'%s' (%s)", k > from ? " -> " : "", r->id,
                     where(r, loc, sizeof(loc)));
    }
    mgr_buf_addf(&msg, " -> '%s'", g->nodes[cur].rev->id);
    mgr_error_set(err, MGR_EGRAPH, "%s in revisions: %s",
                  with_deps ? "dependency cycle" : "cycle", msg.buf);
    mgr_buf_release(&msg);
    graph_list_release(&path);
    free(pos);
    return MGR_EGRAPH;
}

/*
 * Kahn's peel from the bases up. With with_deps the order is stored in
 * g->topo. Returns MGR_EGRAPH naming a cycle if one is left.
 */
static int peel(struct graph *g, bool with_deps, struct mgr_error *err)
{
    size_t *left = xcalloc(g->n ? g->n : 1, sizeof(*left));
    size_t *queue = xreallocarray(NULL, g->n ? g->n : 1, sizeof(*queue));
    size_t head = 0, tail = 0;
    int rc = MGR_OK;

    for (size_t i = 0; i < g->n; i++) {
        const struct graph_node *nd = &g->nodes[i];

        left[i] = nd->ndown;
        if (with_deps)
            left[i] = nd->nnorm; /* down and deps, without duplicates */
        if (!left[i])
            queue[tail++] = i;
    }
    while (head < tail) {
        const struct graph_node *nd = &g->nodes[queue[head++]];
        const size_t *kids = with_deps ? nd->all_next : nd->next;
        size_t nkids = with_deps ? nd->nall_next : nd->nnext;

        for (size_t k = 0; k < nkids; k++)
            if (--left[kids[k]] == 0)
                queue[tail++] = kids[k];
    }
    if (tail < g->n)
        rc = report_cycle(g, left, with_deps, err);
    if (with_deps && rc == MGR_OK) {
        g->topo = queue;
        queue = NULL;
    }
    free(queue);
    free(left);
    return rc;
}

/*
 * Normalized parents: versioned parents, then each dependency that no
 * versioned ancestor declares too. For norm[] before the cycle check,
 * all dependencies are kept (dedup_only).
 */
static void set_norm_all(struct graph *g)
{
    for (size_t i = 0; i < g->n; i++) {
        struct graph_node *nd = &g->nodes[i];
        size_t n = 0;

        nd->norm = xreallocarray(NULL, nd->ndown + nd->ndeps + 1,
                                 sizeof(size_t));
        for (size_t k = 0; k < nd->ndown; k++)
            nd->norm[n++] = nd->down[k];
        for (size_t k = 0; k < nd->ndeps; k++)
            if (!idx_in(nd->down, nd->ndown, nd->deps[k]))
                nd->norm[n++] = nd->deps[k];
        nd->nnorm = n;
    }
}

/*
 * Drop from norm[] the dependencies that a strict versioned ancestor of
 * the revision also declares. Only dependencies declared by two or more
 * revisions need a search; it is pruned by topological position.
 */
static void normalize_deps(struct graph *g)
{
    size_t *ndependents = xcalloc(g->n ? g->n : 1, sizeof(size_t));
    size_t *topo_pos = xreallocarray(NULL, g->n ? g->n : 1, sizeof(size_t));
    unsigned *seen = xcalloc(g->n ? g->n : 1, sizeof(unsigned));
    unsigned gen = 0;
    struct graph_list stack = GRAPH_LIST_INIT;

    for (size_t i = 0; i < g->n; i++) {
        topo_pos[g->topo[i]] = i;
        for (size_t k = 0; k < g->nodes[i].ndeps; k++)
            ndependents[g->nodes[i].deps[k]]++;
    }
    for (size_t i = 0; i < g->n; i++) {
        struct graph_node *nd = &g->nodes[i];
        size_t n = nd->ndown;

        for (size_t k = nd->ndown; k < nd->nnorm; k++) {
            size_t d = nd->norm[k];
            bool drop = false;

            if (ndependents[d] > 1 && nd->ndown) {
                /* Does a strict versioned ancestor of i depend on d? */
                gen++;
                graph_list_reset(&stack);
                for (size_t j = 0; j < nd->ndown; j++)
                    graph_list_push(&stack, nd->down[j]);
                while (stack.len && !drop) {
                    size_t a = stack.v[--stack.len];
                    const struct graph_node *an = &g->nodes[a];

                    if (seen[a] == gen)
                        continue;
                    seen[a] = gen;
                    if (topo_pos[a] < topo_pos[d])
                        continue; /* below d: cannot depend on it */
                    for (size_t j = 0; j < an->ndeps; j++)
                        if (an->deps[j] == d)
                            drop = true;
                    for (size_t j = 0; j < an->ndown; j++)
                        graph_list_push(&stack, an->down[j]);
                }
            }
            if (!drop)
                nd->norm[n++] = d;
        }
        nd->nnorm = n;
    }
    graph_list_release(&stack);
    free(seen);
    free(topo_pos);
    free(ndependents);
}

static void set_heads_and_bases(struct graph *g)
{
    size_t nh = 0, nrh = 0, nb = 0;

    for (size_t i = 0; i < g->n; i++) {
        nh += g->nodes[i].nnext == 0;
        nrh += g->nodes[i].nall_next == 0;
        nb += g->nodes[i].ndown == 0;
    }
    g->heads = xreallocarray(NULL, nh ? nh : 1, sizeof(size_t));
    g->real_heads = xreallocarray(NULL, nrh ? nrh : 1, sizeof(size_t));
    g->bases = xreallocarray(NULL, nb ? nb : 1, sizeof(size_t));
    for (size_t i = 0; i < g->n; i++) {
        if (g->nodes[i].nnext == 0)
            g->heads[g->nheads++] = i;
        if (g->nodes[i].nall_next == 0)
            g->real_heads[g->nreal_heads++] = i;
        if (g->nodes[i].ndown == 0)
            g->bases[g->nbases++] = i;
    }
}

/* ---- branch labels --------------------------------------------------- */

static const char **own_label_set(struct graph_index *ix,
                                  const struct revision *r, size_t *n_out)
{
    const char **set = xreallocarray(NULL, r->nlabels + 1, sizeof(*set));

    for (size_t k = 0; k < r->nlabels; k++)
        set[k] = r->labels[k];
    qsort(set, r->nlabels, sizeof(*set), cmp_str);
    *n_out = r->nlabels;
    if (ix->nlabel_sets == ix->alloc_label_sets) {
        ix->alloc_label_sets = ix->alloc_label_sets ?
                                   2 * ix->alloc_label_sets : 16;
        ix->label_sets = xreallocarray(ix->label_sets, ix->alloc_label_sets,
                                       sizeof(*ix->label_sets));
    }
    ix->label_sets[ix->nlabel_sets++] = set;
    return set;
}

/* Union of two sorted sets into a new set owned by the index. */
static const char **union_sets(struct graph_index *ix, const char **a,
                               size_t na, const char **b, size_t nb,
                               size_t *n_out)
{
    const char **set = xreallocarray(NULL, na + nb + 1, sizeof(*set));
    size_t i = 0, j = 0, n = 0;

    while (i < na || j < nb) {
        int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);

        if (c <= 0) {
            set[n++] = a[i++];
            if (c == 0)
                j++;
        } else {
            set[n++] = b[j++];
        }
    }
    *n_out = n;
    if (ix->nlabel_sets == ix->alloc_label_sets) {
        ix->alloc_label_sets = ix->alloc_label_sets ?
                                   2 * ix->alloc_label_sets : 16;
        ix->label_sets = xreallocarray(ix->label_sets, ix->alloc_label_sets,
                                       sizeof(*ix->label_sets));
    }
    ix->label_sets[ix->nlabel_sets++] = set;
    return set;
}

static bool set_contains(const char **a, size_t na, const char **b,
                         size_t nb)
{
    size_t i = 0;

    for (size_t j = 0; j < nb; j++) {
        while (i < na && strcmp(a[i], b[j]) < 0)
            i++;
        if (i == na || strcmp(a[i], b[j]) != 0)
            return false;
    }
    return true;
}

/*
 * Labels as Alembic propagates them: a declared label reaches every
 * versioned descendant; it reaches down the labelled revision's ancestors
 * only if the revision and its descendants form a plain line (no branch
 * point counting dependants, no merge point) up to its tip, and then
 * down to the first branch or merge point. Equivalently: a revision that
 * starts such a clean line up to a tip gets the tip's labels, any other
 * revision gets the labels of its versioned ancestors.
 */
static void propagate_labels(struct graph *g)
{
    struct graph_index *ix = g->index;
    unsigned char *clean = xcalloc(g->n ? g->n : 1, 1);
    size_t *tip = xreallocarray(NULL, g->n ? g->n : 1, sizeof(size_t));

    /* Labels of the versioned ancestors, parents first. */
    for (size_t t = 0; t < g->n; t++) {
        size_t i = g->topo[t];
        struct graph_node *nd = &g->nodes[i];
        const char **set = NULL;
        size_t n = 0;

        if (nd->rev->nlabels)
            set = own_label_set(ix, nd->rev, &n);
        for (size_t k = 0; k < nd->ndown; k++) {
            const struct graph_node *p = &g->nodes[nd->down[k]];

            if (!p->nlabels || set_contains(set, n, p->labels, p->nlabels))
                continue;
            if (!n) {
                set = p->labels; /* share the parent's set */
                n = p->nlabels;
            } else {
                set = union_sets(ix, set, n, p->labels, p->nlabels, &n);
            }
        }
        nd->labels = set;
        nd->nlabels = n;
    }
    /* Clean lines, children first. */
    for (size_t t = g->n; t-- > 0;) {
        size_t i = g->topo[t];
        const struct graph_node *nd = &g->nodes[i];

        tip[i] = i;
        if (nd->nall_next > 1 || nd->ndown > 1)
            continue;
        if (nd->nnext == 0) {
            clean[i] = 1;
        } else if (clean[nd->next[0]]) {
            clean[i] = 1;
            tip[i] = tip[nd->next[0]];
        }
    }
    for (size_t i = 0; i < g->n; i++)
        if (clean[i] && tip[i] != i) {
            g->nodes[i].labels = g->nodes[tip[i]].labels;
            g->nodes[i].nlabels = g->nodes[tip[i]].nlabels;
        }
    free(tip);
    free(clean);
}

/* ---- prefix index ------------------------------------------------- */

struct keyent {
    const char *key;
    size_t node;
};

static int cmp_keyent(const void *a, const void *b)
{
    return strcmp(((const struct keyent *)a)->key,
                  ((const struct keyent *)b)->key);
}

static void build_prefix_index(struct graph *g)
{
    struct graph_index *ix = g->index;
    struct keyent *ents;
    size_t n = 0, cap = g->n + 1;

    for (size_t i = 0; i < g->n; i++)
        cap += g->nodes[i].rev->nlabels;
    ents = xreallocarray(NULL, cap, sizeof(*ents));
    for (size_t i = 0; i < g->n; i++) {
        const struct revision *r = g->nodes[i].rev;

        if (strlen(r->id) > 3)
            ents[n++] = (struct keyent){ r->id, i };
        for (size_t k = 0; k < r->nlabels; k++)
            if (strlen(r->labels[k]) > 3)
                ents[n++] = (struct keyent){ r->labels[k], i };
    }
    qsort(ents, n, sizeof(*ents), cmp_keyent);
    ix->keys = xreallocarray(NULL, n ? n : 1, sizeof(*ix->keys));
    ix->key_nodes = xreallocarray(NULL, n ? n : 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        ix->keys[i] = ents[i].key;
        ix->key_nodes[i] = ents[i].node;
    }
    ix->nkeys = n;
    free(ents);
}

size_t graph_prefix(const struct graph *g, const char *prefix, size_t max,
                    const char **keys_out, size_t *nodes_out)
{
    const struct graph_index *ix = g->index;
    size_t lo = 0, hi = ix->nkeys, plen = strlen(prefix), n = 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(ix->keys[mid], prefix) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < ix->nkeys; i++) {
        if (strncmp(ix->keys[i], prefix, plen) != 0)
            break;
        if (n < max) {
            if (keys_out)
                keys_out[n] = ix->keys[i];
            if (nodes_out)
                nodes_out[n] = ix->key_nodes[i];
        }
        n++;
    }
    return n;
}

/* ---- public ------------------------------------------------------- */

int graph_build(struct graph **g_out, const struct revision *revs, size_t n,
                struct mgr_error *err)
{
    struct graph *g = xcalloc(1, sizeof(*g));
    int rc;

    *g_out = NULL;
    g->n = n;
    g->nodes = xcalloc(n ? n : 1, sizeof(*g->nodes));
    g->index = xcalloc(1, sizeof(*g->index));
    for (size_t i = 0; i < n; i++)
        g->nodes[i].rev = &revs[i];

    for (size_t i = 0; i < n; i++)
        if ((rc = check_revision(&revs[i], err)) != MGR_OK)
            goto fail;
    if ((rc = index_ids(g, revs, err)) != MGR_OK ||
        (rc = index_labels(g, revs, err)) != MGR_OK ||
        (rc = wire_parents(g, err)) != MGR_OK)
        goto fail;
    wire_children(g);
    set_norm_all(g);
    if ((rc = peel(g, false, err)) != MGR_OK ||
        (rc = peel(g, true, err)) != MGR_OK)
        goto fail;
    normalize_deps(g);
    set_heads_and_bases(g);
    propagate_labels(g);
    build_prefix_index(g);
    *g_out = g;
    return MGR_OK;

fail:
    graph_free(g);
    return rc;
}

void graph_free(struct graph *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++) {
        struct graph_node *nd = &g->nodes[i];

        free(nd->down);
        free(nd->deps);
        free(nd->norm);
        free(nd->next);
        free(nd->all_next);
    }
    if (g->index) {
        struct graph_index *ix = g->index;

        strmap_release(&ix->ids);
        strmap_release(&ix->labels);
        free(ix->keys);
        free(ix->key_nodes);
        for (size_t i = 0; i < ix->nlabel_sets; i++)
            free(ix->label_sets[i]);
        free(ix->label_sets);
        free(ix);
    }
    free(g->nodes);
    free(g->heads);
    free(g->real_heads);
    free(g->bases);
    free(g->topo);
    free(g);
}

size_t graph_find(const struct graph *g, const char *id)
{
    size_t i;

    return strmap_get(&g->index->ids, id, &i) ? i : GRAPH_NONE;
}

size_t graph_find_label(const struct graph *g, const char *label)
{
    size_t i;

    return strmap_get(&g->index->labels, label, &i) ? i : GRAPH_NONE;
}

const char *graph_id(const struct graph *g, size_t i)
{
    return g->nodes[i].rev->id;
}

bool graph_is_head(const struct graph *g, size_t i)
{
    return g->nodes[i].nnext == 0;
}

bool graph_is_real_head(const struct graph *g, size_t i)
{
    return g->nodes[i].nall_next == 0;
}

bool graph_is_base(const struct graph *g, size_t i)
{
    return g->nodes[i].ndown == 0;
}

bool graph_is_branch_point(const struct graph *g, size_t i)
{
    return g->nodes[i].nnext > 1;
}

bool graph_is_merge_point(const struct graph *g, size_t i)
{
    return g->nodes[i].ndown > 1;
}

bool graph_has_label(const struct graph *g, size_t i, const char *label)
{
    const struct graph_node *nd = &g->nodes[i];

    for (size_t k = 0; k < nd->nlabels; k++)
        if (strcmp(nd->labels[k], label) == 0)
            return true;
    return false;
}

static void mark_walk(const struct graph *g, const size_t *starts,
                      size_t nstarts, bool up, bool with_deps,
                      unsigned char *mark)
{
    struct graph_list stack = GRAPH_LIST_INIT;

    for (size_t i = 0; i < nstarts; i++)
        if (!mark[starts[i]]) {
            mark[starts[i]] = 1;
            graph_list_push(&stack, starts[i]);
        }
    while (stack.len) {
        const struct graph_node *nd = &g->nodes[stack.v[--stack.len]];
        const size_t *e;
        size_t ne;

        if (up) {
            e = with_deps ? nd->all_next : nd->next;
            ne = with_deps ? nd->nall_next : nd->nnext;
        } else {
            e = with_deps ? nd->norm : nd->down;
            ne = with_deps ? nd->nnorm : nd->ndown;
        }
        for (size_t k = 0; k < ne; k++)
            if (!mark[e[k]]) {
                mark[e[k]] = 1;
                graph_list_push(&stack, e[k]);
            }
    }
    graph_list_release(&stack);
}

void graph_mark_ancestors(const struct graph *g, const size_t *starts,
                          size_t nstarts, bool with_deps,
                          unsigned char *mark)
{
    mark_walk(g, starts, nstarts, false, with_deps, mark);
}

void graph_mark_descendants(const struct graph *g, const size_t *starts,
                            size_t nstarts, bool with_deps,
                            unsigned char *mark)
{
    mark_walk(g, starts, nstarts, true, with_deps, mark);
}
