/*
 * status_diagnose.c: where a database stands against the scripts. Reads
 * the version rows, migrator_log and migrator_lock when they exist, and
 * finds every situation that holds: rows the scripts lack (ahead), rows
 * no upgrade can follow (diverged), revisions awaiting resolve (failed),
 * edited scripts, pending revisions (behind). The primary state is the
 * one to deal with first.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "project.h"
#include "status_diagnose.h"
#include "util.h"

struct mgr_db_status *status_new(void)
{
    struct mgr_db_status *s = xcalloc(1, sizeof(*s));

    s->current = project_strings(NULL, 0);
    s->pending = project_strings(NULL, 0);
    s->unknown = project_strings(NULL, 0);
    s->heads = project_strings(NULL, 0);
    s->diverged = project_strings(NULL, 0);
    s->failed = status_scripts_new(0);
    s->edited = status_scripts_new(0);
    return s;
}

/* list (a NULL-terminated array of s) replaced by a copy of v. */
static void set_list(char ***list, size_t *n, const struct plan_rows *v)
{
    mgr_strings_free(*list);
    *list = project_strings((const char *const *)v->ids, v->len);
    *n = v->len;
}

/* The rows the graph knows into known, the others into s->unknown. */
static void split_rows(const struct graph *g, const struct plan_rows *rows,
                       struct plan_rows *known, struct mgr_db_status *s)
{
    struct plan_rows unknown = PLAN_ROWS_INIT;

    for (size_t i = 0; i < rows->len; i++)
        plan_rows_add(graph_find(g, rows->ids[i]) == GRAPH_NONE ? &unknown
                                                                 : known,
                      rows->ids[i]);
    set_list(&s->unknown, &s->nunknown, &unknown);
    if (unknown.len)
        s->states |= MGR_DB_BIT(MGR_DB_AHEAD);
    plan_rows_release(&unknown);
}

static void find_heads(const struct graph *g, struct mgr_db_status *s)
{
    struct plan_rows heads = PLAN_ROWS_INIT;

    for (size_t i = 0; i < g->nheads; i++)
        plan_rows_add(&heads, g->nodes[g->heads[i]].rev->id);
    set_list(&s->heads, &s->nheads, &heads);
    plan_rows_release(&heads);
}

/* Rows below another row: what lies between may never have run, and no
 * upgrade starts from such a set (a branch the scripts merged into a
 * revision that is recorded too). */
static void find_below(const struct graph *g, const struct plan_rows *known,
                       struct mgr_db_status *s)
{
    unsigned char *below = xcalloc(g->n + 1, 1);
    struct graph_list parents = GRAPH_LIST_INIT;
    struct plan_rows diverged = PLAN_ROWS_INIT;

    for (size_t i = 0; i < known->len; i++) {
        const struct graph_node *node =
            &g->nodes[graph_find(g, known->ids[i])];

        for (size_t k = 0; k < node->nnorm; k++)
            graph_list_push(&parents, node->norm[k]);
    }
    graph_mark_ancestors(g, parents.v, parents.len, true, below);
    for (size_t i = 0; i < known->len; i++)
        if (below[graph_find(g, known->ids[i])])
            plan_rows_add(&diverged, known->ids[i]);
    set_list(&s->diverged, &s->ndiverged, &diverged);
    if (diverged.len)
        s->states |= MGR_DB_BIT(MGR_DB_DIVERGED);
    plan_rows_release(&diverged);
    graph_list_release(&parents);
    free(below);
}

/* What `upgrade heads` would run. A plan that cannot be made from these
 * rows means they diverged from the scripts: every row is named and the
 * planner's reason kept in s->detail. */
static void find_pending(struct mgr_ctx *ctx, const struct plan_rows *known,
                         struct mgr_db_status *s)
{
    struct plan p = PLAN_INIT;
    struct plan_rows pending = PLAN_ROWS_INIT;
    struct mgr_error err;

    memset(&err, 0, sizeof(err));
    if (plan_upgrade(ctx->graph, (const char *const *)known->ids,
                     known->len, "heads", &p, &err) != MGR_OK) {
        set_list(&s->diverged, &s->ndiverged, known);
        s->states |= MGR_DB_BIT(MGR_DB_DIVERGED);
        snprintf(s->detail, sizeof(s->detail), "%s", err.msg);
        return;
    }
    for (size_t i = 0; i < p.nsteps; i++)
        plan_rows_add(&pending, p.steps[i].rev->id);
    set_list(&s->pending, &s->npending, &pending);
    if (pending.len)
        s->states |= MGR_DB_BIT(MGR_DB_BEHIND);
    plan_rows_release(&pending);
    plan_release(&p);
}

/* What needs attention first and what to run, for people. */
static void describe(struct mgr_db_status *s)
{
    char *d = s->detail;
    size_t n = sizeof(s->detail);

    switch (s->state) {
    case MGR_DB_FAILED:
        snprintf(d, n, "revision %s ran outside a transaction and is %s; "
                 "check the database, then run 'migrator resolve %s "
                 "--mark-applied' or '--mark-rolled-back'",
                 s->failed[0].revision, s->failed[0].detail,
                 s->failed[0].revision);
        break;
    case MGR_DB_EDITED:
        snprintf(d, n, "the script of revision %s (%s) was edited after "
                 "it was applied; restore it, or accept the edit with "
                 "'migrator resolve %s --accept-checksum'",
                 s->edited[0].revision, s->edited[0].path,
                 s->edited[0].revision);
        break;
    case MGR_DB_AHEAD:
        snprintf(d, n, "the database has %zu revision(s) the scripts "
                 "lack, first '%s': deploy the scripts that applied them",
                 s->nunknown, s->unknown[0]);
        break;
    case MGR_DB_DIVERGED:
        if (!*d)
            snprintf(d, n, "the version rows diverge from the scripts: %s "
                     "is recorded, and so is a revision above it; check "
                     "the database, then set the rows it really holds "
                     "with 'migrator stamp --purge REVISION...'",
                     s->diverged[0]);
        break;
    case MGR_DB_BEHIND:
        snprintf(d, n, "%zu revision(s) pending, first '%s': run "
                 "'migrator upgrade heads'",
                 s->npending, s->pending[0]);
        break;
    case MGR_DB_UP_TO_DATE:
        *d = '\0';
        break;
    }
}

static void choose_primary(struct mgr_db_status *s)
{
    static const enum mgr_db_state order[] = {
        MGR_DB_FAILED, MGR_DB_EDITED, MGR_DB_AHEAD, MGR_DB_DIVERGED,
        MGR_DB_BEHIND,
    };

    s->state = MGR_DB_UP_TO_DATE;
    for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++) {
        if (s->states & MGR_DB_BIT(order[i])) {
            s->state = order[i];
            break;
        }
    }
    if (s->state != MGR_DB_DIVERGED)
        s->detail[0] = '\0';
    describe(s);
}

static int diagnose(struct runner *r, const struct plan_rows *rows,
                    struct mgr_db_status *s, struct status_drift *drift)
{
    struct mgr_ctx *ctx = r->ctx;
    struct vtable_log_rows log = VTABLE_LOG_ROWS_INIT;
    struct plan_rows known = PLAN_ROWS_INIT;
    int rc;

    set_list(&s->current, &s->ncurrent, rows);
    find_heads(ctx->graph, s);
    split_rows(ctx->graph, rows, &known, s);
    rc = vtable_log_read(&r->vt, &log, &ctx->err);
    if (rc == MGR_OK)
        rc = status_find_scripts(r, &known, &log, s);
    if (rc == MGR_OK) {
        find_below(ctx->graph, &known, s);
        if (!s->nunknown && !s->ndiverged)
            find_pending(ctx, &known, s);
    }
    if (rc == MGR_OK)
        rc = status_find_lock(r, s);
    if (rc == MGR_OK && drift && !s->nunknown && !s->ndiverged)
        rc = status_find_drift(r, rows, drift);
    vtable_log_rows_release(&log);
    plan_rows_release(&known);
    return rc;
}

int status_diagnose(struct mgr_ctx *ctx, struct mgr_db_status *s,
                    struct status_drift *drift)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct runner r;
    int rc;

    memset(&ctx->err, 0, sizeof(ctx->err));
    rc = runner_open_read_only(&r, ctx);
    if (rc != MGR_OK)
        return rc;
    rc = runner_read_rows(&r, &rows);
    if (rc == MGR_OK)
        rc = diagnose(&r, &rows, s, drift);
    runner_close(&r);
    plan_rows_release(&rows);
    if (rc == MGR_OK)
        choose_primary(s);
    return rc;
}
