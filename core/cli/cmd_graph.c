/*
 * cmd_graph.c: the listing commands: heads, branches, history, show.
 * Their text is Alembic's (revfmt.h). Only `history -i`, a `current`
 * history bound and `show current` read the database.
 */
#include "autoconfig.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "report.h"
#include "revfmt.h"
#include "runner.h"

struct graph_opts {
    bool verbose;
    bool resolve_deps;
    bool indicate_current;
    const char *range;
    const char *positional;
};

/* Options of the read-only commands; allowed says which are accepted. */
static int parse_graph_opts(int argc, char **argv, const char *allowed,
                            bool want_positional, struct graph_opts *o,
                            struct mgr_ctx *ctx)
{
    static const struct option opts[] = {
        { "verbose", no_argument, NULL, 'v' },
        { "resolve-dependencies", no_argument, NULL, 'R' },
        { "indicate-current", no_argument, NULL, 'i' },
        { "rev-range", required_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    memset(o, 0, sizeof(*o));
    o->verbose = ctx->verbosity > 0;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+vir:", opts, NULL)) != -1) {
        if (c == '?' || c == ':' || !strchr(allowed, c))
            return mgr_error_set(&ctx->err, MGR_EUSAGE,
                                 "%s: unknown option or missing value in "
                                 "'%s'; see 'migrator help %s'",
                                 argv[0], argv[optind - 1], argv[0]);
        switch (c) {
        case 'v': o->verbose = true; break;
        case 'R': o->resolve_deps = true; break;
        case 'i': o->indicate_current = true; break;
        case 'r': o->range = optarg; break;
        }
    }
    if (want_positional && optind == argc - 1)
        o->positional = argv[optind++];
    if (optind != argc || (want_positional && !o->positional))
        return mgr_error_set(&ctx->err, MGR_EUSAGE,
                             want_positional
                                 ? "%s takes one revision; see 'migrator "
                                   "help %s'"
                                 : "%s takes no arguments; see 'migrator "
                                   "help %s'",
                             argv[0], argv[0]);
    return MGR_OK;
}

int cmd_heads(int argc, char **argv, struct mgr_ctx *ctx)
{
    struct graph_opts o;
    struct report_lister l = { ctx->report, ctx->graph, MGR_REC_HEAD,
                               false };
    int rc = parse_graph_opts(argc, argv, "vR", false, &o, ctx);

    if (rc != MGR_OK)
        return rc;
    l.verbose = o.verbose;
    revfmt_heads_each(ctx->graph, o.verbose, o.resolve_deps,
                      report_list_item, &l);
    return MGR_OK;
}

int cmd_branches(int argc, char **argv, struct mgr_ctx *ctx)
{
    struct graph_opts o;
    struct report_lister l = { ctx->report, ctx->graph, MGR_REC_BRANCH,
                               false };
    int rc = parse_graph_opts(argc, argv, "v", false, &o, ctx);

    if (rc != MGR_OK)
        return rc;
    l.verbose = o.verbose;
    revfmt_branches_each(ctx->graph, o.verbose, report_list_item, &l);
    return MGR_OK;
}

int cmd_history(int argc, char **argv, struct mgr_ctx *ctx)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct graph_opts o;
    struct report_lister l = { ctx->report, ctx->graph, MGR_REC_HISTORY,
                               false };
    int rc = parse_graph_opts(argc, argv, "vir", false, &o, ctx);

    if (rc != MGR_OK)
        return rc;
    report_set_target(ctx->report, o.range, false);
    if (o.range && !strchr(o.range, ':'))
        return mgr_error_set(&ctx->err, MGR_EUSAGE,
                             "history range needs a ':': use start:end, "
                             "start: or :end");
    if (revfmt_history_needs_rows(o.range, o.indicate_current))
        rc = runner_fetch_rows(ctx, &rows);
    l.verbose = o.verbose;
    /* Items are reported as they are made: a range that fails to
     * resolve fails before the first. */
    if (rc == MGR_OK)
        rc = revfmt_history_each(ctx->graph, o.range,
                                 (const char *const *)rows.ids, rows.len,
                                 o.verbose, o.indicate_current,
                                 report_list_item, &l, &ctx->err);
    plan_rows_release(&rows);
    return rc;
}

int cmd_show(int argc, char **argv, struct mgr_ctx *ctx)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct graph_opts o;
    struct report_lister l = { ctx->report, ctx->graph, MGR_REC_SHOW,
                               true };
    int rc = parse_graph_opts(argc, argv, "", true, &o, ctx);

    if (rc != MGR_OK)
        return rc;
    report_set_target(ctx->report, o.positional, false);
    if (strcmp(o.positional, "current") == 0)
        rc = runner_fetch_rows(ctx, &rows);
    if (rc == MGR_OK)
        rc = revfmt_show_each(ctx->graph, o.positional,
                              (const char *const *)rows.ids, rows.len,
                              report_list_item, &l, &ctx->err);
    plan_rows_release(&rows);
    return rc;
}
