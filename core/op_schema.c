/*
 * op_schema.c: the commands that read the live schema: revision
 * --autogenerate (its schema side), check (its schema side), baseline and
 * schema dump.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fileio.h"
#include "op_revision.h"
#include "report.h"
#include "run.h"
#include "runner.h"
#include "schema_diff.h"
#include "schema_ops.h"
#include "schema_record.h"
#include "schema_script.h"
#include "schema_source.h"

/* A finished schema with nothing in it: the far side of a dump. */
static struct schema *empty_schema(const struct mgr_ctx *ctx)
{
    struct naming_convention nc;
    struct schema *s = schema_new();

    schema_source_naming(ctx, &nc);
    schema_finish(s, &nc, false);
    return s;
}

/* The steps from from to to, rendered. */
static int render_diff(struct mgr_ctx *ctx, struct db *db,
                       const struct schema *from, const struct schema *to,
                       struct mgr_buf *out, unsigned *flags_out,
                       size_t *nsteps_out)
{
    struct schema_diff d = SCHEMA_DIFF_INIT;
    int rc;

    rc = schema_diff(from, to, &d, &ctx->err);
    if (rc == MGR_OK)
        rc = schema_script_render(db, &d, out, flags_out, &ctx->err);
    if (nsteps_out)
        *nsteps_out = d.n;
    schema_diff_release(&d);
    return rc;
}

/* Both sections: from -> to in the upgrade, back in the downgrade. */
static int render_both(struct mgr_ctx *ctx, struct db *db,
                       const struct schema *from, const struct schema *to,
                       struct script_bodies *bodies, size_t *nsteps_out)
{
    int rc;

    rc = render_diff(ctx, db, from, to, &bodies->upgrade,
                     &bodies->upgrade_flags, nsteps_out);
    if (rc == MGR_OK)
        rc = render_diff(ctx, db, to, from, &bodies->downgrade,
                         &bodies->downgrade_flags, NULL);
    return rc;
}

static int require_heads(struct mgr_ctx *ctx, struct runner *r)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    int rc;

    rc = runner_read_rows(r, &rows);
    if (rc == MGR_OK)
        rc = runner_check_rows_known(r, &rows);
    if (rc == MGR_OK &&
        !plan_rows_are_heads(ctx->graph, (const char *const *)rows.ids,
                             rows.len, true))
        rc = mgr_error_set(&ctx->err, MGR_ECHECK,
                           "the database is not up to date; run 'migrator "
                           "upgrade heads' before --autogenerate");
    plan_rows_release(&rows);
    return rc;
}

int schema_autogenerate(struct mgr_ctx *ctx, struct script_bodies *bodies,
                        bool *nothing_out)
{
    struct schema *live = NULL, *wanted = NULL;
    struct runner r;
    bool present = false;
    size_t nsteps = 0;
    int rc;

    rc = runner_open(&r, ctx, false);
    if (rc != MGR_OK)
        return rc;
    if (!schema_source_supported(&r.db, "--autogenerate", &ctx->err))
        rc = ctx->err.code;
    if (rc == MGR_OK)
        rc = require_heads(ctx, &r);
    if (rc == MGR_OK)
        rc = schema_source_live(ctx, &r.db, &live);
    if (rc == MGR_OK)
        rc = schema_source_wanted(ctx, &r.db, &wanted, &present);
    if (rc == MGR_OK && !present)
        rc = mgr_error_set(&ctx->err, MGR_ECONFIG,
                           "--autogenerate compares the database with "
                           "schema_file, and '%s' does not exist",
                           config_get(ctx->config, "schema_file"));
    if (rc == MGR_OK)
        rc = render_both(ctx, &r.db, live, wanted, bodies, &nsteps);
    *nothing_out = rc == MGR_OK && nsteps == 0;
    runner_close(&r);
    schema_free(live);
    schema_free(wanted);
    return rc;
}

/* ---- check ------------------------------------------------------------ */

int schema_list_differences(struct mgr_ctx *ctx, const struct schema *from,
                            const struct schema *to, bool past,
                            const char *prefix, const char *suffix,
                            size_t *count)
{
    struct schema_diff d = SCHEMA_DIFF_INIT;
    struct mgr_buf line = MGR_BUF_INIT;
    int rc;

    rc = schema_diff(from, to, &d, &ctx->err);
    for (size_t i = 0; rc == MGR_OK && i < d.n; i++) {
        mgr_buf_reset(&line);
        mgr_buf_addstr(&line, prefix);
        schema_change_describe(d.changes[i], past, &line);
        mgr_buf_addstr(&line, suffix);
        mgr_buf_addch(&line, '\n');
        report_output(ctx->report, line.buf, line.len);
        (*count)++;
    }
    mgr_buf_release(&line);
    schema_diff_release(&d);
    return rc;
}

int schema_check(struct runner *r, const struct plan_rows *rows,
                 size_t *count_out)
{
    struct mgr_ctx *ctx = r->ctx;
    struct schema *live = NULL, *recorded = NULL, *wanted = NULL;
    char *heads = NULL;
    bool present = false;
    int rc;

    *count_out = 0;
    if (!schema_source_supported(&r->db, "check", NULL))
        return MGR_OK;
    rc = schema_source_live(ctx, &r->db, &live);
    if (rc == MGR_OK) {
        heads = schema_record_heads(rows);
        rc = schema_record_read(r, heads, &recorded);
    }
    if (rc == MGR_OK && recorded)
        rc = schema_list_differences(ctx, recorded, live, true, "",
                              " outside migrations", count_out);
    if (rc == MGR_OK)
        rc = schema_source_wanted(ctx, &r->db, &wanted, &present);
    if (rc == MGR_OK && present)
        rc = schema_list_differences(ctx, live, wanted, false, "schema_file: ", "",
                              count_out);
    free(heads);
    schema_free(live);
    schema_free(recorded);
    schema_free(wanted);
    return rc;
}

/* ---- schema dump ------------------------------------------------------ */

static int schema_dump(struct mgr_ctx *ctx, const char *path)
{
    struct schema *live = NULL, *empty = empty_schema(ctx);
    struct mgr_buf sql = MGR_BUF_INIT;
    unsigned flags = 0;
    struct runner r;
    int rc;

    rc = runner_open(&r, ctx, false);
    if (rc != MGR_OK) {
        schema_free(empty);
        return rc;
    }
    rc = schema_source_live(ctx, &r.db, &live);
    if (rc == MGR_OK)
        rc = render_diff(ctx, &r.db, empty, live, &sql, &flags, NULL);
    runner_close(&r);
    if (rc == MGR_OK && path)
        rc = file_replace(path, sql.buf, sql.len, 0644, &ctx->err);
    else if (rc == MGR_OK)
        report_output(ctx->report, sql.buf, sql.len);
    mgr_buf_release(&sql);
    schema_free(live);
    schema_free(empty);
    return rc;
}

int mgr_run_schema_dump(struct mgr_run *run, const char *path,
                        struct mgr_error *err)
{
    return run_result(run, schema_dump(&run->ctx, path), err);
}

/* ---- baseline --------------------------------------------------------- */

static int refuse_versioned(struct runner *r)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    bool exists = false;
    int rc;

    rc = vtable_read(&r->vt, &rows, &exists, &r->ctx->err);
    plan_rows_release(&rows);
    if (rc == MGR_OK && exists)
        rc = mgr_error_set(&r->ctx->err, MGR_EUSAGE,
                           "the database has a version table ('%s'): "
                           "baseline is for a database that no migration "
                           "tool manages yet; see 'migrator current' and "
                           "'migrator stamp'",
                           r->vt.table);
    return rc;
}

/* Stamp the database at id, with its log row, in one transaction. */
static int stamp_baseline(struct runner *r, const char *id)
{
    struct plan_op insert = { PLAN_INSERT, NULL, id };
    struct vtable_log_entry entry = { id, "stamp", VTABLE_APPLIED, "", 0,
                                      "baseline" };
    struct mgr_error ignored;
    int rc;

    rc = runner_ensure_tables(r);
    if (rc == MGR_OK)
        rc = r->db.ops->begin(r->db.conn, &r->ctx->err);
    if (rc != MGR_OK)
        return rc;
    rc = vtable_apply(&r->vt, &insert, &r->ctx->err);
    if (rc == MGR_OK)
        rc = vtable_log(&r->vt, &entry, &r->ctx->err);
    if (rc == MGR_OK)
        return r->db.ops->commit(r->db.conn, &r->ctx->err);
    memset(&ignored, 0, sizeof(ignored));
    r->db.ops->rollback(r->db.conn, &ignored);
    return rc;
}

static int baseline(struct mgr_ctx *ctx,
                    const struct mgr_revision_options *opts)
{
    struct schema *live = NULL, *empty = empty_schema(ctx);
    struct script_bodies bodies;
    char id[33] = "";
    struct runner r;
    int rc;

    script_bodies_init(&bodies);
    runner_catch_signals();
    rc = runner_open(&r, ctx, true);
    if (rc != MGR_OK)
        goto out;
    if (!schema_source_supported(&r.db, "baseline", &ctx->err))
        rc = ctx->err.code;
    if (rc == MGR_OK)
        rc = refuse_versioned(&r);
    if (rc == MGR_OK)
        rc = schema_source_live(ctx, &r.db, &live);
    if (rc == MGR_OK && schema_count(live) == 0)
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "the database has no tables: nothing to "
                           "baseline; write the first revision with "
                           "'migrator revision'");
    if (rc == MGR_OK)
        rc = render_both(ctx, &r.db, empty, live, &bodies, NULL);
    if (rc == MGR_OK)
        rc = revision_write_new(ctx, opts, &bodies, id);
    if (rc == MGR_OK)
        rc = stamp_baseline(&r, id);
    if (rc == MGR_OK)
        rc = schema_record_write(&r, id, live);
    if (rc == MGR_OK && ctx->verbosity >= 0)
        report_outputf(ctx->report, "Stamped the database at %s\n", id);
    runner_close(&r);
out:
    script_bodies_release(&bodies);
    schema_free(live);
    schema_free(empty);
    return rc;
}

int mgr_run_baseline(struct mgr_run *run,
                     const struct mgr_revision_options *opts,
                     struct mgr_error *err)
{
    return run_result(run, baseline(&run->ctx, opts), err);
}
