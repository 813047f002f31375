/* revfmt.c: the text output of the graph commands (revfmt.h). */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "revfmt.h"
#include "target.h"
#include "util.h"

static void add_joined_ids(struct mgr_buf *out, const struct graph *g,
                           const size_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            mgr_buf_addstr(out, ", ");
        mgr_buf_addstr(out, graph_id(g, v[i]));
    }
}

static void add_joined(struct mgr_buf *out, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            mgr_buf_addstr(out, ", ");
        mgr_buf_addstr(out, v[i]);
    }
}

static void add_parents(struct mgr_buf *out, const struct graph *g, size_t i)
{
    const struct graph_node *nd = &g->nodes[i];

    if (!nd->ndown)
        mgr_buf_addstr(out, "<base>");
    else
        add_joined_ids(out, g, nd->down, nd->ndown);
}

void revfmt_short(struct mgr_buf *out, const struct graph *g, size_t i,
                  unsigned parts, bool current)
{
    const struct graph_node *nd = &g->nodes[i];
    const struct revision *r = nd->rev;

    if (parts & REVFMT_PARENTS) {
        add_parents(out, g, i);
        if (r->ndepends) {
            mgr_buf_addstr(out, " (");
            add_joined(out, (const char *const *)r->depends, r->ndepends);
            mgr_buf_addch(out, ')');
        }
        mgr_buf_addstr(out, " -> ");
    }
    mgr_buf_addstr(out, r->id);
    if ((parts & REVFMT_LABELS) && nd->nlabels) {
        mgr_buf_addstr(out, " (");
        add_joined(out, nd->labels, nd->nlabels);
        mgr_buf_addch(out, ')');
    }
    if (parts & REVFMT_HEAD) {
        if (graph_is_real_head(g, i))
            mgr_buf_addstr(out, " (head)");
        else if (graph_is_head(g, i))
            mgr_buf_addstr(out, " (effective head)");
        if (current)
            mgr_buf_addstr(out, " (current)");
    }
    if (parts & REVFMT_TREE) {
        if (graph_is_branch_point(g, i))
            mgr_buf_addstr(out, " (branchpoint)");
        if (graph_is_merge_point(g, i))
            mgr_buf_addstr(out, " (mergepoint)");
    }
    if (parts & REVFMT_DOC)
        mgr_buf_addf(out, ", %s", r->message ? r->message : "");
}

/* Each line of s indented by 4 spaces, lines joined by '\n'. */
static void add_indented(struct mgr_buf *out, const char *s, bool *first)
{
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);

        if (len && s[len - 1] == '\r')
            len--;
        if (!*first)
            mgr_buf_addch(out, '\n');
        *first = false;
        mgr_buf_addstr(out, "    ");
        mgr_buf_add(out, s, len);
        if (!nl)
            break;
        s = nl + 1;
    }
}

void revfmt_verbose(struct mgr_buf *out, const struct graph *g, size_t i,
                    bool current)
{
    const struct graph_node *nd = &g->nodes[i];
    const struct revision *r = nd->rev;
    bool first = true;

    mgr_buf_addf(out, "Rev: %s%s%s%s%s\n", r->id,
                 graph_is_head(g, i) ? " (head)" : "",
                 graph_is_branch_point(g, i) ? " (branchpoint)" : "",
                 graph_is_merge_point(g, i) ? " (mergepoint)" : "",
                 current ? " (current)" : "");
    mgr_buf_addstr(out, graph_is_merge_point(g, i) ? "Merges: " :
                                                     "Parent: ");
    add_parents(out, g, i);
    mgr_buf_addch(out, '\n');
    if (r->ndepends) {
        mgr_buf_addstr(out, "Also depends on: ");
        add_joined(out, (const char *const *)r->depends, r->ndepends);
        mgr_buf_addch(out, '\n');
    }
    if (graph_is_branch_point(g, i)) {
        mgr_buf_addstr(out, "Branches into: ");
        add_joined_ids(out, g, nd->next, nd->nnext);
        mgr_buf_addch(out, '\n');
    }
    if (nd->nlabels) {
        mgr_buf_addstr(out, "Branch names: ");
        add_joined(out, nd->labels, nd->nlabels);
        mgr_buf_addch(out, '\n');
    }
    mgr_buf_addf(out, "Path: %s\n\n", r->path ? r->path : "");
    if (r->message && *r->message)
        add_indented(out, r->message, &first);
    if (r->doc && *r->doc) {
        if (!first)
            mgr_buf_addstr(out, "\n    ");
        add_indented(out, r->doc, &first);
    }
    mgr_buf_addstr(out, "\n\n");
}

/* The text of one item, handed to fn, then forgotten. */
static void emit_item(revfmt_item_fn fn, void *ctx, size_t node,
                      bool current, struct mgr_buf *text)
{
    fn(ctx, node, current, text->buf);
    mgr_buf_reset(text);
}

/* The short line, or with verbose the block, of node i. */
static void add_item(struct mgr_buf *text, const struct graph *g, size_t i,
                     bool verbose, unsigned parts, bool current)
{
    if (verbose) {
        revfmt_verbose(text, g, i, current);
    } else {
        revfmt_short(text, g, i, parts, current);
        mgr_buf_addch(text, '\n');
    }
}

void revfmt_heads_each(const struct graph *g, bool verbose,
                       bool resolve_dependencies, revfmt_item_fn fn,
                       void *ctx)
{
    const size_t *h = resolve_dependencies ? g->real_heads : g->heads;
    size_t n = resolve_dependencies ? g->nreal_heads : g->nheads;
    struct mgr_buf text = MGR_BUF_INIT;

    for (size_t i = 0; i < n; i++) {
        add_item(&text, g, h[i], verbose, REVFMT_LABELS | REVFMT_HEAD,
                 false);
        emit_item(fn, ctx, h[i], false, &text);
    }
    mgr_buf_release(&text);
}

void revfmt_branches_each(const struct graph *g, bool verbose,
                          revfmt_item_fn fn, void *ctx)
{
    struct graph_list order = GRAPH_LIST_INIT;
    struct mgr_buf text = MGR_BUF_INIT;

    /* Everything, in history order; cannot fail without a range. */
    if (plan_history(g, NULL, NULL, NULL, 0, &order, NULL) != MGR_OK)
        order.len = 0;
    for (size_t k = 0; k < order.len; k++) {
        size_t i = order.v[k];
        const struct graph_node *nd = &g->nodes[i];
        size_t pad = strlen(nd->rev->id);

        if (!graph_is_branch_point(g, i))
            continue;
        add_item(&text, g, i, verbose,
                 REVFMT_LABELS | REVFMT_HEAD | REVFMT_TREE, false);
        for (size_t c = 0; c < nd->nnext; c++) {
            for (size_t s = 0; s < pad; s++)
                mgr_buf_addch(&text, ' ');
            mgr_buf_addstr(&text, " -> ");
            revfmt_short(&text, g, nd->next[c],
                         REVFMT_LABELS | REVFMT_HEAD | REVFMT_TREE |
                             (verbose ? REVFMT_DOC : 0),
                         false);
            mgr_buf_addch(&text, '\n');
        }
        mgr_buf_addch(&text, '\n');
        emit_item(fn, ctx, i, false, &text);
    }
    mgr_buf_release(&text);
    graph_list_release(&order);
}

int revfmt_current_each(const struct graph *g, const char *const *rows,
                        size_t nrows, bool verbose, revfmt_item_fn fn,
                        void *ctx, struct mgr_error *err)
{
    struct graph_list cur = GRAPH_LIST_INIT;
    struct mgr_buf text = MGR_BUF_INIT;
    int rc = plan_current(g, rows, nrows, &cur, err);

    for (size_t k = 0; rc == MGR_OK && k < cur.len; k++) {
        add_item(&text, g, cur.v[k], verbose, REVFMT_HEAD | REVFMT_TREE,
                 false);
        emit_item(fn, ctx, cur.v[k], true, &text);
    }
    mgr_buf_release(&text);
    graph_list_release(&cur);
    return rc;
}

static int split_history_range(const char *range, char **lo, char **hi,
                               struct mgr_error *err)
{
    *lo = *hi = NULL;
    if (!range)
        return MGR_OK;
    if (!strchr(range, ':'))
        return mgr_error_set(err, MGR_EREVISION,
                             "history range '%s' needs a ':': use "
                             "[start]:[end], [start]: or :[end]",
                             range);
    return target_split_range(range, lo, hi, err);
}

bool revfmt_history_needs_rows(const char *range, bool indicate_current)
{
    const char *colon;

    if (indicate_current)
        return true;
    if (!range || !(colon = strchr(range, ':')))
        return false;
    return strncmp(range, "current:", 8) == 0 ||
           strcmp(colon + 1, "current") == 0;
}

int revfmt_history_each(const struct graph *g, const char *range,
                        const char *const *rows, size_t nrows, bool verbose,
                        bool indicate_current, revfmt_item_fn fn, void *ctx,
                        struct mgr_error *err)
{
    struct graph_list order = GRAPH_LIST_INIT;
    struct mgr_buf text = MGR_BUF_INIT;
    char *lo = NULL, *hi = NULL;
    unsigned char *cur = NULL;
    int rc = split_history_range(range, &lo, &hi, err);

    if (rc == MGR_OK)
        rc = plan_history(g, lo, hi, rows, nrows, &order, err);
    if (rc == MGR_OK && indicate_current) {
        cur = xcalloc(g->n ? g->n : 1, 1);
        for (size_t i = 0; i < nrows; i++) {
            size_t idx = graph_find(g, rows[i]);

            if (idx != GRAPH_NONE)
                cur[idx] = 1;
        }
    }
    for (size_t k = 0; rc == MGR_OK && k < order.len; k++) {
        size_t i = order.v[k];
        bool c = cur && cur[i];

        add_item(&text, g, i, verbose,
                 REVFMT_PARENTS | REVFMT_LABELS | REVFMT_HEAD | REVFMT_TREE |
                     REVFMT_DOC,
                 c);
        emit_item(fn, ctx, i, c, &text);
    }
    mgr_buf_release(&text);
    free(cur);
    free(lo);
    free(hi);
    graph_list_release(&order);
    return rc;
}

int revfmt_show_each(const struct graph *g, const char *spec,
                     const char *const *rows, size_t nrows,
                     revfmt_item_fn fn, void *ctx, struct mgr_error *err)
{
    struct graph_list l = GRAPH_LIST_INIT;
    struct mgr_buf text = MGR_BUF_INIT;
    int rc;

    if (strcmp(spec, "current") == 0)
        rc = target_rows(g, rows, nrows, &l, err);
    else
        rc = target_resolve(g, spec, &l, err);
    for (size_t k = 0; rc == MGR_OK && k < l.len; k++) {
        revfmt_verbose(&text, g, l.v[k], false);
        emit_item(fn, ctx, l.v[k], false, &text);
    }
    mgr_buf_release(&text);
    graph_list_release(&l);
    return rc;
}

/* ---- the whole text of a listing --------------------------------------- */

static void append_item(void *ctx, size_t node, bool current,
                        const char *text)
{
    (void)node;
    (void)current;
    mgr_buf_addstr(ctx, text);
}

void revfmt_heads(struct mgr_buf *out, const struct graph *g, bool verbose,
                  bool resolve_dependencies)
{
    revfmt_heads_each(g, verbose, resolve_dependencies, append_item, out);
}

void revfmt_branches(struct mgr_buf *out, const struct graph *g,
                     bool verbose)
{
    revfmt_branches_each(g, verbose, append_item, out);
}

int revfmt_current(struct mgr_buf *out, const struct graph *g,
                   const char *const *rows, size_t nrows, bool verbose,
                   struct mgr_error *err)
{
    return revfmt_current_each(g, rows, nrows, verbose, append_item, out,
                               err);
}

int revfmt_history(struct mgr_buf *out, const struct graph *g,
                   const char *range, const char *const *rows, size_t nrows,
                   bool verbose, bool indicate_current,
                   struct mgr_error *err)
{
    return revfmt_history_each(g, range, rows, nrows, verbose,
                               indicate_current, append_item, out, err);
}

int revfmt_show(struct mgr_buf *out, const struct graph *g, const char *spec,
                const char *const *rows, size_t nrows,
                struct mgr_error *err)
{
    return revfmt_show_each(g, spec, rows, nrows, append_item, out, err);
}

void revfmt_step(struct mgr_buf *out, const struct plan_step *step,
                 bool with_doc)
{
    static const char *const words[] = { "upgrade", "downgrade",
                                         "stamp_revision" };

    mgr_buf_addf(out, "Running %s ", words[step->dir]);
    add_joined(out, step->from, step->nfrom);
    mgr_buf_addstr(out, " -> ");
    add_joined(out, step->to, step->nto);
    if (with_doc && step->dir != PLAN_STAMP && step->rev)
        mgr_buf_addf(out, ", %s", step->rev->message ? step->rev->message :
                                                       "");
}
