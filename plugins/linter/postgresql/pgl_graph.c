/*
 * pgl_graph.c: the rules that need the whole run (pgl.h), reported from
 * end() about the statement that added each foreign key:
 *
 *   circular-foreign-key       foreign keys among tables the run
 *                              created that form a cycle; reported at
 *                              the key that closes it (a table that
 *                              references itself is no cycle)
 *   foreign-key-without-index  a foreign key whose columns lead no index,
 *                              PRIMARY KEY or UNIQUE the run made, when
 *                              its table or one of its columns is new
 */
#include "autoconfig.h"

#include <stdint.h>
#include <string.h>

#include "pgl.h"

#define NOT_NEW SIZE_MAX

/* The index of table key in run->tables, or NOT_NEW. */
static size_t node_of(const struct pgl_run *run, const char *key)
{
    for (size_t i = 0; i < run->tables.n; i++) {
        const struct pgl_table *t = run->tables.items[i];

        if (strcmp(t->key, key) == 0)
            return i;
    }
    return NOT_NEW;
}

/*
 * A depth-first search over the foreign keys fks[0..upto). Each key's
 * two ends are found once (from[], to[]), and each table lists the keys
 * that leave it (out[node][0..nout[node]), in key order), so a search
 * costs O(tables + keys) and the whole run O(keys * (tables + keys)).
 */
struct dfs {
    const struct pgl_run *run;
    size_t upto;
    bool *seen;
    size_t *path; /* the nodes from the start to the target */
    size_t depth;
    size_t *from, *to;   /* per key: its table and the one it references */
    size_t **out;        /* per table: the keys that leave it */
    size_t *nout;
};

static bool reach(struct dfs *d, size_t node, size_t target)
{
    d->path[d->depth++] = node;
    if (node == target)
        return true;
    if (d->seen[node]) {
        d->depth--;
        return false;
    }
    d->seen[node] = true;
    for (size_t k = 0; k < d->nout[node] && d->out[node][k] < d->upto; k++) {
        size_t to = d->to[d->out[node][k]];

        if (to != NOT_NEW && to != node && reach(d, to, target))
            return true;
    }
    d->depth--;
    return false;
}

/* from[], to[] and the keys leaving each table. */
static void edges(struct pgl_run *run, struct dfs *d)
{
    size_t n = run->tables.n, nfk = run->fks.n;

    d->from = pgl_alloc(run, (nfk + 1) * sizeof(*d->from));
    d->to = pgl_alloc(run, (nfk + 1) * sizeof(*d->to));
    d->nout = pgl_alloc(run, (n + 1) * sizeof(*d->nout));
    d->out = pgl_alloc(run, (n + 1) * sizeof(*d->out));
    memset(d->nout, 0, (n + 1) * sizeof(*d->nout));
    for (size_t i = 0; i < nfk; i++) {
        const struct pgl_fk *f = run->fks.items[i];

        d->from[i] = node_of(run, f->table);
        d->to[i] = node_of(run, f->ref);
        if (d->from[i] != NOT_NEW)
            d->nout[d->from[i]]++;
    }
    for (size_t t = 0; t < n; t++) {
        d->out[t] = pgl_alloc(run, (d->nout[t] + 1) * sizeof(**d->out));
        d->nout[t] = 0;
    }
    for (size_t i = 0; i < nfk; i++)
        if (d->from[i] != NOT_NEW)
            d->out[d->from[i]][d->nout[d->from[i]]++] = i;
}

static void edges_free(struct pgl_run *run, struct dfs *d)
{
    for (size_t t = 0; t < run->tables.n; t++)
        run->api->free(d->out[t]);
    run->api->free(d->out);
    run->api->free(d->nout);
    run->api->free(d->from);
    run->api->free(d->to);
}

static void say_cycle(struct pgl_run *run, struct mgr_lint *l,
                      const struct pgl_fk *f, const struct dfs *d)
{
    struct pgl_say say = {"circular-foreign-key", 0, 0, PGL_LOCK_NONE, NULL,
                          "no row of a cycle can be inserted or deleted "
                          "first: make one of its keys DEFERRABLE "
                          "INITIALLY DEFERRED or nullable, or drop one"};
    struct mgr_buf cycle;

    run->api->buf_init(&cycle, 128);
    run->api->buf_addf(&cycle, "%s", f->shown);
    for (size_t i = 0; i < d->depth; i++) {
        const struct pgl_table *t = run->tables.items[d->path[i]];

        run->api->buf_addf(&cycle, " -> %s", t->shown);
    }
    pgl_say_at(run, l, f->st, &say, "foreign keys form a cycle: %s",
               cycle.buf);
    run->api->buf_release(&cycle);
}

static void cycles(struct pgl_run *run, struct mgr_lint *l)
{
    size_t n = run->tables.n;
    struct dfs d;

    memset(&d, 0, sizeof(d));
    d.run = run;
    d.seen = pgl_alloc(run, (n + 1) * sizeof(*d.seen));
    d.path = pgl_alloc(run, (n + 1) * sizeof(*d.path));
    edges(run, &d);
    for (size_t i = 0; i < run->fks.n; i++) {
        const struct pgl_fk *f = run->fks.items[i];
        size_t from = d.from[i], to = d.to[i];

        if (from == NOT_NEW || to == NOT_NEW || from == to)
            continue;
        memset(d.seen, 0, (n + 1) * sizeof(*d.seen));
        d.upto = i;
        d.depth = 0;
        if (reach(&d, to, from))
            say_cycle(run, l, f, &d);
    }
    edges_free(run, &d);
    run->api->free(d.seen);
    run->api->free(d.path);
}

/* ---- foreign keys without an index --------------------------------------- */

/* Whether the first f->ncols columns of x are the columns of f. */
static bool leads(const struct pgl_index *x, const struct pgl_fk *f)
{
    if (strcmp(x->table, f->table) != 0 || x->ncols < f->ncols)
        return false;
    for (size_t i = 0; i < f->ncols; i++) {
        bool found = false;

        for (size_t j = 0; j < f->ncols && !found; j++)
            found = x->cols[j] && f->cols[i] &&
                    strcmp(x->cols[j], f->cols[i]) == 0;
        if (!found)
            return false;
    }
    return true;
}

static bool indexed(const struct pgl_run *run, const struct pgl_fk *f)
{
    for (size_t i = 0; i < run->indexes.n; i++) {
        if (leads(run->indexes.items[i], f))
            return true;
    }
    return false;
}

static void add_columns(struct pgl_run *run, struct mgr_buf *b,
                        const struct pgl_fk *f)
{
    for (size_t i = 0; i < f->ncols; i++) {
        run->api->buf_addf(b, "%s", i ? ", " : "");
        pgl_add_ident(run, b, f->cols[i]);
    }
}

static void say_unindexed(struct pgl_run *run, struct mgr_lint *l,
                          const struct pgl_fk *f)
{
    bool is_new = node_of(run, f->table) != NOT_NEW;
    const char *dot = strchr(f->table, '.');
    struct pgl_say say = {"foreign-key-without-index", 0, 0, PGL_LOCK_NONE,
                          is_new ? NULL : f->shown, NULL};
    char name[PGL_NAME_MAX];
    struct mgr_buf hint, cols;

    pgl_default_name(name, sizeof(name), dot ? dot + 1 : f->table,
                     (const char *const *)f->cols, f->ncols, "idx");
    run->api->buf_init(&cols, 64);
    add_columns(run, &cols, f);
    pgl_hint_begin(run, &hint);
    run->api->buf_addf(&hint, "index its columns%s:\nCREATE INDEX %s",
                       is_new ? "" : " (in a transaction=false section)",
                       is_new ? "" : "CONCURRENTLY IF NOT EXISTS ");
    pgl_add_ident(run, &hint, name);
    run->api->buf_addf(&hint, " ON %s (%s);", f->shown, cols.buf);
    say.hint = hint.buf;
    pgl_say_at(run, l, f->st, &say,
               "foreign key %s (%s) to %s has no index on its columns: "
               "deletes and updates on %s scan %s",
               f->shown, cols.buf, f->ref_shown, f->ref_shown, f->shown);
    pgl_hint_end(run, &hint);
    run->api->buf_release(&cols);
}

void pgl_graph_end(struct pgl_run *run, struct mgr_lint *l)
{
    cycles(run, l);
    for (size_t i = 0; i < run->fks.n; i++) {
        const struct pgl_fk *f = run->fks.items[i];

        if (f->needs_index && f->ncols && !indexed(run, f))
            say_unindexed(run, l, f);
    }
}
