/* migrate.c: an online upgrade, downgrade or stamp; see migrate.h. */
#include "autoconfig.h"

#include "migrate.h"
#include "report.h"
#include "runner.h"
#include "schema_record.h"

static int make_plan(struct mgr_ctx *ctx, const struct migrate_request *req,
                     const struct plan_rows *rows, struct plan *p)
{
    const char *const *ids = (const char *const *)rows->ids;

    switch (req->dir) {
    case PLAN_UPGRADE:
        return plan_upgrade(ctx->graph, ids, rows->len, req->target, p,
                            &ctx->err);
    case PLAN_DOWNGRADE:
        return plan_downgrade(ctx->graph, ids, rows->len, req->target, p,
                              &ctx->err);
    case PLAN_STAMP:
        break;
    }
    return plan_stamp(ctx->graph, ids, rows->len, req->targets,
                      req->ntargets, req->purge, p, &ctx->err);
}

/* runner.before_last_commit: the schema, captured, commits with the
 * run where the dialect can capture it. */
static void record_in_transaction(struct runner *r, void *arg)
{
    bool *recorded = arg;

    schema_record_in_transaction(r, recorded);
}

int migrate_on(struct runner *r, const struct migrate_request *req,
               bool record_schema)
{
    bool recorded = false;
    struct mgr_ctx *ctx = r->ctx;
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct plan p = PLAN_INIT;
    int rc;

    rc = runner_read_rows(r, &rows);
    if (rc == MGR_OK && req->dir != PLAN_STAMP)
        rc = runner_check_integrity(r, &rows);
    if (rc == MGR_OK && req->dir == PLAN_UPGRADE)
        rc = runner_check_rows_consistent(r, &rows);
    if (rc == MGR_OK)
        rc = make_plan(ctx, req, &rows, &p);
    if (rc == MGR_OK && p.warning)
        MGR_WARN("%s", p.warning);
    if (rc == MGR_OK)
        report_plan(ctx->report, &p);
    if (rc == MGR_OK)
        rc = runner_preflight(r, &p);
    if (rc == MGR_OK)
        rc = runner_ensure_tables(r);
    if (rc == MGR_OK && record_schema) {
        r->before_last_commit = record_in_transaction;
        r->before_last_commit_arg = &recorded;
    }
    if (rc == MGR_OK)
        rc = runner_execute(r, &p);
    r->before_last_commit = NULL;
    r->before_last_commit_arg = NULL;
    if (rc == MGR_OK && record_schema && !recorded)
        schema_record_after_run(r);
    plan_release(&p);
    plan_rows_release(&rows);
    return rc;
}

int migrate_online(struct mgr_ctx *ctx, const struct migrate_request *req)
{
    struct runner r;
    int rc;

    runner_catch_signals();
    rc = runner_open(&r, ctx, true);
    if (rc != MGR_OK)
        return rc;
    rc = migrate_on(&r, req, true);
    runner_close(&r);
    return rc;
}
