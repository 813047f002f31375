/*
 * sqlite_capture.c: the schema as the statements that make it again
 * (mgr_dialect_ops.capture).
 *
 * An SQLite schema is its sqlite_schema rows: the CREATE text of every
 * table, index and view, kept as it was written (ALTER TABLE rewrites
 * it). Reading them is one query, where introspect runs pragmas for
 * every table; run in order on a memory database, they make the same
 * schema, which the host introspects when it compares. Tables come
 * first, then indexes, then views (a view is only checked when used, so
 * views on views need no order). Triggers are left out: the schema model
 * has none. A virtual table needs its module, which the scratch database
 * may not have: such a schema is not captured.
 */
#include "autoconfig.h"

#include <string.h>

#include "sqlite.h"

struct capture {
    const struct mgr_introspect_request *req;
    const struct mgr_host_api *api;
    struct mgr_buf *out;
    int virtual_table; /* one was seen: not captured */
};

/* type, tbl_name, sql */
static int statement_row(void *ctx, size_t ncols, const char *const *names,
                         const char *const *v)
{
    struct capture *cap = ctx;
    static const char virtual_prefix[] = "CREATE VIRTUAL TABLE";

    (void)ncols;
    (void)names;
    if (sqlite3_strnicmp(v[2], virtual_prefix,
                         (int)sizeof(virtual_prefix) - 1) == 0)
        cap->virtual_table = 1;
    if (cap->virtual_table || sq_excluded(cap->req, v[1]))
        return MGR_OK;
    cap->api->buf_add(cap->out, v[2], strlen(v[2]));
    cap->api->buf_add(cap->out, ";\n", 2);
    return MGR_OK;
}

/* Only the main database: the scratch database has no others. */
static int main_only(const struct mgr_introspect_request *req)
{
    return req->nschemas == 0 ||
           (req->nschemas == 1 && sq_name_eq(req->schemas[0], "main"));
}

int sq_capture(void *conn, const struct mgr_introspect_request *req,
               struct mgr_buf *out, int *captured_out, struct mgr_error *err)
{
    static const char q_statements[] =
        "SELECT type, tbl_name, sql FROM main.sqlite_schema "
        "WHERE sql IS NOT NULL AND type IN ('table', 'index', 'view') "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 "
        "ELSE 2 END, rowid";
    struct sq_conn *c = conn;
    struct capture cap;
    size_t start = out->len;
    int rc;

    *captured_out = 0;
    if (!main_only(req))
        return MGR_OK;
    memset(&cap, 0, sizeof(cap));
    cap.req = req;
    cap.api = c->st->api;
    cap.out = out;
    rc = sq_query(c, q_statements, NULL, 0, statement_row, &cap, NULL,
                  NULL, err);
    if (rc != MGR_OK || cap.virtual_table) {
        c->st->api->buf_setlen(out, start);
        return rc;
    }
    *captured_out = 1;
    return MGR_OK;
}
