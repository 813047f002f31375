/* vtable.c: the version table and migrator_log. */
#include "autoconfig.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "vtable.h"

/* PostgreSQL's NAMEDATALEN - 1: a longer name would be cut silently. */
#define VTABLE_NAME_MAX 63

static int check_name(const char *what, const char *name,
                      struct mgr_error *err)
{
    if (!*name || strlen(name) > VTABLE_NAME_MAX)
        return mgr_error_set(err, MGR_ECONFIG,
                             "%s '%s' must have 1 to %d bytes", what, name,
                             VTABLE_NAME_MAX);
    return MGR_OK;
}

void vtable_qualify(const struct vtable *vt, const char *name,
                    struct mgr_buf *out)
{
    if (vt->schema) {
        vt->db->ops->quote_ident(vt->db->state, vt->schema, out);
        mgr_buf_addch(out, '.');
    }
    vt->db->ops->quote_ident(vt->db->state, name, out);
}

int vtable_init(struct vtable *vt, struct db *db, const char *table,
                const char *schema, struct mgr_error *err)
{
    int rc;

    memset(vt, 0, sizeof(*vt));
    mgr_buf_init(&vt->qtable, 0);
    mgr_buf_init(&vt->qlog, 0);
    vt->db = db;
    vt->table = table && *table ? table : "migrator_version";
    vt->schema = schema && *schema ? schema : NULL;
    rc = check_name("version_table", vt->table, err);
    if (rc == MGR_OK && vt->schema)
        rc = check_name("version_table_schema", vt->schema, err);
    if (rc != MGR_OK)
        return rc;
    vtable_qualify(vt, vt->table, &vt->qtable);
    vtable_qualify(vt, VTABLE_LOG_NAME, &vt->qlog);
    return MGR_OK;
}

void vtable_release(struct vtable *vt)
{
    mgr_buf_release(&vt->qtable);
    mgr_buf_release(&vt->qlog);
}

static int run(struct vtable *vt, const char *sql, const char *const *params,
               size_t n, long *affected, struct mgr_error *err)
{
    return db_query(vt->db, sql, params, n, NULL, NULL, affected, NULL, err);
}

static char *own(struct vtable_batch *b, const char *s)
{
    b->owned = xrealloc(b->owned, (b->nowned + 1) * sizeof(*b->owned));
    return b->owned[b->nowned++] = xstrdup(s ? s : "");
}

void vtable_batch_add(struct vtable_batch *b, const char *sql,
                      const char *const *params, size_t nparams,
                      const struct plan_op *op)
{
    const char **copy = NULL;
    struct mgr_batch_item *item;

    if (nparams) {
        copy = xcalloc(nparams, sizeof(*copy));
        for (size_t i = 0; i < nparams; i++)
            copy[i] = own(b, params[i]);
        b->owned = xrealloc(b->owned, (b->nowned + 1) * sizeof(*b->owned));
        b->owned[b->nowned++] = (char *)copy;
    }
    b->items = xrealloc(b->items, (b->n + 1) * sizeof(*b->items));
    b->ops = xrealloc(b->ops, (b->n + 1) * sizeof(*b->ops));
    item = &b->items[b->n];
    item->sql = own(b, sql);
    item->params = copy;
    item->nparams = nparams;
    item->affected = -1;
    b->ops[b->n++] = op;
}

void vtable_batch_release(struct vtable_batch *b)
{
    for (size_t i = 0; i < b->nowned; i++)
        free(b->owned[i]);
    free(b->owned);
    free(b->items);
    free(b->ops);
    memset(b, 0, sizeof(*b));
}

/* A write: now, or into the batch (op: one row must change). */
static int write_row(struct vtable *vt, const char *sql,
                     const char *const *params, size_t n,
                     const struct plan_op *op, long *affected,
                     struct mgr_error *err)
{
    *affected = -1;
    if (vt->batch) {
        vtable_batch_add(vt->batch, sql, params, n, op);
        return MGR_OK;
    }
    return run(vt, sql, params, n, affected, err);
}

int vtable_ensure(struct vtable *vt, struct mgr_error *err)
{
    const char *type = vt->db->ops->version_column_type
                           ? vt->db->ops->version_column_type
                           : "VARCHAR(32)";
    struct mgr_buf sql = MGR_BUF_INIT, pk = MGR_BUF_INIT;
    int rc;

    mgr_buf_addf(&pk, "%s_pkc", vt->table);
    mgr_buf_addf(&sql, "CREATE TABLE IF NOT EXISTS %s (version_num %s NOT "
                       "NULL, CONSTRAINT ",
                 vt->qtable.buf, type);
    vt->db->ops->quote_ident(vt->db->state, pk.buf, &sql);
    mgr_buf_addstr(&sql, " PRIMARY KEY (version_num))");
    rc = run(vt, sql.buf, NULL, 0, NULL, err);
    if (rc == MGR_OK) {
        mgr_buf_reset(&sql);
        mgr_buf_addf(&sql,
                     "CREATE TABLE IF NOT EXISTS %s (revision %s NOT NULL, "
                     "direction VARCHAR(16) NOT NULL, status VARCHAR(24) "
                     "NOT NULL, checksum VARCHAR(80) NOT NULL, applied_at "
                     "VARCHAR(32) NOT NULL, duration_ms INTEGER NOT NULL, "
                     "applied_by VARCHAR(128) NOT NULL, detail TEXT NOT "
                     "NULL)",
                     vt->qlog.buf, type);
        rc = run(vt, sql.buf, NULL, 0, NULL, err);
    }
    mgr_buf_release(&sql);
    mgr_buf_release(&pk);
    return rc;
}

static int collect_row(void *ctx, size_t ncols, const char *const *names,
                       const char *const *values)
{
    (void)names;
    if (ncols >= 1 && values[0])
        plan_rows_add(ctx, values[0]);
    return MGR_OK;
}

int vtable_read(struct vtable *vt, struct plan_rows *rows,
                bool *exists_out, struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    int exists = 1, rc = MGR_OK;

    if (vt->db->ops->table_exists)
        rc = vt->db->ops->table_exists(vt->db->conn, vt->schema, vt->table,
                                       &exists, err);
    if (rc == MGR_OK && exists) {
        mgr_buf_addf(&sql, "SELECT version_num FROM %s", vt->qtable.buf);
        rc = db_query(vt->db, sql.buf, NULL, 0, collect_row, rows, NULL,
                      NULL, err);
    }
    if (exists_out)
        *exists_out = exists != 0;
    mgr_buf_release(&sql);
    return rc;
}

static int expect_one(struct vtable *vt, long affected, const char *what,
                      const struct plan_op *op, struct mgr_error *err)
{
    if (affected == 1 || affected < 0)
        return MGR_OK;
    return mgr_error_set(err, MGR_EDB,
                         "expected to %s one row of '%s' (%s%s%s), but %ld "
                         "matched; was the table changed by hand?",
                         what, vt->table, op->from ? op->from : "",
                         op->from && op->to ? " -> " : "",
                         op->to ? op->to : "", affected);
}

int vtable_batch_run(struct vtable *vt, struct vtable_batch *b,
                     size_t *failed_out, struct mgr_db_error *dberr,
                     struct mgr_error *err)
{
    int rc = db_batch(vt->db, b->items, b->n, failed_out, dberr, err);

    for (size_t i = 0; rc == MGR_OK && i < b->n; i++)
        if (b->ops[i])
            rc = expect_one(vt, b->items[i].affected,
                            b->ops[i]->kind == PLAN_DELETE ? "delete"
                                                           : "update",
                            b->ops[i], err);
    return rc;
}

size_t vtable_op_sql(const struct vtable *vt, const struct plan_op *op,
                     struct mgr_buf *sql, const char *params[2])
{
    switch (op->kind) {
    case PLAN_INSERT:
        mgr_buf_addf(sql, "INSERT INTO %s (version_num) VALUES ($1)",
                     vt->qtable.buf);
        params[0] = op->to;
        return 1;
    case PLAN_UPDATE:
        mgr_buf_addf(sql, "UPDATE %s SET version_num = $1 WHERE "
                          "version_num = $2",
                     vt->qtable.buf);
        params[0] = op->to;
        params[1] = op->from;
        return 2;
    case PLAN_DELETE:
        break;
    }
    mgr_buf_addf(sql, "DELETE FROM %s WHERE version_num = $1",
                 vt->qtable.buf);
    params[0] = op->from;
    return 1;
}

int vtable_apply(struct vtable *vt, const struct plan_op *op,
                 struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    const char *params[2];
    /* An UPDATE or DELETE must match exactly one row. */
    const struct plan_op *check = op->kind == PLAN_INSERT ? NULL : op;
    size_t n = vtable_op_sql(vt, op, &sql, params);
    long affected = -1;
    int rc = write_row(vt, sql.buf, params, n, check, &affected, err);

    if (rc == MGR_OK && check)
        rc = expect_one(vt, affected,
                        op->kind == PLAN_DELETE ? "delete" : "update", op,
                        err);
    mgr_buf_release(&sql);
    return rc;
}

int vtable_purge(struct vtable *vt, struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    int rc;

    mgr_buf_addf(&sql, "DELETE FROM %s", vt->qtable.buf);
    rc = run(vt, sql.buf, NULL, 0, NULL, err);
    mgr_buf_release(&sql);
    return rc;
}

/* "user@host", for the log's applied_by. */
static void who(char *out, size_t size)
{
    struct passwd *pw = getpwuid(geteuid());
    char host[64] = "";

    gethostname(host, sizeof(host) - 1);
    snprintf(out, size, "%s@%s", pw ? pw->pw_name : "?", host);
}

/* Now as "2026-11-24T09:00:00.123456Z": text order is time order. */
void vtable_now_utc(char out[32])
{
    struct timespec ts;
    struct tm tm;
    size_t n;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%06dZ", (int)(ts.tv_nsec / 1000 % 1000000));
}

void vtable_log_values(struct vtable *vt, const struct vtable_log_entry *e,
                       char when[32], char duration[24],
                       const char *values[VTABLE_LOG_NCOLS])
{
    vtable_now_utc(when);
    snprintf(duration, 24, "%ld", e->duration_ms);
    if (!vt->applied_by[0])
        who(vt->applied_by, sizeof(vt->applied_by));
    values[0] = e->revision;
    values[1] = e->direction;
    values[2] = e->status ? e->status : VTABLE_APPLIED;
    values[3] = e->checksum ? e->checksum : "";
    values[4] = when;
    values[5] = duration;
    values[6] = vt->applied_by;
    values[7] = e->detail ? e->detail : "";
}

int vtable_log(struct vtable *vt, const struct vtable_log_entry *e,
               struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    char when[32], duration[24];
    const char *params[VTABLE_LOG_NCOLS];
    long ignored;
    int rc;

    vtable_log_values(vt, e, when, duration, params);
    mgr_buf_addf(&sql, "INSERT INTO %s (" VTABLE_LOG_COLUMNS ") VALUES "
                       "($1, $2, $3, $4, $5, $6, $7, $8)",
                 vt->qlog.buf);
    rc = write_row(vt, sql.buf, params, VTABLE_LOG_NCOLS, NULL, &ignored,
                   err);
    mgr_buf_release(&sql);
    return rc;
}

int vtable_log_set_status(struct vtable *vt, const char *revision,
                          const char *from, const char *to,
                          const char *detail, struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    const char *params[4] = { to, detail ? detail : "", revision, from };
    long ignored;
    int rc;

    mgr_buf_addf(&sql, "UPDATE %s SET status = $1, detail = $2 WHERE "
                       "revision = $3 AND status = $4",
                 vt->qlog.buf);
    rc = write_row(vt, sql.buf, params, 4, NULL, &ignored, err);
    mgr_buf_release(&sql);
    return rc;
}

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

static int collect_log_row(void *ctx, size_t ncols, const char *const *names,
                           const char *const *values)
{
    struct vtable_log_rows *rows = ctx;
    struct vtable_log_row *row;

    (void)names;
    if (ncols < 6)
        return MGR_EDB;
    if (rows->len == rows->alloc) {
        rows->alloc = rows->alloc ? 2 * rows->alloc : 16;
        rows->v = xreallocarray(rows->v, rows->alloc, sizeof(*rows->v));
    }
    row = &rows->v[rows->len++];
    row->revision = dup_or_empty(values[0]);
    row->direction = dup_or_empty(values[1]);
    row->status = dup_or_empty(values[2]);
    row->checksum = dup_or_empty(values[3]);
    row->applied_at = dup_or_empty(values[4]);
    row->detail = dup_or_empty(values[5]);
    return MGR_OK;
}

int vtable_log_read(struct vtable *vt, struct vtable_log_rows *out,
                    struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    int exists = 1, rc = MGR_OK;

    if (vt->db->ops->table_exists)
        rc = vt->db->ops->table_exists(vt->db->conn, vt->schema,
                                       VTABLE_LOG_NAME, &exists, err);
    if (rc == MGR_OK && exists) {
        mgr_buf_addf(&sql, "SELECT revision, direction, status, checksum, "
                           "applied_at, detail FROM %s ORDER BY "
                           "applied_at",
                     vt->qlog.buf);
        rc = db_query(vt->db, sql.buf, NULL, 0, collect_log_row, out, NULL,
                      NULL, err);
    }
    mgr_buf_release(&sql);
    return rc;
}

void vtable_log_rows_release(struct vtable_log_rows *rows)
{
    for (size_t i = 0; i < rows->len; i++) {
        free(rows->v[i].revision);
        free(rows->v[i].direction);
        free(rows->v[i].status);
        free(rows->v[i].checksum);
        free(rows->v[i].applied_at);
        free(rows->v[i].detail);
    }
    free(rows->v);
    rows->v = NULL;
    rows->len = rows->alloc = 0;
}
