/*
 * op_integrity.c: resolve and verify of <migrator/commands.h>, the
 * integrity commands.
 *
 * resolve settles what migrator refuses to guess: a transaction=false
 * revision that failed part-way (the user says whether it is applied or
 * rolled back), or an applied script that was edited on purpose (the new
 * checksum is accepted, and the acceptance is logged).
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "grant_hint.h"
#include "report.h"
#include "run.h"
#include "runner.h"
#include "tableformat.h"
#include "target.h"

/* The newest log row of rev, or NULL. */
static const struct vtable_log_row *
last_record(const struct vtable_log_rows *log, const char *rev)
{
    const struct vtable_log_row *last = NULL;

    for (size_t i = 0; i < log->len; i++)
        if (strcmp(log->v[i].revision, rev) == 0)
            last = &log->v[i];
    return last;
}

static bool unresolved(const struct vtable_log_row *row)
{
    return row && (strcmp(row->status, VTABLE_PENDING) == 0 ||
                   strcmp(row->status, VTABLE_FAILED) == 0);
}

/* The one step that finishes rev's interrupted run. */
static int finishing_plan(struct mgr_ctx *ctx, const struct plan_rows *rows,
                          const struct vtable_log_row *row, struct plan *p)
{
    const char *const *ids = (const char *const *)rows->ids;
    struct mgr_buf target = MGR_BUF_INIT;
    int rc;

    if (strcmp(row->direction, "downgrade") == 0) {
        mgr_buf_addf(&target, "%s-1", row->revision);
        rc = plan_downgrade(ctx->graph, ids, rows->len, target.buf, p,
                            &ctx->err);
    } else {
        rc = plan_upgrade(ctx->graph, ids, rows->len, row->revision, p,
                          &ctx->err);
    }
    mgr_buf_release(&target);
    if (rc == MGR_OK &&
        (p->nsteps != 1 || strcmp(p->steps[0].rev->id, row->revision) != 0))
        rc = mgr_error_set(&ctx->err, MGR_EINTEGRITY,
                           "cannot tell the version-table change that "
                           "finishes %s from here; set the table with "
                           "'migrator stamp', then run 'migrator resolve %s "
                           "--mark-rolled-back'",
                           row->revision, row->revision);
    return rc;
}

static int mark_applied(struct runner *r, const struct plan_rows *rows,
                        const struct vtable_log_row *row)
{
    struct plan p = PLAN_INIT;
    int rc = finishing_plan(r->ctx, rows, row, &p);

    if (rc == MGR_OK)
        rc = r->db.ops->begin(r->db.conn, &r->ctx->err);
    r->in_transaction = rc == MGR_OK;
    for (size_t k = 0; rc == MGR_OK && k < p.steps[0].nops; k++)
        rc = vtable_apply(&r->vt, &p.steps[0].ops[k], &r->ctx->err);
    if (rc == MGR_OK)
        rc = vtable_log_set_status(&r->vt, row->revision, row->status,
                                   "resolved-applied", row->detail,
                                   &r->ctx->err);
    if (rc == MGR_OK) {
        rc = r->db.ops->commit(r->db.conn, &r->ctx->err);
        r->in_transaction = false;
    }
    plan_release(&p);
    return rc;
}

static int accept_checksum(struct runner *r, size_t node)
{
    const struct revision *rev = r->ctx->graph->nodes[node].rev;
    char sum[CHECKSUM_SIZE];
    struct vtable_log_entry e;
    int rc = checksum_file(rev->path, sum, &r->ctx->err);

    e = (struct vtable_log_entry){ rev->id, "accept", VTABLE_APPLIED, sum,
                                   0, "checksum accepted by resolve" };
    if (rc == MGR_OK)
        rc = vtable_log(&r->vt, &e, &r->ctx->err);
    if (rc == MGR_OK && r->ctx->verbosity >= 0)
        report_outputf(r->ctx->report, "accepted %s for %s\n", sum,
                       rev->id);
    return rc;
}

static int resolve(struct mgr_ctx *ctx, const char *spec,
                   enum mgr_resolve_action action)
{
    struct vtable_log_rows log = VTABLE_LOG_ROWS_INIT;
    struct plan_rows rows = PLAN_ROWS_INIT;
    const struct vtable_log_row *row;
    struct runner r;
    size_t node = GRAPH_NONE;
    int rc;

    rc = target_resolve_one(ctx->graph, spec, &node, &ctx->err);
    if (rc == MGR_OK && node == GRAPH_NONE)
        rc = mgr_error_set(&ctx->err, MGR_EREVISION,
                           "resolve needs a revision, not '%s'", spec);
    if (rc != MGR_OK)
        return rc;
    rc = runner_open(&r, ctx, true);
    if (rc != MGR_OK)
        return rc;
    rc = runner_ensure_tables(&r);
    if (rc == MGR_OK)
        rc = runner_read_rows(&r, &rows);
    if (rc == MGR_OK)
        rc = vtable_log_read(&r.vt, &log, &ctx->err);
    row = last_record(&log, graph_id(ctx->graph, node));
    if (rc == MGR_OK && action != MGR_RESOLVE_ACCEPT_CHECKSUM &&
        !unresolved(row))
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "%s is not waiting to be resolved (its last "
                           "record is %s)",
                           graph_id(ctx->graph, node),
                           row ? row->status : "missing");
    if (rc == MGR_OK && action == MGR_RESOLVE_APPLIED)
        rc = mark_applied(&r, &rows, row);
    else if (rc == MGR_OK && action == MGR_RESOLVE_ROLLED_BACK)
        rc = vtable_log_set_status(&r.vt, row->revision, row->status,
                                   "resolved-rolled-back", row->detail,
                                   &ctx->err);
    else if (rc == MGR_OK)
        rc = accept_checksum(&r, node);
    runner_close(&r);
    vtable_log_rows_release(&log);
    plan_rows_release(&rows);
    return rc;
}

int mgr_run_resolve(struct mgr_run *run, const char *rev,
                    enum mgr_resolve_action action, struct mgr_error *err)
{
    return run_result(run, resolve(&run->ctx, rev, action), err);
}

static int verify(struct mgr_ctx *ctx)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct runner r;
    int rc;

    rc = runner_open(&r, ctx, false);
    if (rc != MGR_OK)
        return rc;
    rc = tableformat_refuse_newer(&r.vt, &ctx->err);
    if (rc == MGR_OK)
        rc = runner_read_rows(&r, &rows);
    if (rc == MGR_OK)
        rc = runner_check_integrity(&r, &rows);
    rc = grant_hint_read(&r, rc); /* verify needs only SELECT */
    if (rc == MGR_OK && ctx->verbosity >= 0)
        report_outputf(ctx->report, "Every applied script matches its "
                                    "recorded checksum.\n");
    runner_close(&r);
    plan_rows_release(&rows);
    return rc;
}

int mgr_run_verify(struct mgr_run *run, struct mgr_error *err)
{
    return run_result(run, verify(&run->ctx), err);
}
