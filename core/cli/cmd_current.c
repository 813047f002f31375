/*
 * cmd_current.c: the commands that read the version table without
 * changing the schema: current, check, ensure-version.
 */
#include "autoconfig.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "offline.h"
#include "report.h"
#include "revfmt.h"
#include "runner.h"

int cmd_current(int argc, char **argv, struct mgr_ctx *ctx)
{
    static const struct option opts[] = {
        { "verbose", no_argument, NULL, 'v' },
        { "check-heads", no_argument, NULL, 'c' },
        { NULL, 0, NULL, 0 },
    };
    bool verbose = ctx->verbosity > 0, check_heads = false;
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct mgr_buf heading = MGR_BUF_INIT;
    struct report_lister l = { ctx->report, ctx->graph, MGR_REC_CURRENT,
                               false };
    struct runner r;
    int c, rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+v", opts, NULL)) != -1) {
        if (c == 'v')
            verbose = true;
        else if (c == 'c')
            check_heads = true;
        else
            return mgr_error_set(&ctx->err, MGR_EUSAGE,
                                 "current: unknown option '%s'",
                                 argv[optind - 1]);
    }
    if (optind != argc)
        return mgr_error_set(&ctx->err, MGR_EUSAGE,
                             "current takes no arguments");
    rc = runner_open(&r, ctx, false);
    if (rc != MGR_OK)
        return rc;
    rc = runner_read_rows(&r, &rows);
    if (rc == MGR_OK)
        rc = runner_check_rows_known(&r, &rows);
    if (rc == MGR_OK && verbose) {
        mgr_buf_addstr(&heading, "Current revision(s) for ");
        db_masked_url(&r.db, &heading);
        mgr_buf_addstr(&heading, ":\n");
        report_output(ctx->report, heading.buf, heading.len);
    }
    runner_close(&r);
    l.verbose = verbose;
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

int cmd_check(int argc, char **argv, struct mgr_ctx *ctx)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    int rc;

    if (argc > 1)
        return mgr_error_set(&ctx->err, MGR_EUSAGE,
                             "check takes no arguments, not '%s'", argv[1]);
    rc = runner_fetch_rows(ctx, &rows);
    if (rc == MGR_OK &&
        !plan_rows_are_heads(ctx->graph, (const char *const *)rows.ids,
                             rows.len, true))
        rc = mgr_error_set(&ctx->err, MGR_ECHECK,
                           "the database is not up to date; run 'migrator "
                           "upgrade heads'");
    if (rc == MGR_OK && ctx->verbosity >= 0)
        report_outputf(ctx->report,
                       "The database is at the head revisions.\n");
    plan_rows_release(&rows);
    return rc;
}

int cmd_ensure_version(int argc, char **argv, struct mgr_ctx *ctx)
{
    struct runner r;
    int rc;

    if (argc == 2 && strcmp(argv[1], "--sql") == 0) {
        struct offline_opts o = { 0 };
        struct mgr_buf sql = MGR_BUF_INIT;

        o.version_table = config_get(ctx->config, "version_table");
        o.schema = config_get(ctx->config, "version_table_schema");
        offline_create_table(&o, &sql);
        report_output(ctx->report, sql.buf, sql.len);
        mgr_buf_release(&sql);
        return MGR_OK;
    }
    if (argc > 1)
        return mgr_error_set(&ctx->err, MGR_EUSAGE,
                             "ensure-version takes only --sql");
    rc = runner_open(&r, ctx, true);
    if (rc != MGR_OK)
        return rc;
    rc = runner_ensure_tables(&r);
    runner_close(&r);
    return rc;
}
