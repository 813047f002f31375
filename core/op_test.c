/*
 * op_test.c: migrator test, the up/down round trip of every revision on
 * a scratch database: upgrade to it, downgrade that one revision, and
 * check that the schema is what it was before; then upgrade again and go
 * on. It fails on the first revision whose downgrade does not restore
 * the schema (naming what it leaves), on a failing section (a missing
 * downgrade included), on more than one head, and when the schema at
 * the head differs from schema_file.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "migrate.h"
#include "report.h"
#include "run.h"
#include "runner.h"
#include "schema_diff.h"
#include "schema_ops.h"
#include "schema_source.h"

/* pytest-alembic's single-head test: a project to release has one. */
static int single_head(struct mgr_ctx *ctx)
{
    const struct graph *g = ctx->graph;
    struct mgr_buf ids = MGR_BUF_INIT;
    int rc = MGR_OK;

    if (g->nheads > 1) {
        for (size_t i = 0; i < g->nheads; i++)
            mgr_buf_addf(&ids, "%s%s", i ? ", " : "",
                         graph_id(g, g->heads[i]));
        rc = mgr_error_set(&ctx->err, MGR_ECHECK,
                           "%zu heads (%s): join them with 'migrator merge "
                           "heads' before testing",
                           g->nheads, ids.buf);
    }
    mgr_buf_release(&ids);
    return rc;
}

static int step(struct runner *r, enum plan_dir dir, const char *target)
{
    struct migrate_request req = { dir, target, NULL, 0, false };

    return migrate_on(r, &req, false);
}

/* What the downgrade of rev left different from before it, one line a
 * change: what it leaves, what it does not bring back. */
static void report_leftovers(struct mgr_ctx *ctx, const char *rev,
                             const struct schema_diff *d)
{
    struct mgr_buf line = MGR_BUF_INIT, what = MGR_BUF_INIT;

    for (size_t i = 0; i < d->n; i++) {
        const struct mgr_change *c = d->changes[i];
        const char *object;

        mgr_buf_reset(&what);
        schema_change_describe(c, false, &what);
        /* "add column a.x" -> "column a.x" */
        object = strchr(what.buf, ' ') ? strchr(what.buf, ' ') + 1
                                       : what.buf;
        mgr_buf_reset(&line);
        if (!c->from)
            mgr_buf_addf(&line, "downgrade of %s leaves %s\n", rev, object);
        else if (!c->to)
            mgr_buf_addf(&line, "downgrade of %s does not bring back %s\n",
                         rev, object);
        else
            mgr_buf_addf(&line, "downgrade of %s does not undo: %s\n", rev,
                         what.buf);
        report_output(ctx->report, line.buf, line.len);
    }
    mgr_buf_release(&line);
    mgr_buf_release(&what);
}

/* Upgrade to rev, downgrade it alone (rev@-1: that revision only, even
 * beside other heads), compare, upgrade again. */
static int round_trip(struct runner *r, const char *rev)
{
    struct mgr_ctx *ctx = r->ctx;
    struct schema *before = NULL, *back = NULL;
    struct schema_diff d = SCHEMA_DIFF_INIT;
    struct mgr_buf down = MGR_BUF_INIT;
    int rc;

    mgr_buf_addf(&down, "%s@-1", rev);
    rc = schema_source_live(ctx, &r->db, &before);
    if (rc == MGR_OK)
        rc = step(r, PLAN_UPGRADE, rev);
    if (rc == MGR_OK)
        rc = step(r, PLAN_DOWNGRADE, down.buf);
    if (rc == MGR_OK)
        rc = schema_source_live(ctx, &r->db, &back);
    if (rc == MGR_OK)
        rc = schema_diff(before, back, &d, &ctx->err);
    if (rc == MGR_OK && d.n) {
        report_leftovers(ctx, rev, &d);
        rc = mgr_error_set(&ctx->err, MGR_ECHECK,
                           "the downgrade of %s does not restore the schema "
                           "it started from (%zu difference%s above)",
                           rev, d.n, d.n == 1 ? "" : "s");
    }
    if (rc == MGR_OK)
        rc = step(r, PLAN_UPGRADE, rev);
    schema_diff_release(&d);
    schema_free(before);
    schema_free(back);
    mgr_buf_release(&down);
    return rc;
}

/* At the head: the schema is schema_file's, when there is one. */
static int matches_schema_file(struct runner *r)
{
    struct mgr_ctx *ctx = r->ctx;
    struct schema *live = NULL, *wanted = NULL;
    bool present = false;
    size_t differences = 0;
    int rc;

    rc = schema_source_wanted(ctx, &r->db, &wanted, &present);
    if (rc == MGR_OK && present)
        rc = schema_source_live(ctx, &r->db, &live);
    if (rc == MGR_OK && present)
        rc = schema_list_differences(ctx, live, wanted, false,
                                     "at the head, schema_file: ", "",
                                     &differences);
    if (rc == MGR_OK && differences)
        rc = mgr_error_set(&ctx->err, MGR_ECHECK,
                           "the revisions at the head do not build "
                           "schema_file (%zu difference%s above)",
                           differences, differences == 1 ? "" : "s");
    schema_free(live);
    schema_free(wanted);
    return rc;
}

static int test(struct mgr_ctx *ctx, const char *url)
{
    struct plan p = PLAN_INIT;
    struct runner r;
    int rc;

    rc = single_head(ctx);
    if (rc == MGR_OK)
        rc = plan_upgrade(ctx->graph, NULL, 0, "heads", &p, &ctx->err);
    if (rc == MGR_OK && url)
        config_set(ctx->config, "database_url", url);
    if (rc == MGR_OK) {
        runner_catch_signals();
        rc = url ? runner_open(&r, ctx, true) : runner_open_scratch(&r, ctx);
    }
    if (rc != MGR_OK) {
        plan_release(&p);
        return rc;
    }
    if (!schema_source_supported(&r.db, "test", &ctx->err))
        rc = ctx->err.code;
    for (size_t i = 0; rc == MGR_OK && i < p.nsteps; i++)
        rc = round_trip(&r, p.steps[i].rev->id);
    if (rc == MGR_OK)
        rc = matches_schema_file(&r);
    if (rc == MGR_OK && ctx->verbosity >= 0)
        report_outputf(ctx->report,
                       "test: %zu revision%s went up, down and up again; "
                       "the schema at the head is as expected\n",
                       p.nsteps, p.nsteps == 1 ? "" : "s");
    runner_close(&r);
    if (!url)
        report_forget_steps(ctx->report);
    plan_release(&p);
    return rc;
}

int mgr_run_test(struct mgr_run *run, const char *url, struct mgr_error *err)
{
    return run_result(run, test(&run->ctx, url), err);
}
