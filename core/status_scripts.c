/*
 * status_scripts.c: the scripts of a status that need attention, from
 * migrator_log: transaction=false revisions whose last record is pending
 * or failed (they await `migrator resolve`), and applied scripts whose
 * checksum is no longer the one they were applied with. Unlike the
 * checks before a run (integrity.c), which stop at the first, every one
 * is listed.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "graph.h"
#include "status_diagnose.h"
#include "util.h"

struct mgr_db_script *status_scripts_new(size_t n)
{
    return xcalloc(n + 1, sizeof(struct mgr_db_script));
}

void status_scripts_free(struct mgr_db_script *v)
{
    if (!v)
        return;
    for (struct mgr_db_script *e = v; e->revision; e++) {
        free(e->revision);
        free(e->path);
        free(e->detail);
    }
    free(v);
}

static void script_set(struct mgr_db_script *e, const struct revision *rev,
                       const char *detail)
{
    e->revision = xstrdup(rev->id);
    e->path = xstrdup(rev->path);
    e->detail = xstrdup(detail);
}

/* Whether row sets the checksum a script is held to: an applied upgrade,
 * or one accepted with resolve --accept-checksum. */
static bool sets_checksum(const struct vtable_log_row *row)
{
    return (strcmp(row->direction, "upgrade") == 0 ||
            strcmp(row->direction, "accept") == 0) &&
           row->checksum[0] &&
           (strcmp(row->status, VTABLE_APPLIED) == 0 ||
            strcmp(row->status, "resolved-applied") == 0);
}

/* Per node of g: the index in log of its last row (that sets a checksum
 * when checksums), or GRAPH_NONE. */
static size_t *last_rows(const struct graph *g,
                         const struct vtable_log_rows *log, bool checksums)
{
    size_t *last = xcalloc(g->n + 1, sizeof(*last));

    for (size_t i = 0; i < g->n; i++)
        last[i] = GRAPH_NONE;
    for (size_t i = 0; i < log->len; i++) {
        size_t node = graph_find(g, log->v[i].revision);

        if (node != GRAPH_NONE && (!checksums || sets_checksum(&log->v[i])))
            last[node] = i;
    }
    return last;
}

static void find_failed(const struct graph *g,
                        const struct vtable_log_rows *log,
                        struct mgr_db_status *s)
{
    size_t *last = last_rows(g, log, false);
    struct mgr_buf detail = MGR_BUF_INIT;

    s->failed = status_scripts_new(g->n);
    for (size_t i = 0; i < g->n; i++) {
        const struct vtable_log_row *row;

        if (last[i] == GRAPH_NONE)
            continue;
        row = &log->v[last[i]];
        if (strcmp(row->status, VTABLE_PENDING) != 0 &&
            strcmp(row->status, VTABLE_FAILED) != 0)
            continue;
        mgr_buf_reset(&detail);
        mgr_buf_addstr(&detail, row->status);
        if (row->detail[0])
            mgr_buf_addf(&detail, " at %s", row->detail);
        script_set(&s->failed[s->nfailed++], g->nodes[i].rev, detail.buf);
    }
    mgr_buf_release(&detail);
    free(last);
}

/* The applied revisions: the rows and everything below them. */
static unsigned char *applied_nodes(const struct graph *g,
                                    const struct plan_rows *rows)
{
    unsigned char *applied = xcalloc(g->n + 1, 1);
    struct graph_list starts = GRAPH_LIST_INIT;

    for (size_t i = 0; i < rows->len; i++)
        graph_list_push(&starts, graph_find(g, rows->ids[i]));
    graph_mark_ancestors(g, starts.v, starts.len, true, applied);
    graph_list_release(&starts);
    return applied;
}

static int find_edited(struct runner *r, const struct plan_rows *rows,
                       const struct vtable_log_rows *log,
                       struct mgr_db_status *s)
{
    const struct graph *g = r->ctx->graph;
    unsigned char *applied = applied_nodes(g, rows);
    size_t *last = last_rows(g, log, true);
    struct mgr_buf detail = MGR_BUF_INIT;
    int rc = MGR_OK;

    s->edited = status_scripts_new(g->n);
    for (size_t i = 0; i < g->n && rc == MGR_OK; i++) {
        char sum[CHECKSUM_SIZE];
        const char *was;

        if (!applied[i] || last[i] == GRAPH_NONE)
            continue;
        rc = checksum_file(g->nodes[i].rev->path, sum, &r->ctx->err);
        was = log->v[last[i]].checksum;
        if (rc != MGR_OK || strcmp(sum, was) == 0)
            continue;
        mgr_buf_reset(&detail);
        mgr_buf_addf(&detail, "applied %s, file %s", was, sum);
        script_set(&s->edited[s->nedited++], g->nodes[i].rev, detail.buf);
    }
    mgr_buf_release(&detail);
    free(last);
    free(applied);
    return rc;
}

int status_find_scripts(struct runner *r, const struct plan_rows *rows,
                        const struct vtable_log_rows *log,
                        struct mgr_db_status *s)
{
    status_scripts_free(s->failed);
    status_scripts_free(s->edited);
    s->nfailed = s->nedited = 0;
    find_failed(r->ctx->graph, log, s);
    if (s->nfailed)
        s->states |= MGR_DB_BIT(MGR_DB_FAILED);
    if (find_edited(r, rows, log, s) != MGR_OK)
        return r->ctx->err.code;
    if (s->nedited)
        s->states |= MGR_DB_BIT(MGR_DB_EDITED);
    return MGR_OK;
}
