/*
 * op_lint.c: migrator lint, the safety review of a range of scripts.
 *
 * The range: the revisions `upgrade --sql RANGE` would run ("start:end",
 * ":end", "start:"), one revision by its identifier, or by default the
 * revisions the database has not applied (all of them when it cannot be
 * reached). The database is only read: the version rows, and the size
 * of the tables that findings name. lint --trace runs the range on a
 * scratch database instead (lint_trace.c).
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "exec.h"
#include "graph.h"
#include "json_tree.h"
#include "lint.h"
#include "loader.h"
#include "plan.h"
#include "report.h"
#include "run.h"
#include "runner.h"
#include "target.h"
#include "util.h"

#include <migrator/commands.h>

/* The linter plugins that read this dialect's scripts. */
struct linters {
    const struct mgr_loaded_plugin **v;
    void **runs;      /* each one's begin() result */
    bool *begun;
    size_t n;
};

static void refused(void *ctx, const char *path, const struct mgr_error *why)
{
    (void)ctx;
    (void)path;
    MGR_WARN("%s", why->msg);
}

static bool serves(const struct mgr_linter_ops *ops, const char *dialect)
{
    if (!ops->dialects)
        return true;
    for (size_t i = 0; ops->dialects[i]; i++)
        if (!strcmp(ops->dialects[i], dialect))
            return true;
    return false;
}

static int load_linters(struct mgr_ctx *ctx, const char *dialect,
                        struct linters *out)
{
    int rc = loader_ctx_plugins(ctx);

    if (rc == MGR_OK)
        rc = plugin_set_load_all(ctx->plugins, MGR_PLUGIN_LINTER, refused,
                                 NULL, &ctx->err);
    if (rc != MGR_OK)
        return rc;
    for (size_t i = 0; i < plugin_set_count(ctx->plugins); i++) {
        const struct mgr_loaded_plugin *p = plugin_set_get(ctx->plugins, i);

        if (p->desc->kind != MGR_PLUGIN_LINTER || !serves(p->ops, dialect))
            continue;
        out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
        out->v[out->n++] = p;
    }
    out->runs = xcalloc(out->n + 1, sizeof(*out->runs));
    out->begun = xcalloc(out->n + 1, sizeof(*out->begun));
    return MGR_OK;
}

static void free_linters(struct linters *ls)
{
    free(ls->v);
    free(ls->runs);
    free(ls->begun);
}

/* lint --rules: the catalogue of the core and of each linter. */
static void list_rules(struct mgr_ctx *ctx, const struct linters *ls)
{
    static const char *const sev[] = { "", "notice", "warning", "error" };

    for (size_t k = 0; k <= ls->n; k++) {
        const struct mgr_lint_rule *const *rules =
            k == 0 ? lint_core_rules
                   : ((const struct mgr_linter_ops *)ls->v[k - 1]->ops)->rules;
        const char *name = k == 0 ? LINT_CORE : ls->v[k - 1]->desc->name;

        for (size_t i = 0; rules[i]; i++)
            report_outputf(ctx->report, "%-12s %-46s %-8s %s\n", name,
                           rules[i]->id, sev[rules[i]->severity],
                           rules[i]->summary);
    }
}

/* ---- the range ---------------------------------------------------------- */

/* The revisions to lint, in the order an upgrade runs them; *start_out
 * gets the rows before the first (for --trace). */
static int plan_range(struct mgr_ctx *ctx, const char *range,
                      const struct plan_rows *rows, struct plan *p)
{
    const struct graph *g = ctx->graph;
    size_t node;
    int rc;

    if (range && strchr(range, ':'))
        return plan_upgrade_offline(g, range, p, &ctx->err);
    if (!range)
        return plan_upgrade(g, (const char *const *)rows->ids, rows->len,
                            "heads", p, &ctx->err);
    /* One revision: the only step; its parents are the start. */
    rc = target_resolve_one(g, range, &node, &ctx->err);
    if (rc != MGR_OK)
        return rc;
    if (node == GRAPH_NONE)
        return mgr_error_set(&ctx->err, MGR_EREVISION,
                             "'%s' names no revision to lint", range);
    p->steps = xcalloc(1, sizeof(*p->steps));
    p->steps[0].dir = PLAN_UPGRADE;
    p->steps[0].node = node;
    p->steps[0].rev = g->nodes[node].rev;
    p->nsteps = 1;
    p->start = xcalloc(g->nodes[node].ndown + 1, sizeof(*p->start));
    for (size_t i = 0; i < g->nodes[node].ndown; i++)
        p->start[p->nstart++] = graph_id(g, g->nodes[node].down[i]);
    return rc;
}

/* ---- one statement ------------------------------------------------------ */

static bool has_parser(const struct db *db)
{
    return MGR_OPS_HAS(db->ops, struct mgr_dialect_ops, parse_format) &&
           db->ops->parse;
}

/* Parse st with the dialect: its tree, or a syntax-error finding. */
static int parse(struct mgr_lint *l, struct db *db, struct lint_stmt *st,
                 struct mgr_buf *json, struct json_tree **tree,
                 struct mgr_buf *why)
{
    struct mgr_error perr;
    int offset = -1, rc;

    mgr_buf_reset(json);
    mgr_buf_reset(why);
    rc = db->ops->parse(db->state, st->text, st->pub.len, json, &offset,
                        &perr);
    if (rc == MGR_ESCRIPT) {
        int line = offset >= 0 ? exec_line_at(st->text, st->pub.len, offset,
                                              st->pub.line)
                               : 0;
        struct mgr_finding f = { sizeof(f), "syntax-error",
                                 MGR_SEVERITY_ERROR, perr.msg,
                                 "the statement fails when it runs; fix it "
                                 "before anything else",
                                 NULL, 0, NULL, line };

        mgr_buf_addstr(why, perr.msg);
        st->pub.parse_error = why->buf;
        return lint_add(l, LINT_CORE, st, st->script, &f, &l->ctx->err);
    }
    if (rc != MGR_OK)
        return mgr_error_set(&l->ctx->err, rc, "%s", perr.msg);
    rc = json_tree_parse(json->buf, json->len, tree, &st->pub.tree,
                         &l->ctx->err);
    if (rc == MGR_OK)
        st->pub.parse_format = db->ops->parse_format
                                   ? db->ops->parse_format : "";
    return rc;
}

static int each_linter(struct mgr_lint *l, struct linters *ls,
                       struct lint_stmt *st)
{
    int rc = MGR_OK;

    for (size_t i = 0; i < ls->n && rc == MGR_OK; i++) {
        const struct mgr_linter_ops *ops = ls->v[i]->ops;

        l->current = ls->v[i];
        rc = ops->statement(ls->runs[i], l, &st->pub, &l->ctx->err);
    }
    l->current = NULL;
    return rc;
}

static int lint_statement(struct mgr_lint *l, struct db *db,
                          struct linters *ls, struct lint_stmt *st)
{
    struct mgr_buf json = MGR_BUF_INIT, why = MGR_BUF_INIT;
    struct json_tree *tree = NULL;
    int rc = MGR_OK;

    if (has_parser(db))
        rc = parse(l, db, st, &json, &tree, &why);
    if (rc == MGR_OK)
        rc = each_linter(l, ls, st);
    /* Trees and parse errors are lent for the call only. */
    st->pub.tree = NULL;
    st->pub.parse_error = NULL;
    st->pub.parse_format = "";
    json_tree_free(tree);
    mgr_buf_release(&json);
    mgr_buf_release(&why);
    return rc;
}

/* ---- the run ------------------------------------------------------------ */

static int begin_linters(struct mgr_lint *l, struct linters *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        const struct mgr_linter_ops *ops = ls->v[i]->ops;
        int rc;

        l->current = ls->v[i];
        rc = ops->begin(ls->v[i]->state, l, &ls->runs[i], &l->ctx->err);
        l->current = NULL;
        if (rc != MGR_OK)
            return rc;
        ls->begun[i] = true;
    }
    return MGR_OK;
}

/* end() for every linter begun, even after a failure (it frees its
 * run); the first failure is the one kept. */
static int end_linters(struct mgr_lint *l, struct linters *ls, int rc)
{
    for (size_t i = 0; i < ls->n; i++) {
        const struct mgr_linter_ops *ops = ls->v[i]->ops;
        struct mgr_error later;
        int end_rc;

        if (!ls->begun[i])
            continue;
        l->current = ls->v[i];
        end_rc = ops->end(ls->runs[i], l,
                          rc == MGR_OK ? &l->ctx->err : &later);
        ls->begun[i] = false;
        if (rc == MGR_OK)
            rc = end_rc;
    }
    l->current = NULL;
    return rc;
}

static int lint_scripts(struct mgr_lint *l, struct db *db, struct linters *ls)
{
    int rc = begin_linters(l, ls);

    for (size_t s = 0; rc == MGR_OK && s < l->nscripts; s++) {
        size_t first = l->nstmts;

        rc = lint_collect_script(l, db, s);
        for (size_t k = first; rc == MGR_OK && k < l->nstmts; k++)
            rc = lint_statement(l, db, ls, l->stmts[k]);
        if (rc == MGR_OK)
            rc = lint_generic_script(l, s, &l->ctx->err);
    }
    return end_linters(l, ls, rc);
}

/* Connect to read the rows and the sizes; a database that cannot be
 * reached leaves r->db.conn NULL, and every revision is linted. */
static int reach(struct mgr_ctx *ctx, struct runner *r, struct plan_rows *rows,
                 bool *reached)
{
    int rc = runner_open_read_only(r, ctx);

    *reached = false;
    if (rc == MGR_ECONN || rc == MGR_EDB) {
        MGR_INFO("lint: the database cannot be reached (%s): linting every "
                 "revision, without table sizes",
                 ctx->err.msg);
        return db_load_dialect(ctx, &r->db);
    }
    if (rc == MGR_OK)
        rc = runner_read_rows(r, rows);
    *reached = rc == MGR_OK;
    return rc;
}

static void summary(struct mgr_lint *l, const size_t counts[4])
{
    report_outputf(l->ctx->report,
                   "lint: %zu revision%s, %zu statement%s: %zu error%s, "
                   "%zu warning%s, %zu notice%s",
                   l->nscripts, l->nscripts == 1 ? "" : "s", l->nstmts,
                   l->nstmts == 1 ? "" : "s",
                   counts[MGR_SEVERITY_ERROR],
                   counts[MGR_SEVERITY_ERROR] == 1 ? "" : "s",
                   counts[MGR_SEVERITY_WARNING],
                   counts[MGR_SEVERITY_WARNING] == 1 ? "" : "s",
                   counts[MGR_SEVERITY_NOTICE],
                   counts[MGR_SEVERITY_NOTICE] == 1 ? "" : "s");
    if (l->silenced)
        report_outputf(l->ctx->report, " (%zu silenced)", l->silenced);
    report_outputf(l->ctx->report, "\n");
}

static int lint(struct mgr_ctx *ctx, const struct mgr_lint_options *o)
{
    struct mgr_lint l;
    struct linters ls = { 0 };
    struct runner r;
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct plan p = PLAN_INIT;
    size_t counts[4] = { 0 };
    bool reached = false;
    int rc;

    memset(&l, 0, sizeof(l));
    l.ctx = ctx;
    report_set_target(ctx->report, o->range, false);
    rc = o->rules ? db_load_dialect(ctx, &r.db) : reach(ctx, &r, &rows,
                                                        &reached);
    if (o->rules)
        r.db.conn = NULL;
    if (rc == MGR_OK) {
        l.dialect = r.db.dialect;
        rc = load_linters(ctx, l.dialect, &ls);
    }
    if (rc == MGR_OK && o->rules) {
        list_rules(ctx, &ls);
        goto out;
    }
    if (rc == MGR_OK)
        rc = lint_read_config_ignores(&l, ls.v, ls.n, &ctx->err);
    if (rc == MGR_OK)
        rc = plan_range(ctx, o->range, &rows, &p);
    if (rc == MGR_OK) {
        l.scripts = xcalloc(p.nsteps + 1, sizeof(*l.scripts));
        for (size_t i = 0; i < p.nsteps; i++)
            if (p.steps[i].rev && p.steps[i].rev->format)
                l.scripts[l.nscripts++].rev = p.steps[i].rev;
        rc = lint_scripts(&l, &r.db, &ls);
    }
    if (rc == MGR_OK)
        lint_check_directives(&l);
    if (rc == MGR_OK && reached)
        rc = lint_add_sizes(&l, &r.db, ls.v, ls.n, &ctx->err);
    if (rc == MGR_OK && o->trace)
        rc = lint_trace(&l, p.start, p.nstart, ls.v, ls.n);
    if (rc == MGR_OK) {
        lint_emit(&l, counts);
        summary(&l, counts);
        if (counts[MGR_SEVERITY_ERROR])
            rc = mgr_error_set(&ctx->err, MGR_ECHECK,
                               "lint found %zu error%s",
                               counts[MGR_SEVERITY_ERROR],
                               counts[MGR_SEVERITY_ERROR] == 1 ? "" : "s");
    }
out:
    if (r.db.conn)
        runner_close(&r);
    lint_release(&l);
    free_linters(&ls);
    plan_release(&p);
    plan_rows_release(&rows);
    return rc;
}

int mgr_run_lint(struct mgr_run *run, const struct mgr_lint_options *opts,
                 struct mgr_error *err)
{
    return run_result(run, lint(&run->ctx, opts), err);
}
