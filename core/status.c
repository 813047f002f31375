/*
 * status.c: mgr_project_status(), where a database stands, read-only: it
 * connects without the lock, reads the version rows and the log if they
 * exist, and creates and writes nothing (a standby can answer).
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "plan.h"
#include "project.h"
#include "runner.h"
#include "util.h"

static const char *const state_names[] = {
    [MGR_DB_UP_TO_DATE] = "up to date",
    [MGR_DB_BEHIND] = "behind",
    [MGR_DB_AHEAD] = "ahead",
    [MGR_DB_DIVERGED] = "diverged",
    [MGR_DB_FAILED] = "failed",
    [MGR_DB_EDITED] = "edited",
};

const char *mgr_db_state_name(enum mgr_db_state state)
{
    if ((size_t)state >= sizeof(state_names) / sizeof(*state_names))
        return "unknown";
    return state_names[state];
}

void mgr_db_status_free(struct mgr_db_status *s)
{
    if (!s)
        return;
    mgr_strings_free(s->current);
    mgr_strings_free(s->pending);
    mgr_strings_free(s->unknown);
    free(s);
}

/* The rows that name no revision of the graph. */
static void find_unknown(const struct graph *g, const struct plan_rows *rows,
                         struct mgr_db_status *s)
{
    const char **unknown = xcalloc(rows->len + 1, sizeof(*unknown));
    size_t n = 0;

    for (size_t i = 0; i < rows->len; i++)
        if (graph_find(g, rows->ids[i]) == GRAPH_NONE)
            unknown[n++] = rows->ids[i];
    s->unknown = project_strings(unknown, n);
    s->nunknown = n;
    free(unknown);
}

/* What an upgrade to heads would run. */
static int find_pending(struct mgr_ctx *ctx, const struct plan_rows *rows,
                        struct mgr_db_status *s)
{
    struct plan p = PLAN_INIT;
    const char **ids;
    int rc;

    rc = plan_upgrade(ctx->graph, (const char *const *)rows->ids, rows->len,
                      "heads", &p, &ctx->err);
    if (rc != MGR_OK)
        return rc;
    ids = xcalloc(p.nsteps + 1, sizeof(*ids));
    for (size_t i = 0; i < p.nsteps; i++)
        ids[i] = p.steps[i].rev->id;
    s->pending = project_strings(ids, p.nsteps);
    s->npending = p.nsteps;
    free(ids);
    plan_release(&p);
    return MGR_OK;
}

/* A check of runner_check_integrity() that failed: which state it is. */
static enum mgr_db_state integrity_state(int rc)
{
    return rc == MGR_ECHECKSUM ? MGR_DB_EDITED : MGR_DB_FAILED;
}

static int diagnose(struct runner *r, const struct plan_rows *rows,
                    struct mgr_db_status *s)
{
    struct mgr_ctx *ctx = r->ctx;
    int rc;

    find_unknown(ctx->graph, rows, s);
    if (s->nunknown) {
        s->state = MGR_DB_AHEAD;
        snprintf(s->detail, sizeof(s->detail),
                 "the database has %zu revision(s) the scripts lack, first "
                 "'%s': deploy the scripts that applied them",
                 s->nunknown, s->unknown[0]);
        return MGR_OK;
    }
    rc = runner_check_integrity(r, rows);
    if (rc == MGR_EINTEGRITY || rc == MGR_ECHECKSUM) {
        s->state = integrity_state(rc);
        snprintf(s->detail, sizeof(s->detail), "%s", ctx->err.msg);
        rc = MGR_OK;
    } else if (rc == MGR_OK &&
               runner_check_rows_consistent(r, rows) != MGR_OK) {
        s->state = MGR_DB_DIVERGED;
        snprintf(s->detail, sizeof(s->detail), "%s", ctx->err.msg);
    } else if (rc == MGR_OK) {
        rc = find_pending(ctx, rows, s);
        s->state = s->npending ? MGR_DB_BEHIND : MGR_DB_UP_TO_DATE;
        if (rc == MGR_OK && s->npending)
            snprintf(s->detail, sizeof(s->detail),
                     "%zu revision(s) pending, first '%s': run 'migrator "
                     "upgrade heads'",
                     s->npending, s->pending[0]);
    }
    return rc;
}

int mgr_project_status(struct mgr_project *p,
                       struct mgr_db_status **status_out,
                       struct mgr_error *err)
{
    struct mgr_ctx *ctx = &p->ctx;
    struct mgr_db_status *s = xcalloc(1, sizeof(*s));
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct runner r;
    int rc;

    memset(&ctx->err, 0, sizeof(ctx->err));
    rc = runner_open(&r, ctx, false);
    if (rc == MGR_OK) {
        rc = runner_read_rows(&r, &rows);
        if (rc == MGR_OK) {
            s->current = project_strings((const char *const *)rows.ids,
                                         rows.len);
            s->ncurrent = rows.len;
            rc = diagnose(&r, &rows, s);
        }
        runner_close(&r);
    }
    plan_rows_release(&rows);
    if (rc != MGR_OK) {
        if (err)
            *err = ctx->err;
        mgr_db_status_free(s);
        return rc;
    }
    *status_out = s;
    return MGR_OK;
}
