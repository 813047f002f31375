/*
 * op_graph.c: the listing commands of <migrator/commands.h>: heads,
 * branches, history, show. Their text is Alembic's (revfmt.h). Only
 * `history -i`, a `current` history bound and `show current` read the
 * database.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "report.h"
#include "revfmt.h"
#include "run.h"
#include "runner.h"

int mgr_run_heads(struct mgr_run *run, bool verbose, bool resolve_deps,
                  struct mgr_error *err)
{
    struct mgr_ctx *ctx = &run->ctx;
    struct report_lister l = { ctx->report, ctx->graph, MGR_REC_HEAD,
                               verbose };

    revfmt_heads_each(ctx->graph, verbose, resolve_deps, report_list_item,
                      &l);
    return run_result(run, MGR_OK, err);
}

int mgr_run_branches(struct mgr_run *run, bool verbose,
                     struct mgr_error *err)
{
    struct mgr_ctx *ctx = &run->ctx;
    struct report_lister l = { ctx->report, ctx->graph, MGR_REC_BRANCH,
                               verbose };

    revfmt_branches_each(ctx->graph, verbose, report_list_item, &l);
    return run_result(run, MGR_OK, err);
}

static int history(struct mgr_ctx *ctx, const char *range, bool verbose,
                   bool indicate_current)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct report_lister l = { ctx->report, ctx->graph, MGR_REC_HISTORY,
                               verbose };
    int rc = MGR_OK;

    report_set_target(ctx->report, range, false);
    if (range && !strchr(range, ':'))
        return mgr_error_set(&ctx->err, MGR_EUSAGE,
                             "history range needs a ':': use start:end, "
                             "start: or :end");
    if (revfmt_history_needs_rows(range, indicate_current))
        rc = runner_fetch_rows(ctx, &rows);
    /* Items are reported as they are made: a range that fails to
     * resolve fails before the first. */
    if (rc == MGR_OK)
        rc = revfmt_history_each(ctx->graph, range,
                                 (const char *const *)rows.ids, rows.len,
                                 verbose, indicate_current,
                                 report_list_item, &l, &ctx->err);
    plan_rows_release(&rows);
    return rc;
}

int mgr_run_history(struct mgr_run *run, const char *range, bool verbose,
                    bool indicate_current, struct mgr_error *err)
{
    return run_result(run,
                      history(&run->ctx, range, verbose, indicate_current),
                      err);
}

static int show(struct mgr_ctx *ctx, const char *rev)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct report_lister l = { ctx->report, ctx->graph, MGR_REC_SHOW,
                               true };
    int rc = MGR_OK;

    report_set_target(ctx->report, rev, false);
    if (strcmp(rev, "current") == 0)
        rc = runner_fetch_rows(ctx, &rows);
    if (rc == MGR_OK)
        rc = revfmt_show_each(ctx->graph, rev,
                              (const char *const *)rows.ids, rows.len,
                              report_list_item, &l, &ctx->err);
    plan_rows_release(&rows);
    return rc;
}

int mgr_run_show(struct mgr_run *run, const char *rev,
                 struct mgr_error *err)
{
    return run_result(run, show(&run->ctx, rev), err);
}
