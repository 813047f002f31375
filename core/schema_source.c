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

/* What introspect and capture cover: the config's schemas, without
 * migrator's own tables. Release it with request_release. */
struct request {
    struct mgr_introspect_request req;
    const char *exclude[5];
    char **schemas;
};

static void request_make(struct mgr_ctx *ctx, struct request *r)
{
    size_t nschemas = 0;

    memset(r, 0, sizeof(*r));
    r->exclude[0] = config_get(ctx->config, "version_table");
    if (!r->exclude[0] || !*r->exclude[0])
        r->exclude[0] = "migrator_version";
    r->exclude[1] = VTABLE_LOG_NAME;
    r->exclude[2] = SCHEMA_RECORD_TABLE;
    r->exclude[3] = TABLELOCK_NAME;
    r->exclude[4] = TABLEFORMAT_TABLE;
    r->schemas = schema_list(ctx, &nschemas);
    r->req.size = sizeof(r->req);
    r->req.schemas = (const char *const *)r->schemas;
    r->req.nschemas = nschemas;
    r->req.exclude = r->exclude;
    r->req.nexclude = sizeof(r->exclude) / sizeof(r->exclude[0]);
}

static void request_release(struct request *r)
{
    strv_list_free(r->schemas);
    memset(r, 0, sizeof(*r));
}

static int introspect_conn(struct mgr_ctx *ctx, struct db *db, void *conn,
                           bool adopt, struct schema **out)
{
    struct request r;
    struct naming_convention nc;
    struct mgr_schema_sink sink;
    int rc;

    request_make(ctx, &r);
    sink.schema = schema_new();
    rc = db->ops->introspect(conn, &r.req, &sink, &ctx->err);
    request_release(&r);
    if (rc != MGR_OK) {
        schema_free(sink.schema);
        return rc;
    }
    schema_source_naming(ctx, &nc);
    schema_finish(sink.schema, &nc, adopt);
    *out = sink.schema;
    return MGR_OK;
}

int schema_source_capture(struct mgr_ctx *ctx, struct db *db,
                          struct mgr_buf *out, bool *captured_out)
{
    struct request r;
    int captured = 0, rc;

    *captured_out = false;
    if (!MGR_OPS_HAS(db->ops, struct mgr_dialect_ops, capture) ||
        !db->ops->capture)
        return MGR_OK;
    request_make(ctx, &r);
    rc = db->ops->capture(db->conn, &r.req, out, &captured, &ctx->err);
    request_release(&r);
    *captured_out = rc == MGR_OK && captured;
    return rc;
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

/* text (statements of db's dialect; label names it in errors) run on a
 * scratch database, introspected, and the scratch database removed. */
static int on_scratch(struct mgr_ctx *ctx, struct db *db, const char *label,
                      const struct mgr_buf *text, bool adopt,
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
    rc = apply_file(ctx, db, scratch, label, text);
    if (rc == MGR_OK)
        rc = introspect_conn(ctx, db, scratch, adopt, out);
    memset(&close_err, 0, sizeof(close_err));
    if (db->ops->scratch_close(db->state, db->conn, scratch, name.buf,
                               &close_err) != MGR_OK)
        MGR_WARN("could not remove the scratch database '%s': %s", name.buf,
                 close_err.msg);
    mgr_buf_release(&name);
    return rc;
}

int schema_source_rebuilt(struct mgr_ctx *ctx, struct db *db,
                          const char *label, const struct mgr_buf *captured,
                          struct schema **out)
{
    *out = NULL;
    if (!schema_source_supported(db, "reading a captured schema", &ctx->err))
        return ctx->err.code;
    /* As the live schema is read (no names adopted), so that the two
     * compare. */
    return on_scratch(ctx, db, label, captured, false, out);
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
        rc = on_scratch(ctx, db, path, &text, true, out);
    if (rc == MGR_OK && present_out)
        *present_out = true;
    mgr_buf_release(&text);
    return rc;
}
