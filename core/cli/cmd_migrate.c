/*
 * cmd_migrate.c: migrator upgrade, downgrade and stamp.
 *
 * With --sql the plan is rendered as SQL text (offline mode) and no
 * database is touched; otherwise the runner applies it through the
 * dialect plugin that serves the URL.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "db.h"
#include "migrate.h"
#include "offline.h"
#include "plan.h"
#include "report.h"
#include "runner.h"
#include "util.h"

struct migrate_args {
    bool sql;
    bool purge;
    const char *tag;
    char **revs; /* the positional arguments */
    int nrevs;
};

/* "-2", "-10:base": a relative step, not an option. */
static bool is_relative_step(const char *arg)
{
    return arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9';
}

/*
 * Options may follow the revision, as in Alembic, and a revision may
 * start with '-' (downgrade -1), so this is not getopt.
 */
static int parse_args(int argc, char **argv, bool allow_purge,
                      struct migrate_args *a, struct mgr_ctx *ctx)
{
    bool options_done = false;

    memset(a, 0, sizeof(*a));
    a->revs = xcalloc((size_t)argc, sizeof(*a->revs));
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];

        if (options_done || arg[0] != '-' || is_relative_step(arg)) {
            a->revs[a->nrevs++] = argv[i];
        } else if (strcmp(arg, "--") == 0) {
            options_done = true;
        } else if (strcmp(arg, "--sql") == 0) {
            a->sql = true;
        } else if (allow_purge && strcmp(arg, "--purge") == 0) {
            a->purge = true;
        } else if (str_has_prefix(arg, "--tag=")) {
            a->tag = arg + strlen("--tag=");
        } else if (strcmp(arg, "--tag") == 0 && i + 1 < argc) {
            a->tag = argv[++i];
        } else {
            free(a->revs);
            a->revs = NULL;
            return mgr_error_set(&ctx->err, MGR_EUSAGE,
                                 "%s: unknown option '%s'; see 'migrator "
                                 "help %s'",
                                 argv[0], arg, argv[0]);
        }
    }
    return MGR_OK;
}

static int offline_options(struct mgr_ctx *ctx, struct offline_opts *o)
{
    bool per_migration = false;
    int rc;

    rc = config_get_bool(ctx->config, "transaction_per_migration",
                             &per_migration, &ctx->err);
    if (rc != MGR_OK)
        return rc;
    o->version_table = config_get(ctx->config, "version_table");
    o->schema = config_get(ctx->config, "version_table_schema");
    o->per_migration = per_migration;
    o->config = ctx->config;
    /* Both SQLite and PostgreSQL run DDL in transactions, and migrator
     * uses them on both. */
    o->transactional = true;
    return MGR_OK;
}

static int print_plan(struct mgr_ctx *ctx, const struct plan *p)
{
    struct offline_opts o;
    struct mgr_buf sql = MGR_BUF_INIT;
    struct db db;
    int rc = offline_options(ctx, &o);

    /* The URL's dialect splits the sections (no connection is made);
     * without one, sections are copied as written. */
    o.db = NULL;
    if (rc == MGR_OK && db_load_dialect(ctx, &db) == MGR_OK)
        o.db = &db;
    memset(&ctx->err, 0, sizeof(ctx->err)); /* a missing one is no error */

    if (rc == MGR_OK && p->warning)
        MGR_WARN("%s", p->warning);
    if (rc == MGR_OK)
        report_plan(ctx->report, p);
    if (rc == MGR_OK)
        rc = offline_render(p, &o, &sql, &ctx->err);
    if (rc == MGR_OK)
        report_output(ctx->report, sql.buf, sql.len);
    mgr_buf_release(&sql);
    return rc;
}

/* The revision arguments, for the reports. */
static void report_target(struct mgr_ctx *ctx, const struct migrate_args *a)
{
    struct mgr_buf target = MGR_BUF_INIT;

    for (int i = 0; i < a->nrevs; i++) {
        if (i)
            mgr_buf_addch(&target, ' ');
        mgr_buf_addstr(&target, a->revs[i]);
    }
    report_set_target(ctx->report, a->nrevs ? target.buf : NULL, a->sql);
    mgr_buf_release(&target);
}

static int one_revision(struct mgr_ctx *ctx, const struct migrate_args *a,
                        const char *cmd)
{
    if (a->nrevs == 1)
        return MGR_OK;
    return mgr_error_set(&ctx->err, MGR_EUSAGE,
                         a->nrevs ? "%s takes one revision; see 'migrator "
                                    "help %s'"
                                  : "%s needs a revision; see 'migrator "
                                    "help %s'",
                         cmd, cmd);
}

static int run_upgrade_or_downgrade(int argc, char **argv,
                                    struct mgr_ctx *ctx, bool up)
{
    struct migrate_args a;
    struct plan p = PLAN_INIT;
    int rc;

    rc = parse_args(argc, argv, false, &a, ctx);
    if (rc == MGR_OK)
        report_target(ctx, &a);
    if (rc == MGR_OK)
        rc = one_revision(ctx, &a, argv[0]);
    if (rc == MGR_OK && !a.sql && strchr(a.revs[0], ':'))
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "a range such as '%s' is allowed only with --sql",
                           a.revs[0]);
    if (rc == MGR_OK && !a.sql) {
        struct migrate_request req = { up ? PLAN_UPGRADE : PLAN_DOWNGRADE,
                                      a.revs[0], NULL, 0, false };

        rc = migrate_online(ctx, &req);
        free(a.revs);
        return rc;
    }
    if (rc == MGR_OK && !up && !strchr(a.revs[0], ':'))
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "downgrade with --sql needs a range "
                           "<fromrev>:<torev>, e.g. 'downgrade "
                           "head:base --sql'");
    if (rc == MGR_OK)
        rc = up ? plan_upgrade_offline(ctx->graph, a.revs[0], &p, &ctx->err)
                : plan_downgrade_offline(ctx->graph, a.revs[0], &p,
                                         &ctx->err);
    if (rc == MGR_OK)
        rc = print_plan(ctx, &p);
    plan_release(&p);
    free(a.revs);
    return rc;
}

int cmd_upgrade(int argc, char **argv, struct mgr_ctx *ctx)
{
    return run_upgrade_or_downgrade(argc, argv, ctx, true);
}

int cmd_downgrade(int argc, char **argv, struct mgr_ctx *ctx)
{
    return run_upgrade_or_downgrade(argc, argv, ctx, false);
}

int cmd_stamp(int argc, char **argv, struct mgr_ctx *ctx)
{
    struct migrate_args a;
    struct plan p = PLAN_INIT;
    int rc;

    rc = parse_args(argc, argv, true, &a, ctx);
    if (rc == MGR_OK)
        report_target(ctx, &a);
    if (rc == MGR_OK && a.nrevs == 0)
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "stamp needs a revision; see 'migrator help "
                           "stamp'");
    if (rc == MGR_OK && !a.sql) {
        struct migrate_request req = { PLAN_STAMP, NULL,
                                      (const char *const *)a.revs,
                                      (size_t)a.nrevs, a.purge };

        rc = migrate_online(ctx, &req);
        free(a.revs);
        return rc;
    }
    if (rc == MGR_OK && a.purge)
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "--purge cannot be used with --sql: there is no "
                           "table to purge offline");
    if (rc == MGR_OK)
        rc = plan_stamp_offline(ctx->graph, (const char *const *)a.revs,
                                (size_t)a.nrevs, a.purge, &p, &ctx->err);
    if (rc == MGR_OK)
        rc = print_plan(ctx, &p);
    plan_release(&p);
    free(a.revs);
    return rc;
}
