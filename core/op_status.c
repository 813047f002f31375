/*
 * op_status.c: the commands of <migrator/commands.h> that read the
 * version table without changing the schema: current, check,
 * ensure-version.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "grant_hint.h"
#include "offline.h"
#include "report.h"
#include "revfmt.h"
#include "run.h"
#include "runner.h"
#include "schema_ops.h"

static int current(struct mgr_ctx *ctx, bool verbose, bool check_heads)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct mgr_buf heading = MGR_BUF_INIT;
    struct report_lister l = { ctx->report, ctx->graph, MGR_REC_CURRENT,
                               verbose };
    struct runner r;
    int rc;

    rc = runner_open(&r, ctx, false);
    if (rc != MGR_OK)
        return rc;
    rc = runner_read_rows(&r, &rows);
    if (rc == MGR_OK)
        rc = runner_check_rows_known(&r, &rows);
    rc = grant_hint_read(&r, rc);
    if (rc == MGR_OK && verbose) {
        mgr_buf_addstr(&heading, "Current revision(s) for ");
        db_masked_url(&r.db, &heading);
        mgr_buf_addstr(&heading, ":\n");
        report_output(ctx->report, heading.buf, heading.len);
    }
    runner_close(&r);
    if (rc == MGR_OK)
        rc = revfmt_current_each(ctx->graph, (const char *const *)rows.ids,
                                 rows.len, verbose, report_list_item, &l,
                                 &ctx->err);
    if (rc == MGR_OK && check_heads &&
        !plan_rows_are_heads(ctx->graph, (const char *const *)rows.ids,
                             rows.len, false))
        rc = mgr_error_set(&ctx->err, MGR_ECHECK,
                           "the database is not on all head revisions; run "
                           "'migrator upgrade heads'");
    mgr_buf_release(&heading);
    plan_rows_release(&rows);
    return rc;
}

int mgr_run_current(struct mgr_run *run, bool verbose, bool check_heads,
                    struct mgr_error *err)
{
    return run_result(run, current(&run->ctx, verbose, check_heads), err);
}

/* check on a database migrator never ran on: it says so, and creates
 * nothing (check only reads, and works with a SELECT-only role). */
static int not_initialised(struct runner *r)
{
    return mgr_error_set(&r->ctx->err, MGR_ECHECK,
                         "the database is not initialised: it has no "
                         "version table %s; run 'migrator upgrade heads' "
                         "to apply the scripts, or 'migrator stamp heads' "
                         "if the schema is there already",
                         r->vt.qtable.buf);
}

static int check(struct mgr_ctx *ctx)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    size_t differences = 0;
    bool exists = true;
    struct runner r;
    int rc;

    /* Not read-only: comparing with schema_file may need a scratch
     * database, made through this connection. */
    rc = runner_open(&r, ctx, false);
    if (rc != MGR_OK)
        return rc;
    rc = vtable_read(&r.vt, &rows, &exists, &ctx->err);
    if (rc == MGR_OK && !exists)
        rc = not_initialised(&r);
    if (rc == MGR_OK &&
        !plan_rows_are_heads(ctx->graph, (const char *const *)rows.ids,
                             rows.len, true))
        rc = mgr_error_set(&ctx->err, MGR_ECHECK,
                           "the database is not up to date; run 'migrator "
                           "upgrade heads'");
    if (rc == MGR_OK)
        rc = schema_check(&r, &rows, &differences);
    rc = grant_hint_read(&r, rc);
    runner_close(&r);
    if (rc == MGR_OK && differences)
        rc = mgr_error_set(&ctx->err, MGR_ECHECK,
                           "the schema differs in %zu place%s (above)",
                           differences, differences == 1 ? "" : "s");
    if (rc == MGR_OK && ctx->verbosity >= 0)
        report_outputf(ctx->report,
                       "The database is at the head revisions.\n");
    plan_rows_release(&rows);
    return rc;
}

int mgr_run_check(struct mgr_run *run, struct mgr_error *err)
{
    return run_result(run, check(&run->ctx), err);
}

static int ensure_version(struct mgr_ctx *ctx, bool sql)
{
    struct runner r;
    int rc;

    if (sql) {
        struct offline_opts o = { 0 };
        struct mgr_buf text = MGR_BUF_INIT;

        o.version_table = config_get(ctx->config, "version_table");
        o.schema = config_get(ctx->config, "version_table_schema");
        offline_create_table(&o, &text);
        report_output(ctx->report, text.buf, text.len);
        mgr_buf_release(&text);
        return MGR_OK;
    }
    rc = runner_open(&r, ctx, true);
    if (rc != MGR_OK)
        return rc;
    rc = runner_ensure_tables(&r);
    runner_close(&r);
    return rc;
}

int mgr_run_ensure_version(struct mgr_run *run, bool sql,
                           struct mgr_error *err)
{
    return run_result(run, ensure_version(&run->ctx, sql), err);
}
