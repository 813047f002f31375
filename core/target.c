/*
 * target.c: resolve revision identifiers (target.h) against the graph.
 *
 * The grammar and its meaning are Alembic's (conformance/SEMANTICS.md
 * section 2); the errors are ours: each says what was wrong and what to
 * do instead.
 */
#include "autoconfig.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"
#include "util.h"

/* Walk positions besides revisions. */
#define POS_NOTHING GRAPH_NONE   /* below every base: an empty database */
#define POS_BASE ((size_t)-2)    /* the symbol base, reached walking down */

#define MAX_STEPS 100000000L

/* A relative identifier: [branch@][symbol](+|-)digits. */
struct rel {
    char *branch; /* NULL if none */
    char *symbol; /* NULL if none */
    long steps;
    const char *text; /* the signed number as written */
};

static bool is_word(int c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static void rel_release(struct rel *r)
{
    free(r->branch);
    free(r->symbol);
}

/*
 * Whether spec is relative; fills r if so. The branch is what precedes
 * the first '@'.
 */
static bool parse_relative(const char *spec, struct rel *r)
{
    const char *at = strchr(spec, '@');
    const char *rest = at ? at + 1 : spec;
    const char *p = rest, *sym_end, *digits;
    long steps = 0;

    memset(r, 0, sizeof(*r));
    if (at == spec)
        return false;
    while (is_word(*p) && *p != '+' && *p != '-')
        p++;
    sym_end = p;
    if (*p != '+' && *p != '-')
        return false;
    digits = p + 1;
    if (!isdigit((unsigned char)*digits))
        return false;
    for (const char *d = digits; *d; d++) {
        if (!isdigit((unsigned char)*d))
            return false;
        if (steps < MAX_STEPS)
            steps = steps * 10 + (*d - '0');
    }
    r->steps = *p == '-' ? -steps : steps;
    r->text = p;
    if (at)
        r->branch = xstrndup(spec, (size_t)(at - spec));
    if (sym_end > rest)
        r->symbol = xstrndup(rest, (size_t)(sym_end - rest));
    return true;
}

/* "'a', 'b', 'c'" for up to three ids, then "...". */
static const char *quote_ids(const struct graph *g, const size_t *v,
                             size_t n, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && i < 3 && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s'%s'", i ? ", " : "",
                         graph_id(g, v[i]));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (n > 3 && used < size)
        snprintf(buf + used, size - used, ", ...");
    return buf;
}

static void push_unique(struct graph_list *out, size_t idx)
{
    if (!graph_list_has(out, idx))
        graph_list_push(out, idx);
}

unsigned char *target_lineage(const struct graph *g, const size_t *nodes,
                              size_t n, bool with_deps)
{
    unsigned char *up = xcalloc(g->n ? g->n : 1, 1);
    unsigned char *down = xcalloc(g->n ? g->n : 1, 1);

    graph_mark_descendants(g, nodes, n, with_deps, up);
    graph_mark_ancestors(g, nodes, n, with_deps, down);
    for (size_t i = 0; i < g->n; i++)
        up[i] |= down[i];
    free(down);
    return up;
}

static bool shares_lineage(const struct graph *g, size_t a, size_t b)
{
    unsigned char *m = target_lineage(g, &b, 1, false);
    bool r = m[a] != 0;

    free(m);
    return r;
}

/* ---- single lookups --------------------------------------------------- */

/*
 * An exact id or label, else a unique prefix (of more than 3 characters)
 * of an id or label; with a branch, prefix candidates must share its
 * lineage and so must the result.
 */
static int lookup_ident(const struct graph *g, const char *text,
                        size_t branch, const char *branch_text,
                        size_t *out, struct mgr_error *err)
{
    size_t idx = graph_find(g, text);
    char buf[160];

    if (idx == GRAPH_NONE)
        idx = graph_find_label(g, text);
    if (idx == GRAPH_NONE) {
        size_t n = graph_prefix(g, text, 0, NULL, NULL);
        size_t *nodes = xreallocarray(NULL, n ? n : 1, sizeof(size_t));
        unsigned char *lin = NULL;
        size_t m = 0;

        graph_prefix(g, text, n, NULL, nodes);
        if (branch != GRAPH_NONE)
            lin = target_lineage(g, &branch, 1, false);
        for (size_t i = 0; i < n; i++) {
            bool dup = false;

            if (lin && !lin[nodes[i]])
                continue;
            for (size_t j = 0; j < m; j++)
                if (nodes[j] == nodes[i])
                    dup = true;
            if (!dup)
                nodes[m++] = nodes[i];
        }
        free(lin);
        if (m == 1)
            idx = nodes[0];
        if (m > 1)
            mgr_error_set(err, MGR_EREVISION,
                          "ambiguous revision '%s': it matches %s; give "
                          "more characters",
                          text, quote_ids(g, nodes, m, buf, sizeof(buf)));
        free(nodes);
        if (m > 1)
            return MGR_EREVISION;
        if (m == 0) {
            if (branch != GRAPH_NONE && n > 0)
                return mgr_error_set(err, MGR_EREVISION,
                                     "no revision starting with '%s' is "
                                     "on branch '%s'; see 'migrator "
                                     "history'",
                                     text, branch_text);
            return mgr_error_set(err, MGR_EREVISION,
                                 "unknown revision or branch label "
                                 "'%s'%s",
                                 text, strlen(text) < 4 ?
                                 "; a partial id needs at least 4 "
                                 "characters" :
                                 "; see 'migrator history'");
        }
    }
    if (branch != GRAPH_NONE && !shares_lineage(g, idx, branch))
        return mgr_error_set(err, MGR_EREVISION,
                             "revision '%s' is not on branch '%s'; pick "
                             "one of that branch (see 'migrator "
                             "history')",
                             graph_id(g, idx), branch_text);
    *out = idx;
    return MGR_OK;
}

/* The X of "X@...": a label or id, exact or by prefix. */
static int resolve_branch(const struct graph *g, const char *text,
                          size_t *out, struct mgr_error *err)
{
    size_t idx = graph_find_label(g, text);

    if (idx == GRAPH_NONE)
        idx = graph_find(g, text);
    if (idx == GRAPH_NONE) {
        struct mgr_error e2;

        if (!*text || lookup_ident(g, text, GRAPH_NONE, NULL, &idx, &e2))
            return mgr_error_set(err, MGR_EREVISION,
                                 "unknown branch '%s' (before '@'): not a "
                                 "branch label or revision; see 'migrator "
                                 "branches' and 'migrator heads'",
                                 text);
    }
    *out = idx;
    return MGR_OK;
}

/* Versioned heads sharing lineage with branch (all if GRAPH_NONE). */
static void branch_heads(const struct graph *g, size_t branch,
                         struct graph_list *out)
{
    unsigned char *lin = NULL;

    if (branch != GRAPH_NONE)
        lin = target_lineage(g, &branch, 1, false);
    for (size_t i = 0; i < g->nheads; i++)
        if (!lin || lin[g->heads[i]])
            graph_list_push(out, g->heads[i]);
    free(lin);
}

static int multiple_heads(const struct graph *g, const struct graph_list *h,
                          const char *branch_text, const char *multi_msg,
                          struct mgr_error *err)
{
    char buf[160];

    quote_ids(g, h->v, h->len, buf, sizeof(buf));
    if (multi_msg)
        return mgr_error_set(err, MGR_EREVISION, "%s (%s)", multi_msg, buf);
    if (branch_text)
        return mgr_error_set(err, MGR_EREVISION,
                             "branch '%s' has multiple heads (%s); name "
                             "one of them, use '%s@heads', or 'migrator "
                             "merge' them",
                             branch_text, buf, branch_text);
    return mgr_error_set(err, MGR_EREVISION,
                         "multiple heads are present (%s); use 'heads', a "
                         "branch label, or 'migrator merge'",
                         buf);
}

/* ---- walks ---------------------------------------------------------- */

/*
 * Walk steps up (steps > 0) or down from pos. Up follows versioned
 * children (from nothing: the bases), kept to the lineage of branch if
 * given; down follows versioned parents (from nothing: the heads; below
 * a base: POS_BASE). With undo_merge, a last step down from a merge
 * revision stops there and sets *undo. *over is set if the walk runs out.
 */
static int walk(const struct graph *g, size_t pos, long steps,
                size_t branch, bool undo_merge, size_t *pos_out,
                size_t *undo, bool *over, struct mgr_error *err)
{
    unsigned char *lin = NULL;
    struct graph_list kids = GRAPH_LIST_INIT;
    char buf[160];
    int rc = MGR_OK;
    long n = steps < 0 ? -steps : steps;

    *over = false;
    if (undo)
        *undo = GRAPH_NONE;
    if (steps > 0 && branch != GRAPH_NONE)
        lin = target_lineage(g, &branch, 1, false);
    for (long s = 0; s < n; s++) {
        graph_list_reset(&kids);
        if (steps > 0) {
            const size_t *v = g->bases;
            size_t nv = g->nbases;

            if (pos != POS_NOTHING && pos != POS_BASE) {
                v = g->nodes[pos].next;
                nv = g->nodes[pos].nnext;
            }
            for (size_t k = 0; k < nv; k++)
                if (!lin || lin[v[k]])
                    graph_list_push(&kids, v[k]);
        } else if (pos == POS_BASE) {
            *over = true;
            break;
        } else if (pos == POS_NOTHING) {
            for (size_t k = 0; k < g->nheads; k++)
                graph_list_push(&kids, g->heads[k]);
        } else if (g->nodes[pos].ndown == 0) {
            pos = POS_BASE;
            continue;
        } else {
            for (size_t k = 0; k < g->nodes[pos].ndown; k++)
                graph_list_push(&kids, g->nodes[pos].down[k]);
            if (kids.len > 1 && undo_merge && s == n - 1) {
                *undo = pos;
                break;
            }
        }
        if (kids.len == 0) {
            *over = true;
            break;
        }
        if (kids.len > 1) {
            quote_ids(g, kids.v, kids.len, buf, sizeof(buf));
            if (steps > 0 && pos == POS_NOTHING)
                rc = mgr_error_set(err, MGR_EREVISION,
                                   "ambiguous relative step: there are "
                                   "several bases (%s); use "
                                   "'<label>@+N' or name the target",
                                   buf);
            else if (steps > 0)
                rc = mgr_error_set(err, MGR_EREVISION,
                                   "ambiguous relative step: '%s' is a "
                                   "branch point (%s follow it); use "
                                   "'<label>@+N' or name the target",
                                   graph_id(g, pos), buf);
            else if (pos == POS_NOTHING)
                rc = mgr_error_set(err, MGR_EREVISION,
                                   "ambiguous relative step: there are "
                                   "several heads (%s); use '<label>@-N' "
                                   "or name the target",
                                   buf);
            else
                rc = mgr_error_set(err, MGR_EREVISION,
                                   "ambiguous relative step: '%s' is a "
                                   "merge of %s; name the target revision "
                                   "instead",
                                   graph_id(g, pos), buf);
            break;
        }
        pos = kids.v[0];
    }
    *pos_out = pos;
    graph_list_release(&kids);
    free(lin);
    return rc;
}

/* ---- public resolution --------------------------------------------- */

/*
 * The start of a walk from a symbol: "base" is below every base; going
 * down, "X@sym" names sym within branch X.
 */
static int symbol_start(const struct graph *g, const char *spec,
                        const struct rel *r, size_t *start,
                        struct mgr_error *err)
{
    char *full;
    int rc;

    *start = POS_NOTHING;
    if (strcmp(r->symbol, "base") == 0)
        return MGR_OK;
    if (r->steps > 0 || !r->branch)
        return target_resolve_one(g, r->symbol, start, err);
    full = xstrndup(spec, (size_t)(r->text - spec));
    rc = target_resolve_one(g, full, start, err);
    free(full);
    return rc;
}

static int resolve_relative(const struct graph *g, const char *spec,
                            struct rel *r, struct graph_list *out,
                            struct mgr_error *err)
{
    size_t pos, start = POS_NOTHING, branch = GRAPH_NONE;
    bool over;
    int rc;

    if (r->branch && (rc = resolve_branch(g, r->branch, &branch, err)))
        return rc;
    if (!r->symbol) {
        if (r->steps >= 0)
            return mgr_error_set(err, MGR_EREVISION,
                                 "'%s' is relative to the current "
                                 "revision; it works only with upgrade "
                                 "and downgrade",
                                 spec);
        /* -N: down from each real head (of the branch, if given). */
        for (size_t i = 0; i < g->nreal_heads; i++) {
            size_t h = g->real_heads[i];

            if (r->branch &&
                (graph_find_label(g, r->branch) != GRAPH_NONE ?
                     !graph_has_label(g, h, r->branch) :
                     !shares_lineage(g, h, branch)))
                continue;
            if ((rc = walk(g, h, r->steps, GRAPH_NONE, false, &pos, NULL,
                           &over, err)))
                return rc;
            if (over)
                return mgr_error_set(err, MGR_EREVISION,
                                     "relative revision '%s' walks below "
                                     "base from head '%s'",
                                     spec, graph_id(g, h));
            if (pos != POS_BASE)
                push_unique(out, pos);
        }
        return MGR_OK;
    }
    if ((rc = symbol_start(g, spec, r, &start, err)))
        return rc;
    if ((rc = walk(g, start, r->steps, r->steps > 0 ? branch : GRAPH_NONE,
                   false, &pos, NULL, &over, err)))
        return rc;
    if (over)
        return mgr_error_set(err, MGR_EREVISION,
                             "relative revision '%s' walks past the %s",
                             spec, r->steps > 0 ? "head" : "base");
    if (pos != POS_BASE && pos != POS_NOTHING)
        push_unique(out, pos);
    return MGR_OK;
}

/* target_resolve(); multi_msg (if not NULL) replaces the message for
 * several heads. */
static int resolve(const struct graph *g, const char *spec,
                   struct graph_list *out, const char *multi_msg,
                   struct mgr_error *err)
{
    struct rel r;
    const char *at, *id = spec;
    char *branch_text = NULL;
    size_t branch = GRAPH_NONE, idx;
    int rc = MGR_OK;

    if (strcmp(spec, "current") == 0)
        return mgr_error_set(err, MGR_EREVISION,
                             "'current' names the database's revisions; "
                             "it is valid only with 'show' and "
                             "'history -r'");
    if (strchr(spec, ':'))
        return mgr_error_set(err, MGR_EREVISION,
                             "a range ('%s') is not valid here; name one "
                             "revision",
                             spec);
    if (parse_relative(spec, &r)) {
        rc = resolve_relative(g, spec, &r, out, err);
        rel_release(&r);
        return rc;
    }
    at = strchr(spec, '@');
    if (at) {
        branch_text = xstrndup(spec, (size_t)(at - spec));
        id = at + 1;
        if ((rc = resolve_branch(g, branch_text, &branch, err)))
            goto out;
    }
    if (strcmp(id, "heads") == 0) {
        if (branch == GRAPH_NONE)
            for (size_t i = 0; i < g->nreal_heads; i++)
                graph_list_push(out, g->real_heads[i]);
        else
            branch_heads(g, branch, out);
    } else if (strcmp(id, "head") == 0) {
        struct graph_list h = GRAPH_LIST_INIT;

        branch_heads(g, branch, &h);
        if (h.len > 1)
            rc = multiple_heads(g, &h, branch_text, multi_msg, err);
        else if (h.len == 1)
            graph_list_push(out, h.v[0]);
        graph_list_release(&h);
    } else if (strcmp(id, "base") == 0 || !*id) {
        /* base: no revision */
    } else if ((rc = lookup_ident(g, id, branch, branch_text, &idx,
                                  err)) == MGR_OK) {
        graph_list_push(out, idx);
    }
out:
    free(branch_text);
    return rc;
}

int target_resolve(const struct graph *g, const char *spec,
                   struct graph_list *out, struct mgr_error *err)
{
    return resolve(g, spec, out, NULL, err);
}

int target_resolve_one(const struct graph *g, const char *spec,
                       size_t *idx_out, struct mgr_error *err)
{
    struct graph_list l = GRAPH_LIST_INIT;
    char buf[160];
    int rc = target_resolve(g, spec, &l, err);

    *idx_out = GRAPH_NONE;
    if (rc == MGR_OK && l.len > 1) {
        const char *at = strrchr(spec, '@');
        const char *id = at ? at + 1 : spec;

        if (strcmp(id, "heads") == 0 || strcmp(id, "head") == 0) {
            char *b = at ? xstrndup(spec, (size_t)(at - spec)) : NULL;

            rc = multiple_heads(g, &l, b, NULL, err);
            free(b);
        } else {
            rc = mgr_error_set(err, MGR_EREVISION,
                               "'%s' names several revisions (%s); name "
                               "one",
                               spec, quote_ids(g, l.v, l.len, buf,
                                               sizeof(buf)));
        }
    } else if (rc == MGR_OK && l.len == 1) {
        *idx_out = l.v[0];
    }
    graph_list_release(&l);
    return rc;
}

int target_rows(const struct graph *g, const char *const *rows, size_t nrows,
                struct graph_list *out, struct mgr_error *err)
{
    for (size_t i = 0; i < nrows; i++) {
        size_t idx = graph_find(g, rows[i]);

        if (idx == GRAPH_NONE)
            return mgr_error_set(err, MGR_EREVISION,
                                 "the version table names revision '%s', "
                                 "which no script defines; restore the "
                                 "script or correct the table with "
                                 "'migrator stamp'",
                                 rows[i]);
        if (!graph_list_has(out, idx))
            graph_list_push(out, idx);
    }
    return MGR_OK;
}

bool target_is_range(const char *spec)
{
    return strchr(spec, ':') != NULL;
}

int target_split_range(const char *spec, char **start_out, char **end_out,
                       struct mgr_error *err)
{
    const char *colon = strchr(spec, ':');

    *start_out = *end_out = NULL;
    if (!colon || strchr(colon + 1, ':'))
        return mgr_error_set(err, MGR_EREVISION,
                             "invalid range '%s': use [start]:[end], "
                             "[start]: or :[end]",
                             spec);
    *start_out = xstrndup(spec, (size_t)(colon - spec));
    *end_out = xstrdup(colon + 1);
    return MGR_OK;
}

static int new_revision_parents(const struct graph *g,
                                const char *const *args, size_t nargs,
                                bool splice, const char *multi_msg,
                                struct graph_list *out,
                                struct mgr_error *err)
{
    int rc;

    for (size_t i = 0; i < nargs; i++) {
        struct graph_list l = GRAPH_LIST_INIT;

        rc = resolve(g, args[i], &l, multi_msg, err);
        for (size_t k = 0; rc == MGR_OK && k < l.len; k++) {
            if (graph_list_has(out, l.v[k]))
                rc = mgr_error_set(err, MGR_EREVISION,
                                   "revision '%s' is given twice; name "
                                   "each parent once",
                                   graph_id(g, l.v[k]));
            else if (!splice && !graph_is_head(g, l.v[k]))
                rc = mgr_error_set(err, MGR_EREVISION,
                                   "revision '%s' is not a head; use "
                                   "--splice to start a new branch from "
                                   "it",
                                   graph_id(g, l.v[k]));
            else
                graph_list_push(out, l.v[k]);
        }
        graph_list_release(&l);
        if (rc)
            return rc;
    }
    return MGR_OK;
}

int target_merge_parents(const struct graph *g, const char *const *args,
                         size_t nargs, bool splice, struct graph_list *out,
                         struct mgr_error *err)
{
    return new_revision_parents(g, args, nargs, splice, NULL, out, err);
}

int target_revision_parents(const struct graph *g, const char *head,
                            bool splice, struct graph_list *out,
                            struct mgr_error *err)
{
    const char *args[1];

    args[0] = head ? head : "head";
    return new_revision_parents(g, args, 1, splice,
                                "multiple heads are present; name the "
                                "head to build on with --head (a revision "
                                "or '<label>@head'), or 'migrator merge' "
                                "them first",
                                out, err);
}

int target_dependency(const struct graph *g, const char *spec,
                      const char **text_out, struct mgr_error *err)
{
    size_t idx;
    int rc = target_resolve_one(g, spec, &idx, err);
    const struct graph_node *nd;

    if (rc)
        return rc;
    if (idx == GRAPH_NONE)
        return mgr_error_set(err, MGR_EREVISION,
                             "'%s' is not a revision; a dependency names a "
                             "revision or a branch label",
                             spec);
    nd = &g->nodes[idx];
    *text_out = nd->rev->id;
    for (size_t k = 0; k < nd->nlabels; k++)
        if (strcmp(nd->labels[k], spec) == 0)
            *text_out = nd->labels[k];
    return MGR_OK;
}

static const char *const reserved[] = { "base", "current", "head", "heads",
                                        NULL };

static int check_new_name(const struct graph *g, const char *s,
                          const char *what, struct mgr_error *err)
{
    for (size_t i = 0; reserved[i]; i++)
        if (strcmp(s, reserved[i]) == 0)
            return mgr_error_set(err, MGR_EREVISION,
                                 "%s '%s' is reserved; choose another", what,
                                 s);
    if (g && graph_find(g, s) != GRAPH_NONE)
        return mgr_error_set(err, MGR_EREVISION,
                             "%s '%s' is already a revision id; choose "
                             "another",
                             what, s);
    if (g && graph_find_label(g, s) != GRAPH_NONE)
        return mgr_error_set(err, MGR_EREVISION,
                             "%s '%s' is already a branch label (of "
                             "revision '%s'); choose another",
                             what, s, graph_id(g, graph_find_label(g, s)));
    return MGR_OK;
}

int target_check_new_id(const struct graph *g, const char *id,
                        struct mgr_error *err)
{
    size_t len = strlen(id);

    if (len == 0 || len > 32)
        return mgr_error_set(err, MGR_EREVISION,
                             "revision id '%s' must have 1 to 32 "
                             "characters",
                             id);
    for (const char *p = id; *p; p++)
        if (!is_word(*p))
            return mgr_error_set(err, MGR_EREVISION,
                                 "character '%c' not allowed in revision id "
                                 "'%s'; use letters, digits and '_'",
                                 *p, id);
    return check_new_name(g, id, "revision id", err);
}

int target_check_new_label(const struct graph *g, const char *label,
                           struct mgr_error *err)
{
    if (!*label)
        return mgr_error_set(err, MGR_EREVISION, "empty branch label");
    for (const char *p = label; *p; p++)
        if (*p == '@' || *p == ':' || *p == ',' || *p == '\'' ||
            *p == '"' || *p == '\\' || isspace((unsigned char)*p))
            return mgr_error_set(err, MGR_EREVISION,
                                 "character '%c' not allowed in branch "
                                 "label '%s'",
                                 *p, label);
    return check_new_name(g, label, "branch label", err);
}

/* ---- upgrade and downgrade destinations ------------------------------ */

int target_upgrade(const struct graph *g, const struct graph_list *rows,
                   const char *spec, struct graph_list *out,
                   struct mgr_error *err)
{
    struct rel r;
    size_t start = POS_NOTHING, branch = GRAPH_NONE, pos;
    char buf[160];
    bool over;
    int rc = MGR_OK;

    if (!parse_relative(spec, &r))
        return target_resolve(g, spec, out, err);
    if (r.branch && (rc = resolve_branch(g, r.branch, &branch, err)))
        goto out;
    if (r.symbol) {
        if ((rc = symbol_start(g, spec, &r, &start, err)))
            goto out;
        rc = walk(g, start, r.steps, r.steps > 0 ? branch : GRAPH_NONE,
                  false, &pos, NULL, &over, err);
        if (rc == MGR_OK && over)
            rc = mgr_error_set(err, MGR_EREVISION,
                               "relative revision '%s' walks past the %s",
                               spec, r.steps > 0 ? "head" : "base");
        if (rc == MGR_OK && pos != POS_BASE && pos != POS_NOTHING)
            graph_list_push(out, pos);
        goto out;
    }
    if (r.steps <= 0) {
        rc = mgr_error_set(err, MGR_EREVISION,
                           "'%s' steps down; use 'migrator downgrade %s'",
                           spec, spec);
        goto out;
    }
    {
        struct graph_list starts = GRAPH_LIST_INIT;

        if (branch == GRAPH_NONE) {
            for (size_t i = 0; i < rows->len; i++)
                graph_list_push(&starts, rows->v[i]);
        } else {
            unsigned char *lin = target_lineage(g, &branch, 1, false);

            for (size_t i = 0; i < rows->len; i++)
                if (lin[rows->v[i]])
                    graph_list_push(&starts, rows->v[i]);
            if (!starts.len && rows->len) {
                /* The branch has no row: start from the tips of the
                 * applied revisions that are on it. */
                unsigned char *act = xcalloc(g->n, 1);
                unsigned char *below = xcalloc(g->n, 1);

                graph_mark_ancestors(g, rows->v, rows->len, true, act);
                for (size_t i = 0; i < g->n; i++)
                    if (act[i] && lin[i])
                        for (size_t k = 0; k < g->nodes[i].nnorm; k++)
                            below[g->nodes[i].norm[k]] = 1;
                for (size_t i = 0; i < g->n; i++)
                    if (act[i] && lin[i] && !below[i])
                        graph_list_push(&starts, i);
                free(below);
                free(act);
            }
            free(lin);
        }
        if (starts.len > 1) {
            rc = mgr_error_set(err, MGR_EREVISION,
                               "'%s' is ambiguous: there are several "
                               "current revisions (%s); use "
                               "'<label>@%s' or name the target",
                               spec,
                               quote_ids(g, starts.v, starts.len, buf,
                                         sizeof(buf)),
                               r.text);
        } else {
            start = starts.len ? starts.v[0] : POS_NOTHING;
            rc = walk(g, start, r.steps, branch, false, &pos, NULL, &over,
                      err);
            if (rc == MGR_OK && over)
                rc = mgr_error_set(err, MGR_EREVISION,
                                   "relative revision '%s' goes past the "
                                   "head: fewer than %ld revisions are "
                                   "above the current one",
                                   spec, r.steps);
            if (rc == MGR_OK)
                graph_list_push(out, pos);
        }
        graph_list_release(&starts);
    }
out:
    rel_release(&r);
    return rc;
}

static const char multi_row_warning[] =
    "downgrade -N with several current revisions starts from the first "
    "version row; name the branch ('<label>@-N') to be explicit";

int target_downgrade(const struct graph *g, const struct graph_list *rows,
                     const char *spec, struct target_down *out,
                     struct mgr_error *err)
{
    struct rel r;
    size_t pos, start = GRAPH_NONE;
    char buf[160];
    bool over;
    int rc = MGR_OK;

    out->branch = out->keep = out->undo = GRAPH_NONE;
    out->warning = NULL;
    if (!parse_relative(spec, &r)) {
        const char *at = strrchr(spec, '@');

        if (at) {
            char *b = xstrndup(spec, (size_t)(at - spec));

            rc = resolve_branch(g, b, &out->branch, err);
            free(b);
            if (rc)
                return rc;
        }
        return target_resolve_one(g, spec, &out->keep, err);
    }
    if (r.branch && (rc = resolve_branch(g, r.branch, &out->branch, err)))
        goto out;
    if (r.steps >= 0) {
        if (!r.symbol) {
            rc = mgr_error_set(err, MGR_EREVISION,
                               "'%s' steps up; use 'migrator upgrade %s'",
                               spec, spec);
            goto out;
        }
        if ((rc = symbol_start(g, spec, &r, &start, err)))
            goto out;
        rc = walk(g, start, r.steps, out->branch, false, &pos, NULL, &over,
                  err);
        if (rc == MGR_OK && over)
            rc = mgr_error_set(err, MGR_EREVISION,
                               "relative revision '%s' walks past the head",
                               spec);
        if (rc == MGR_OK && pos != POS_BASE && pos != POS_NOTHING)
            out->keep = pos;
        goto out;
    }
    if (r.symbol) {
        if ((rc = symbol_start(g, spec, &r, &start, err)))
            goto out;
    } else if (out->branch != GRAPH_NONE) {
        struct graph_list on = GRAPH_LIST_INIT;
        unsigned char *lin = target_lineage(g, &out->branch, 1, false);

        for (size_t i = 0; i < rows->len; i++)
            if (lin[rows->v[i]])
                graph_list_push(&on, rows->v[i]);
        if (!on.len) {
            /* Rows may cover the branch only through a dependency. */
            unsigned char *act = xcalloc(g->n, 1);

            graph_mark_ancestors(g, rows->v, rows->len, true, act);
            for (size_t i = 0; i < g->n; i++) {
                bool top = act[i] && lin[i];

                for (size_t k = 0; top && k < g->nodes[i].nnext; k++)
                    if (act[g->nodes[i].next[k]])
                        top = false;
                if (top)
                    graph_list_push(&on, i);
            }
            free(act);
        }
        free(lin);
        if (on.len != 1)
            rc = on.len ?
                mgr_error_set(err, MGR_EREVISION,
                              "branch '%s' has several current revisions "
                              "(%s); name the target revision",
                              r.branch,
                              quote_ids(g, on.v, on.len, buf,
                                        sizeof(buf))) :
                mgr_error_set(err, MGR_EREVISION,
                              "no current revision is on branch '%s'; "
                              "nothing to downgrade there",
                              r.branch);
        else
            start = on.v[0];
        graph_list_release(&on);
        if (rc)
            goto out;
    } else {
        if (!rows->len) {
            rc = mgr_error_set(err, MGR_EREVISION,
                               "relative revision '%s' needs a current "
                               "revision, but the database has none: "
                               "nothing to downgrade",
                               spec);
            goto out;
        }
        if (rows->len > 1)
            out->warning = multi_row_warning;
        start = rows->v[0];
        out->branch = start;
    }
    rc = walk(g, start, r.steps, GRAPH_NONE, true, &pos, &out->undo, &over,
              err);
    if (rc == MGR_OK && over)
        rc = mgr_error_set(err, MGR_EREVISION,
                           "relative revision '%s' goes below base: fewer "
                           "than %ld revisions are applied there",
                           spec, -r.steps);
    if (rc == MGR_OK && out->undo == GRAPH_NONE && pos != POS_BASE &&
        pos != POS_NOTHING)
        out->keep = pos;
out:
    rel_release(&r);
    return rc;
}
