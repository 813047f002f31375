/*
 * op_migrate.c: upgrade, downgrade and stamp of <migrator/commands.h>.
 *
 * With sql the plan is rendered as SQL text (offline mode) and no
 * database is touched; otherwise the runner applies it through the
 * dialect plugin that serves the URL.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "migrate.h"
#include "offline.h"
#include "plan.h"
#include "protect.h"
#include "report.h"
#include "run.h"
#include "runner.h"

/* The revision arguments of a command, as given. */
struct migrate_args {
    const char *command;
    const char *const *revs;
    size_t nrevs;
    bool sql;
    bool purge;
};

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

    for (size_t i = 0; i < a->nrevs; i++) {
        if (i)
            mgr_buf_addch(&target, ' ');
        mgr_buf_addstr(&target, a->revs[i]);
    }
    report_set_target(ctx->report, a->nrevs ? target.buf : NULL, a->sql);
    mgr_buf_release(&target);
}

static int one_revision(struct mgr_ctx *ctx, const struct migrate_args *a)
{
    if (a->nrevs == 1)
        return MGR_OK;
    return mgr_error_set(&ctx->err, MGR_EUSAGE,
                         a->nrevs ? "%s takes one revision; see 'migrator "
                                    "help %s'"
                                  : "%s needs a revision; see 'migrator "
                                    "help %s'",
                         a->command, a->command);
}

static int upgrade_or_downgrade(struct mgr_ctx *ctx,
                                const struct migrate_args *a, bool up)
{
    struct plan p = PLAN_INIT;
    int rc;

    report_target(ctx, a);
    rc = one_revision(ctx, a);
    if (rc == MGR_OK && !a->sql && strchr(a->revs[0], ':'))
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "a range such as '%s' is allowed only with --sql",
                           a->revs[0]);
    if (rc == MGR_OK && !a->sql) {
        struct migrate_request req = { up ? PLAN_UPGRADE : PLAN_DOWNGRADE,
                                       a->revs[0], NULL, 0, false };

        return migrate_online(ctx, &req);
    }
    if (rc == MGR_OK && !up && !strchr(a->revs[0], ':'))
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "downgrade with --sql needs a range "
                           "<fromrev>:<torev>, e.g. 'downgrade "
                           "head:base --sql'");
    if (rc == MGR_OK)
        rc = up ? plan_upgrade_offline(ctx->graph, a->revs[0], &p,
                                       &ctx->err)
                : plan_downgrade_offline(ctx->graph, a->revs[0], &p,
                                         &ctx->err);
    if (rc == MGR_OK)
        rc = print_plan(ctx, &p);
    plan_release(&p);
    return rc;
}

int mgr_run_protected(struct mgr_run *run, bool *on_out,
                      const char **name_out, struct mgr_error *err)
{
    struct mgr_buf name = MGR_BUF_INIT;
    int rc = protect_query(&run->ctx, on_out, &name);

    free(run->protected_name);
    run->protected_name = mgr_buf_detach(&name, NULL);
    if (name_out)
        *name_out = run->protected_name;
    return run_result(run, rc, err);
}

void mgr_run_confirm(struct mgr_run *run)
{
    run->confirmed = true;
}

int mgr_run_upgrade(struct mgr_run *run, const char *const *revs,
                    size_t nrevs, bool sql, struct mgr_error *err)
{
    struct migrate_args a = { "upgrade", revs, nrevs, sql, false };

    return run_result(run, upgrade_or_downgrade(&run->ctx, &a, true), err);
}

int mgr_run_downgrade(struct mgr_run *run, const char *const *revs,
                      size_t nrevs, bool sql, struct mgr_error *err)
{
    struct migrate_args a = { "downgrade", revs, nrevs, sql, false };
    int rc = sql ? MGR_OK
                 : protect_check(&run->ctx, "downgrade", run->confirmed);

    if (rc == MGR_OK)
        rc = upgrade_or_downgrade(&run->ctx, &a, false);
    return run_result(run, rc, err);
}

static int stamp(struct mgr_ctx *ctx, const struct migrate_args *a)
{
    struct plan p = PLAN_INIT;
    int rc = MGR_OK;

    report_target(ctx, a);
    if (a->nrevs == 0)
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "stamp needs a revision; see 'migrator help "
                           "stamp'");
    if (rc == MGR_OK && !a->sql) {
        struct migrate_request req = { PLAN_STAMP, NULL, a->revs, a->nrevs,
                                       a->purge };

        return migrate_online(ctx, &req);
    }
    if (rc == MGR_OK && a->purge)
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "--purge cannot be used with --sql: there is no "
                           "table to purge offline");
    if (rc == MGR_OK)
        rc = plan_stamp_offline(ctx->graph, a->revs, a->nrevs, a->purge, &p,
                                &ctx->err);
    if (rc == MGR_OK)
        rc = print_plan(ctx, &p);
    plan_release(&p);
    return rc;
}

int mgr_run_stamp(struct mgr_run *run, const char *const *revs,
                  size_t nrevs, bool sql, bool purge, struct mgr_error *err)
{
    struct migrate_args a = { "stamp", revs, nrevs, sql, purge };
    int rc = sql || !purge ? MGR_OK
                           : protect_check(&run->ctx, "stamp --purge",
                                           run->confirmed);

    if (rc == MGR_OK)
        rc = stamp(&run->ctx, &a);
    return run_result(run, rc, err);
}
