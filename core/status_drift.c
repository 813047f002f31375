/*
 * status_drift.c: what changed in the schema outside migrations: the live
 * schema against the one migrator recorded at the current rows
 * (migrator_schema, written after every run), as `check` compares them.
 * Only reads: the record, and the catalog through introspection.
 */
#include "autoconfig.h"

#include <stdlib.h>

#include "schema_diff.h"
#include "schema_model.h"
#include "schema_record.h"
#include "schema_source.h"
#include "status_diagnose.h"

static int list_changes(struct mgr_ctx *ctx, const struct schema *recorded,
                        const struct schema *live, struct plan_rows *lines)
{
    struct schema_diff d = SCHEMA_DIFF_INIT;
    struct mgr_buf line = MGR_BUF_INIT;
    int rc;

    rc = schema_diff(recorded, live, &d, &ctx->err);
    for (size_t i = 0; rc == MGR_OK && i < d.n; i++) {
        mgr_buf_reset(&line);
        schema_change_describe(d.changes[i], true, &line);
        plan_rows_add(lines, line.buf);
    }
    mgr_buf_release(&line);
    schema_diff_release(&d);
    return rc;
}

int status_find_drift(struct runner *r, const struct plan_rows *rows,
                      struct status_drift *drift)
{
    struct schema *live = NULL, *recorded = NULL;
    char *heads;
    int rc;

    if (!schema_source_supported(&r->db, "status", NULL))
        return MGR_OK;
    heads = schema_record_heads(rows);
    rc = schema_record_read(r, heads, &recorded);
    free(heads);
    if (rc != MGR_OK || !recorded)
        return rc;
    drift->compared = true;
    rc = schema_source_live(r->ctx, &r->db, &live);
    if (rc == MGR_OK)
        rc = list_changes(r->ctx, recorded, live, &drift->lines);
    schema_free(live);
    schema_free(recorded);
    return rc;
}

void status_drift_release(struct status_drift *d)
{
    plan_rows_release(&d->lines);
    d->compared = false;
}
