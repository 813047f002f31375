/* schema_source.c: the live and the wanted schema; see schema_source.h. */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dburl.h"
#include "fileio.h"
#include "schema_record.h"
#include "schema_source.h"
#include "tableformat.h"
#include "tablelock.h"
#include "util.h"
#include "vtable.h"

void schema_source_naming(const struct mgr_ctx *ctx,
                          struct naming_convention *nc)
{
    memset(nc, 0, sizeof(*nc));
    nc->ix = config_get_in(ctx->config, "naming_convention", "ix");
    nc->uq = config_get_in(ctx->config, "naming_convention", "uq");
    nc->ck = config_get_in(ctx->config, "naming_convention", "ck");
    nc->fk = config_get_in(ctx->config, "naming_convention", "fk");
    nc->pk = config_get_in(ctx->config, "naming_convention", "pk");
}

bool schema_source_supported(const struct db *db, const char *command,
                             struct mgr_error *err)
{
    const struct mgr_dialect_ops *ops = db->ops;

    if (MGR_OPS_HAS(ops, struct mgr_dialect_ops, scratch_close) &&
        ops->introspect && ops->render && ops->scratch_open &&
        ops->scratch_close)
        return true;
    if (err)
        mgr_error_set(err, MGR_EUSAGE,
                      "%s needs a dialect that can read the live schema; "
                      "the %s dialect cannot (it has no introspect and "
                      "render operations)",
                      command, db->dialect ? db->dialect : "configured");
    return false;
}

/* The schemas to introspect: the comma (or space) list of `schemas`,
 * NULL-terminated; empty for the default schema only. */
static char **schema_list(struct mgr_ctx *ctx, size_t *n_out)
{
    const char *p = config_get(ctx->config, "schemas");
    char **list = xcalloc(1, sizeof(char *));
    size_t n = 0;

    while (p && *p) {
        size_t len = strcspn(p, ", \t");

        if (len) {
            list = xreallocarray(list, n + 2, sizeof(char *));
            list[n++] = xstrndup(p, len);
            list[n] = NULL;
        }
        p += len;
        p += strspn(p, ", \t");
    }
    *n_out = n;
    return list;
}

static int introspect_conn(struct mgr_ctx *ctx, struct db *db, void *conn,
                           bool adopt, struct schema **out)
{
    const char *exclude[] = { NULL, VTABLE_LOG_NAME, SCHEMA_RECORD_TABLE,
                              TABLELOCK_NAME, TABLEFORMAT_TABLE };
    struct mgr_introspect_request req;
    struct naming_convention nc;
    struct mgr_schema_sink sink;
    size_t nschemas = 0;
    char **schemas = schema_list(ctx, &nschemas);
    int rc;

    exclude[0] = config_get(ctx->config, "version_table");
    if (!exclude[0] || !*exclude[0])
        exclude[0] = "migrator_version";
    memset(&req, 0, sizeof(req));
    req.size = sizeof(req);
    req.schemas = (const char *const *)schemas;
    req.nschemas = nschemas;
    req.exclude = exclude;
    req.nexclude = sizeof(exclude) / sizeof(exclude[0]);
    sink.schema = schema_new();
    rc = db->ops->introspect(conn, &req, &sink, &ctx->err);
    strv_list_free(schemas);
    if (rc != MGR_OK) {
        schema_free(sink.schema);
        return rc;
    }
    schema_source_naming(ctx, &nc);
    schema_finish(sink.schema, &nc, adopt);
    *out = sink.schema;
    return MGR_OK;
}

int schema_source_live(struct mgr_ctx *ctx, struct db *db,
                       struct schema **out)
{
    if (!schema_source_supported(db, "reading the schema", &ctx->err))
        return ctx->err.code;
    return introspect_conn(ctx, db, db->conn, false, out);
}

/* ---- schema_file ---------------------------------------------------- */

struct apply {
    struct db *db;
    void *conn;
    const char *path;
    struct mgr_error *err;
};

static int apply_statement(void *ctx, const char *stmt, size_t len,
                           int line, struct mgr_error *err)
{
    struct apply *a = ctx;
    char *sql = xstrndup(stmt, len);
    struct mgr_error dberr;
    int rc;

    (void)err;
    memset(&dberr, 0, sizeof(dberr));
    rc = a->db->ops->query(a->conn, sql, NULL, 0, NULL, NULL, NULL, NULL,
                           &dberr);
    free(sql);
    if (rc == MGR_OK)
        return MGR_OK;
    return mgr_error_set(a->err, rc == MGR_ECONN ? MGR_ECONN : MGR_ESCRIPT,
                         "%s:%d: %s", a->path, line, dberr.msg);
}

static int apply_file(struct mgr_ctx *ctx, struct db *db, void *conn,
                      const char *path, const struct mgr_buf *text)
{
    struct apply a = { db, conn, path, &ctx->err };
    struct mgr_error split_err;
    int rc;

    memset(&split_err, 0, sizeof(split_err));
    rc = db->ops->split(db->state, text->buf, text->len, 1, apply_statement,
                        &a, &split_err);
    if (rc != MGR_OK && ctx->err.code == MGR_OK)
        mgr_error_set(&ctx->err, rc, "%s: %s", path, split_err.msg);
    return rc;
}

/* schema_file applied to dev_url inside a transaction rolled back. */
static int wanted_on_dev_url(struct mgr_ctx *ctx, struct db *db,
                             const char *dev_url, const char *path,
                             const struct mgr_buf *text, struct schema **out)
{
    struct mgr_error dberr;
    void *conn = NULL;
    int rc;

    memset(&dberr, 0, sizeof(dberr));
    rc = db_connect_url(db, dev_url, &conn, &dberr);
    if (rc != MGR_OK) {
        struct mgr_buf masked = MGR_BUF_INIT, why = MGR_BUF_INIT;

        dburl_mask(dev_url, &masked);
        mgr_buf_addstr(&why, dberr.msg);
        dburl_redact(dev_url, &why);
        mgr_error_set(&ctx->err, rc, "dev_url %s: %s", masked.buf, why.buf);
        mgr_buf_release(&masked);
        mgr_buf_release(&why);
        return rc;
    }
    rc = db->ops->begin(conn, &ctx->err);
    if (rc == MGR_OK) {
        rc = apply_file(ctx, db, conn, path, text);
        if (rc == MGR_OK)
            rc = introspect_conn(ctx, db, conn, true, out);
        db->ops->rollback(conn, &dberr);
    }
    db->ops->close(conn);
    return rc;
}

static int wanted_on_scratch(struct mgr_ctx *ctx, struct db *db,
                             const char *path, const struct mgr_buf *text,
                             struct schema **out)
{
    struct mgr_buf name = MGR_BUF_INIT;
    struct mgr_error close_err;
    void *scratch = NULL;
    int rc;

    rc = db->ops->scratch_open(db->state, db->conn, db->url, &scratch, &name,
                               &ctx->err);
    if (rc != MGR_OK) {
        mgr_buf_release(&name);
        return rc;
    }
    rc = apply_file(ctx, db, scratch, path, text);
    if (rc == MGR_OK)
        rc = introspect_conn(ctx, db, scratch, true, out);
    memset(&close_err, 0, sizeof(close_err));
    if (db->ops->scratch_close(db->state, db->conn, scratch, name.buf,
                               &close_err) != MGR_OK)
        MGR_WARN("could not remove the scratch database '%s': %s", name.buf,
                 close_err.msg);
    mgr_buf_release(&name);
    return rc;
}

int schema_source_wanted(struct mgr_ctx *ctx, struct db *db,
                         struct schema **out, bool *present_out)
{
    const char *path = config_get(ctx->config, "schema_file");
    const char *dev_url = config_get(ctx->config, "dev_url");
    struct mgr_buf text = MGR_BUF_INIT;
    int rc;

    *out = NULL;
    if (present_out)
        *present_out = false;
    if (!schema_source_supported(db, "comparing with schema_file",
                                 &ctx->err))
        return ctx->err.code;
    if (!path || !*path || access(path, F_OK) != 0) {
        if (path && *path && config_line(ctx->config, "schema_file") == 0)
            return MGR_OK; /* the default, and no such file: none */
        return mgr_error_set(&ctx->err, MGR_ECONFIG,
                             "schema_file '%s' does not exist",
                             path ? path : "");
    }
    rc = file_read_all(path, &text, &ctx->err);
    if (rc == MGR_OK && dev_url && *dev_url)
        rc = wanted_on_dev_url(ctx, db, dev_url, path, &text, out);
    else if (rc == MGR_OK)
        rc = wanted_on_scratch(ctx, db, path, &text, out);
    if (rc == MGR_OK && present_out)
        *present_out = true;
    mgr_buf_release(&text);
    return rc;
}
