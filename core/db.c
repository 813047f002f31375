/* db.c: connecting through a dialect plugin, errors with secrets masked. */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "dburl.h"
#include "dialects.h"
#include "loader.h"

/* Rewrite err->msg with url's password masked. */
static void redact_error(const char *url, struct mgr_error *err)
{
    struct mgr_buf text = MGR_BUF_INIT;

    if (!err || !url)
        return;
    mgr_buf_addstr(&text, err->msg);
    dburl_redact(url, &text);
    snprintf(err->msg, sizeof(err->msg), "%s", text.buf);
    mgr_buf_release(&text);
}

int db_load_dialect(struct mgr_ctx *ctx, struct db *db)
{
    const struct mgr_loaded_plugin *p;
    int rc;

    memset(db, 0, sizeof(*db));
    db->url = config_get(ctx->config, "database_url");
    if (!db->url || !*db->url)
        return mgr_error_set(&ctx->err, MGR_ECONFIG,
                             "no database_url in '%s'; set it, or "
                             "DATABASE_URL, or pass --url",
                             config_path(ctx->config));
    rc = dialects_find(ctx->plugins, db->url, &p, &ctx->err);
    /* A URL no dialect serves is a config error: say where it is set. */
    if (rc == MGR_ECONFIG && config_line(ctx->config, "database_url") > 0)
        mgr_error_prefix(&ctx->err, "%s:%d: ", config_path(ctx->config),
                         config_line(ctx->config, "database_url"));
    if (rc != MGR_OK)
        return rc;
    db->plugin = p;
    db->ops = p->ops;
    db->state = p->state;
    db->dialect = p->desc->name;
    return MGR_OK;
}

/* Whether the dialect has op connect_opts (ABI 1.4). */
static bool has_connect_opts(const struct db *db)
{
    return MGR_OPS_HAS(db->ops, struct mgr_dialect_ops, connect_opts) &&
           db->ops->connect_opts;
}

/* Connect to url through the newest op the dialect has. */
static int connect_url(const struct db *db, const char *url, bool read_only,
                       void **conn_out, struct mgr_error *err)
{
    struct mgr_connect_options o;

    if (has_connect_opts(db)) {
        memset(&o, 0, sizeof(o));
        o.size = sizeof(o);
        o.connect_timeout_ms = db->connect_timeout_ms;
        o.flags = read_only ? MGR_CONNECT_READ_ONLY : 0;
        return db->ops->connect_opts(db->state, url, &o, conn_out, err);
    }
    if (read_only &&
        MGR_OPS_HAS(db->ops, struct mgr_dialect_ops, connect_read_only) &&
        db->ops->connect_read_only)
        return db->ops->connect_read_only(db->state, url, conn_out, err);
    return db->ops->connect(db->state, url, conn_out, err);
}

static int open_db(struct mgr_ctx *ctx, struct db *db, bool read_only)
{
    int rc = db_load_dialect(ctx, db);

    if (rc == MGR_OK)
        rc = config_get_duration_ms(ctx->config, "connect_timeout",
                                    &db->connect_timeout_ms, &ctx->err);
    if (rc != MGR_OK)
        return rc;
    rc = connect_url(db, db->url, read_only, &db->conn, &ctx->err);
    if (rc != MGR_OK) {
        db->conn = NULL;
        redact_error(db->url, &ctx->err);
    }
    return rc;
}

int db_connect_url(const struct db *db, const char *url, void **conn_out,
                   struct mgr_error *err)
{
    int rc;

    *conn_out = NULL;
    rc = connect_url(db, url, false, conn_out, err);
    if (rc != MGR_OK) {
        *conn_out = NULL;
        redact_error(url, err);
    }
    return rc;
}

int db_open(struct mgr_ctx *ctx, struct db *db)
{
    return open_db(ctx, db, false);
}

int db_open_read_only(struct mgr_ctx *ctx, struct db *db)
{
    return open_db(ctx, db, true);
}

void db_close(struct db *db)
{
    if (db->conn)
        db->ops->close(db->conn);
    db->conn = NULL;
}

/* err->msg with the database's SQLSTATE, DETAIL and HINT, password
 * masked; the failure kept in db for the reports. */
static void record_failure(struct db *db, const struct mgr_db_error *dberr,
                           struct mgr_error *err)
{
    struct mgr_buf text = MGR_BUF_INIT;

    mgr_buf_addstr(&text, err->msg);
    dburl_redact(db->url, &text);
    snprintf(db->failure_reason, sizeof(db->failure_reason), "%s",
             text.buf);
    db->failure = *dberr;
    db->failed = true;
    if (dberr->sqlstate[0])
        mgr_buf_addf(&text, " [SQLSTATE %s]", dberr->sqlstate);
    if (dberr->detail[0])
        mgr_buf_addf(&text, "\nDETAIL: %s", dberr->detail);
    if (dberr->hint[0])
        mgr_buf_addf(&text, "\nHINT: %s", dberr->hint);
    dburl_redact(db->url, &text);
    snprintf(err->msg, sizeof(err->msg), "%s", text.buf);
    mgr_buf_release(&text);
}

int db_query(struct db *db, const char *sql, const char *const *params,
             size_t nparams, mgr_row_fn row, void *row_ctx,
             long *affected_out, struct mgr_db_error *dberr,
             struct mgr_error *err)
{
    struct mgr_db_error local;
    int rc;

    if (!dberr)
        dberr = &local;
    memset(dberr, 0, sizeof(*dberr));
    dberr->offset = -1;
    rc = db->ops->query(db->conn, sql, params, nparams, row, row_ctx,
                        affected_out, dberr, err);
    if (rc != MGR_OK && err)
        record_failure(db, dberr, err);
    return rc;
}

bool db_can_batch(const struct db *db)
{
    return MGR_OPS_HAS(db->ops, struct mgr_dialect_ops, batch) &&
           db->ops->batch;
}

int db_batch(struct db *db, struct mgr_batch_item *items, size_t n,
             size_t *failed_out, struct mgr_db_error *dberr,
             struct mgr_error *err)
{
    int rc = MGR_OK;

    memset(dberr, 0, sizeof(*dberr));
    dberr->offset = -1;
    *failed_out = n;
    if (db_can_batch(db)) {
        rc = db->ops->batch(db->conn, items, n, failed_out, dberr, err);
    } else {
        for (size_t i = 0; i < n && rc == MGR_OK; i++) {
            items[i].affected = -1;
            rc = db->ops->query(db->conn, items[i].sql, items[i].params,
                                items[i].nparams, NULL, NULL,
                                &items[i].affected, dberr, err);
            if (rc != MGR_OK)
                *failed_out = i;
        }
    }
    if (rc != MGR_OK)
        record_failure(db, dberr, err);
    return rc;
}

int db_set_lock_timeout(struct db *db, long ms, struct mgr_error *err)
{
    if (!MGR_OPS_HAS(db->ops, struct mgr_dialect_ops, set_lock_timeout) ||
        !db->ops->set_lock_timeout || !db->conn)
        return MGR_OK;
    return db->ops->set_lock_timeout(db->conn, ms, err);
}

void db_masked_url(const struct db *db, struct mgr_buf *out)
{
    dburl_mask(db->url, out);
}
