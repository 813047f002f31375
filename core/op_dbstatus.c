/*
 * op_dbstatus.c: `migrator status`, the diagnosis of status_diagnose.c
 * told to people: one paragraph per situation, each ending with the
 * command that settles it, as output events (so every reporter has it),
 * and the status that picks the exit code.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "dburl.h"
#include "graph.h"
#include "report.h"
#include "run.h"
#include "status_diagnose.h"

/* The text of the command, sent as one output event per line at the
 * end. */
struct say {
    struct mgr_ctx *ctx;
    struct mgr_buf text;
};

#define out(p, ...) mgr_buf_addf(&(p)->text, __VA_ARGS__)

/* "a, b, c" */
static void put_ids(struct say *ctx, char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out(ctx, "%s%s", i ? ", " : "", ids[i]);
}

/* A revision on a line of its own, with its message. */
static void put_rev(struct say *ctx, const char *id)
{
    const struct graph *g = ctx->ctx->graph;
    size_t i = graph_find(g, id);
    const char *msg = i == GRAPH_NONE ? "" : g->nodes[i].rev->message;

    out(ctx, "  %s%s%s\n", id, msg && *msg ? "  " : "", msg ? msg : "");
}

static void put_where(struct say *ctx, const struct mgr_db_status *s)
{
    struct mgr_buf url = MGR_BUF_INIT;

    dburl_mask(config_get(ctx->ctx->config, "database_url"), &url);
    out(ctx, "database: %s\ncurrent: ", url.buf);
    if (s->ncurrent)
        put_ids(ctx, s->current, s->ncurrent);
    else
        out(ctx, "none (no revision applied)");
    out(ctx, "\nheads: ");
    if (s->nheads)
        put_ids(ctx, s->heads, s->nheads);
    else
        out(ctx, "none (no scripts)");
    out(ctx, "\n");
    mgr_buf_release(&url);
}

static void put_failed(struct say *ctx, const struct mgr_db_script *f)
{
    out(ctx, "\nfailed: revision %s ran outside a transaction and is %s.\n"
             "  Its script is %s. Part of it may be in the database:\n"
             "  check which statements took effect, then say which it "
             "is:\n"
             "    migrator resolve %s --mark-applied       (it did "
             "everything)\n"
             "    migrator resolve %s --mark-rolled-back   (it left "
             "nothing behind)\n",
        f->revision, f->detail, f->path, f->revision, f->revision);
}

static void put_edited(struct say *ctx, const struct mgr_db_script *e)
{
    out(ctx, "\nedited: the script of revision %s was changed after it "
             "was applied:\n  %s\n  (%s)\n"
             "  Restore the script as it was applied, or, if the edit is "
             "right, accept it:\n"
             "    migrator resolve %s --accept-checksum\n",
        e->revision, e->path, e->detail, e->revision);
}

static void put_ahead(struct say *ctx, const struct mgr_db_status *s)
{
    out(ctx, "\nahead: the database records revisions these scripts do "
             "not have:\n");
    for (size_t i = 0; i < s->nunknown; i++)
        out(ctx, "  %s\n", s->unknown[i]);
    out(ctx, "  Newer code migrated this database: deploy the scripts "
             "that include them.\n");
}

static void put_diverged(struct say *ctx, const struct mgr_db_status *s)
{
    out(ctx, "\ndiverged: no upgrade to the heads can start from the "
             "version rows:\n");
    for (size_t i = 0; i < s->ndiverged; i++)
        put_rev(ctx, s->diverged[i]);
    if (s->state == MGR_DB_DIVERGED)
        out(ctx, "  %s\n", s->detail);
    out(ctx, "  Check what the database really holds, then record exactly "
             "that:\n    migrator stamp --purge REVISION...\n");
}

static void put_behind(struct say *ctx, const struct mgr_db_status *s)
{
    out(ctx, "\nbehind: %zu revision%s to apply, in order:\n", s->npending,
        s->npending == 1 ? "" : "s");
    for (size_t i = 0; i < s->npending; i++)
        put_rev(ctx, s->pending[i]);
    out(ctx, "  To apply them:\n    migrator upgrade heads\n");
}

static void put_heads(struct say *ctx, const struct mgr_db_status *s)
{
    out(ctx, "\nseveral heads: the scripts have %zu heads (", s->nheads);
    put_ids(ctx, s->heads, s->nheads);
    out(ctx, "); the next revision needs one. Merge them:\n"
             "    migrator merge -m \"merge heads\"");
    for (size_t i = 0; i < s->nheads; i++)
        out(ctx, " %s", s->heads[i]);
    out(ctx, "\n");
}

static void put_lock(struct say *ctx, const struct mgr_db_status *s)
{
    if (!s->lock_stale) {
        out(ctx, "\nlock: %s holds the migration lock since %s (lease "
                 "until %s): a run is in progress.\n",
            s->lock_holder, s->lock_since, s->lock_until);
        return;
    }
    out(ctx, "\nstale lock: %s took the migration lock at %s and its "
             "lease ran out at %s.\n"
             "  If that run is gone, remove its lock:\n"
             "    migrator unlock\n",
        s->lock_holder, s->lock_since, s->lock_until);
}

static void put_drift(struct say *ctx, const struct status_drift *d)
{
    out(ctx, "\ndrift: the schema changed outside migrations since "
             "migrator recorded it:\n");
    for (size_t i = 0; i < d->lines.len; i++)
        out(ctx, "  %s\n", d->lines.ids[i]);
    out(ctx, "  Undo them, or keep them: write a revision that makes "
             "them, then record it\n  as applied here:\n"
             "    migrator revision -m \"MESSAGE\"\n"
             "    migrator stamp REVISION\n");
}

/* Every situation, the first to deal with first; how many there were. */
static size_t put_situations(struct say *ctx,
                             const struct mgr_db_status *s,
                             const struct status_drift *d)
{
    size_t n = 0;

    for (size_t i = 0; i < s->nfailed; i++, n++)
        put_failed(ctx, &s->failed[i]);
    for (size_t i = 0; i < s->nedited; i++, n++)
        put_edited(ctx, &s->edited[i]);
    if (s->nunknown && ++n)
        put_ahead(ctx, s);
    if (s->ndiverged && ++n)
        put_diverged(ctx, s);
    if (s->npending && ++n)
        put_behind(ctx, s);
    if (s->nheads > 1 && ++n)
        put_heads(ctx, s);
    if (s->lock_holder) {
        put_lock(ctx, s);
        n += s->lock_stale;
    }
    if (d->lines.len && ++n)
        put_drift(ctx, d);
    if (n == 0)
        out(ctx, "\nup to date: the database is at the head and nothing "
                 "needs attention.\n");
    return n;
}

/* The status of the command: the first situation to deal with. */
static int verdict(struct mgr_ctx *ctx, const struct mgr_db_status *s,
                   const struct status_drift *d, size_t n)
{
    if (n == 0)
        return MGR_OK;
    if (s->state == MGR_DB_FAILED)
        return mgr_error_set(&ctx->err, MGR_EINTEGRITY, "%s", s->detail);
    if (s->state == MGR_DB_EDITED)
        return mgr_error_set(&ctx->err, MGR_ECHECKSUM, "%s", s->detail);
    if (s->state != MGR_DB_UP_TO_DATE)
        return mgr_error_set(&ctx->err, MGR_ECHECK, "%s", s->detail);
    if (s->nheads > 1)
        return mgr_error_set(&ctx->err, MGR_ECHECK,
                             "the scripts have %zu heads; merge them with "
                             "'migrator merge'",
                             s->nheads);
    if (s->lock_stale)
        return mgr_error_set(&ctx->err, MGR_ECHECK,
                             "a stale lock of %s is in %s; if that run is "
                             "gone, run 'migrator unlock'",
                             s->lock_holder, "migrator_lock");
    return mgr_error_set(&ctx->err, MGR_ECHECK,
                         "the schema changed outside migrations in %zu "
                         "place%s (above)",
                         d->lines.len, d->lines.len == 1 ? "" : "s");
}

/* Each line of p's text as an output event. */
static void send_lines(struct say *p)
{
    const char *line = p->text.buf, *end = line + p->text.len;

    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t n = nl ? (size_t)(nl - line) + 1 : (size_t)(end - line);

        report_output(p->ctx->report, line, n);
        line += n;
    }
}

static int status(struct mgr_ctx *ctx)
{
    struct mgr_db_status *s = status_new();
    struct status_drift drift = STATUS_DRIFT_INIT;
    struct say p = { ctx, MGR_BUF_INIT };
    size_t n;
    int rc = status_diagnose(ctx, s, &drift);

    if (rc == MGR_OK) {
        put_where(&p, s);
        n = put_situations(&p, s, &drift);
        send_lines(&p);
        rc = verdict(ctx, s, &drift, n);
    }
    mgr_buf_release(&p.text);
    status_drift_release(&drift);
    mgr_db_status_free(s);
    return rc;
}

int mgr_run_status(struct mgr_run *run, struct mgr_error *err)
{
    return run_result(run, status(&run->ctx), err);
}
