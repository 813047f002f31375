/*
 * integrity.c: what must hold before a run changes anything (reliability
 * R4, R10): every version row names a script, no transaction=false
 * revision awaits `resolve`, and every applied script still has the
 * checksum it was applied with.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "loader.h"
#include "runner.h"
#include "script_cache.h"
#include "util.h"

/* The latest log row of each revision with one of the given directions,
 * as indices into log (GRAPH_NONE: none). */
static size_t *latest_rows(const struct graph *g,
                           const struct vtable_log_rows *log,
                           bool (*wanted)(const struct vtable_log_row *))
{
    size_t *latest = xcalloc(g->n + 1, sizeof(*latest));

    for (size_t i = 0; i < g->n; i++)
        latest[i] = GRAPH_NONE;
    for (size_t i = 0; i < log->len; i++) {
        size_t node = graph_find(g, log->v[i].revision);

        if (node != GRAPH_NONE && wanted(&log->v[i]))
            latest[node] = i;
    }
    return latest;
}

static bool defines_checksum(const struct vtable_log_row *row)
{
    return (strcmp(row->direction, "upgrade") == 0 ||
            strcmp(row->direction, "accept") == 0) &&
           row->checksum[0] &&
           (strcmp(row->status, VTABLE_APPLIED) == 0 ||
            strcmp(row->status, "resolved-applied") == 0);
}

static bool any_row(const struct vtable_log_row *row)
{
    (void)row;
    return true;
}

/* A revision whose last record is pending or failed awaits resolve. */
static int check_unresolved(struct runner *r,
                            const struct vtable_log_rows *log)
{
    const struct graph *g = r->ctx->graph;
    size_t *latest = latest_rows(g, log, any_row);
    int rc = MGR_OK;

    for (size_t i = 0; i < g->n && rc == MGR_OK; i++) {
        const struct vtable_log_row *row;

        if (latest[i] == GRAPH_NONE)
            continue;
        row = &log->v[latest[i]];
        if (strcmp(row->status, VTABLE_PENDING) == 0 ||
            strcmp(row->status, VTABLE_FAILED) == 0)
            rc = mgr_error_set(&r->ctx->err, MGR_EINTEGRITY,
                               "revision %s ran outside a transaction and "
                               "is %s%s%s; check the database, then run "
                               "'migrator resolve %s --mark-applied' or "
                               "'--mark-rolled-back'",
                               row->revision, row->status,
                               row->detail[0] ? " at " : "", row->detail,
                               row->revision);
    }
    free(latest);
    return rc;
}

static int check_checksums(struct runner *r, const struct plan_rows *rows,
                           const struct vtable_log_rows *log)
{
    const struct graph *g = r->ctx->graph;
    unsigned char *applied = xcalloc(g->n + 1, 1);
    size_t *latest = latest_rows(g, log, defines_checksum);
    struct graph_list starts = GRAPH_LIST_INIT;
    size_t bad = 0, first = GRAPH_NONE;
    char first_sum[CHECKSUM_ANY_SIZE] = "";
    int rc = MGR_OK;

    for (size_t i = 0; i < rows->len; i++)
        graph_list_push(&starts, graph_find(g, rows->ids[i]));
    graph_mark_ancestors(g, starts.v, starts.len, true, applied);
    for (size_t i = 0; i < g->n && rc == MGR_OK; i++) {
        char sum[CHECKSUM_ANY_SIZE];
        const char *text;
        size_t len;
        bool match = false;

        if (!applied[i] || latest[i] == GRAPH_NONE)
            continue;
        /* Compared in the notation it was recorded in (checksum.h),
         * over the text this run reads (script_cache.h). */
        rc = script_cache_text(plugin_set_scripts(r->ctx->plugins),
                               g->nodes[i].rev->path, &text, &len,
                               &r->ctx->err);
        if (rc == MGR_OK)
            rc = checksum_matches(text, len, log->v[latest[i]].checksum,
                                  &match, sum, &r->ctx->err);
        if (rc == MGR_EINTEGRITY)
            mgr_error_prefix(&r->ctx->err, "%s (%s): ", g->nodes[i].rev->id,
                             VTABLE_LOG_NAME);
        if (rc == MGR_OK && !match && !bad++) {
            first = i;
            memcpy(first_sum, sum, sizeof(sum));
        }
    }
    if (rc == MGR_OK && bad)
        rc = mgr_error_set(&r->ctx->err, MGR_ECHECKSUM,
                           "checksum mismatch for %s (%s): applied %s, file "
                           "%s%s; restore the script, or accept the edit "
                           "(recorded in %s) with 'migrator resolve %s "
                           "--accept-checksum'",
                           g->nodes[first].rev->id,
                           g->nodes[first].rev->path,
                           log->v[latest[first]].checksum, first_sum,
                           bad > 1 ? " (and more: see 'migrator verify')"
                                   : "",
                           VTABLE_LOG_NAME, g->nodes[first].rev->id);
    graph_list_release(&starts);
    free(latest);
    free(applied);
    return rc;
}

int runner_check_rows_known(struct runner *r, const struct plan_rows *rows)
{
    for (size_t i = 0; i < rows->len; i++)
        if (graph_find(r->ctx->graph, rows->ids[i]) == GRAPH_NONE)
            return mgr_error_set(&r->ctx->err, MGR_EINTEGRITY,
                                 "revision %s is recorded in %s but no "
                                 "script defines it; restore its script, "
                                 "or set the table with 'migrator stamp "
                                 "--purge REVISION'",
                                 rows->ids[i], r->vt.table);
    return MGR_OK;
}

int runner_check_integrity(struct runner *r, const struct plan_rows *rows)
{
    struct vtable_log_rows log = VTABLE_LOG_ROWS_INIT;
    int rc = runner_check_rows_known(r, rows);

    if (rc == MGR_OK)
        rc = vtable_log_read(&r->vt, &log, &r->ctx->err);
    if (rc == MGR_OK)
        rc = check_unresolved(r, &log);
    if (rc == MGR_OK)
        rc = check_checksums(r, rows, &log);
    vtable_log_rows_release(&log);
    return rc;
}

int runner_check_rows_consistent(struct runner *r,
                                 const struct plan_rows *rows)
{
    const struct graph *g = r->ctx->graph;
    unsigned char *below = xcalloc(g->n + 1, 1);
    struct graph_list parents = GRAPH_LIST_INIT;
    int rc = MGR_OK;

    /* Everything strictly below some row. */
    for (size_t i = 0; i < rows->len; i++) {
        const struct graph_node *node = &g->nodes[graph_find(g, rows->ids[i])];

        for (size_t k = 0; k < node->nnorm; k++)
            graph_list_push(&parents, node->norm[k]);
    }
    graph_mark_ancestors(g, parents.v, parents.len, true, below);
    for (size_t i = 0; i < rows->len && rc == MGR_OK; i++)
        if (below[graph_find(g, rows->ids[i])])
            rc = mgr_error_set(&r->ctx->err, MGR_EINTEGRITY,
                               "the version table is inconsistent: %s is "
                               "recorded, and so is a revision above it, "
                               "so what lies between may never have run "
                               "(revisions applied out of order?); check "
                               "the database, then set the table with "
                               "'migrator stamp --purge' to the revisions "
                               "it really holds",
                               rows->ids[i]);
    graph_list_release(&parents);
    free(below);
    return rc;
}
