/* schema_record.c: migrator_schema; see schema_record.h. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "schema_record.h"
#include "schema_source.h"
#include "snapshot_codec.h"
#include "tableformat.h"
#include "util.h"

/* The first line of a captured snapshot. */
static const char captured_head[] = SCHEMA_RECORD_CAPTURED "\n";
#define CAPTURED_HEAD_LEN (sizeof(captured_head) - 1)

static int compare_ids(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *schema_record_heads(const struct plan_rows *rows)
{
    char **ids = xcalloc(rows->len + 1, sizeof(char *));
    struct mgr_buf out = MGR_BUF_INIT;

    if (rows->len) /* at base there are none, and ids may be NULL */
        memcpy(ids, rows->ids, rows->len * sizeof(char *));
    qsort(ids, rows->len, sizeof(char *), compare_ids);
    for (size_t i = 0; i < rows->len; i++)
        mgr_buf_addf(&out, "%s%s", i ? "," : "", ids[i]);
    free(ids);
    return mgr_buf_detach(&out, NULL);
}

/* The table's name, quoted and in version_table_schema when set. */
static void table_name(struct runner *r, struct mgr_buf *out)
{
    vtable_qualify(&r->vt, SCHEMA_RECORD_TABLE, out);
}

static int ensure_table(struct runner *r, const char *qname,
                        struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    int rc;

    mgr_buf_addf(&sql,
                 "CREATE TABLE IF NOT EXISTS %s (heads VARCHAR(2048) NOT "
                 "NULL PRIMARY KEY, recorded_at VARCHAR(32) NOT NULL, "
                 "format INTEGER NOT NULL, snapshot TEXT NOT NULL)",
                 qname);
    rc = db_query(&r->db, sql.buf, NULL, 0, NULL, NULL, NULL, NULL, err);
    if (rc == MGR_OK)
        rc = tableformat_record(&r->vt, SCHEMA_RECORD_TABLE, err);
    mgr_buf_release(&sql);
    return rc;
}

static int replace_row(struct runner *r, const char *qname,
                       const char *heads, int format,
                       const struct mgr_buf *snapshot, struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    char when[32];
    const char *params[4];
    int rc;

    vtable_now_utc(when);
    mgr_buf_addf(&sql, "DELETE FROM %s WHERE heads = $1", qname);
    params[0] = heads;
    rc = db_query(&r->db, sql.buf, params, 1, NULL, NULL, NULL, NULL, err);
    if (rc == MGR_OK) {
        mgr_buf_reset(&sql);
        mgr_buf_addf(&sql,
                     "INSERT INTO %s (heads, recorded_at, format, snapshot) "
                     "VALUES ($1, $2, %d, $3)",
                     qname, format);
        params[1] = when;
        params[2] = snapshot->buf;
        rc = db_query(&r->db, sql.buf, params, 3, NULL, NULL, NULL, NULL,
                      err);
    }
    mgr_buf_release(&sql);
    return rc;
}

/* text (a snapshot as schema_record_read reads it back) as the row of
 * heads. */
/* text (a snapshot as schema_record_read reads it back) as the row of
 * heads, in the transaction open on r's connection. *kept false when it
 * is too large to keep (a warning says so). */
static int put_text(struct runner *r, const char *heads,
                    const struct mgr_buf *text, struct mgr_error *err)
{
    struct mgr_buf qname = MGR_BUF_INIT, snapshot = MGR_BUF_INIT;
    int format, rc;

    format = snapshot_encode(text->buf, text->len, &snapshot);
    if (snapshot.len > SCHEMA_RECORD_MAX) {
        MGR_WARN("the schema snapshot is %zu bytes, more than the %u that "
                 "migrator_schema keeps: changes made outside migrations "
                 "will not be seen",
                 snapshot.len, SCHEMA_RECORD_MAX);
        mgr_buf_release(&snapshot);
        return MGR_OK;
    }
    table_name(r, &qname);
    rc = ensure_table(r, qname.buf, err);
    if (rc == MGR_OK)
        rc = replace_row(r, qname.buf, heads, format, &snapshot, err);
    mgr_buf_release(&qname);
    mgr_buf_release(&snapshot);
    return rc;
}

/* put_text in a transaction of its own. */
static int write_text(struct runner *r, const char *heads,
                      const struct mgr_buf *text)
{
    struct mgr_error *err = &r->ctx->err;
    int rc = r->db.ops->begin(r->db.conn, err);

    if (rc != MGR_OK)
        return rc;
    rc = put_text(r, heads, text, err);
    if (rc == MGR_OK)
        return r->db.ops->commit(r->db.conn, err);
    {
        struct mgr_error ignored;

        memset(&ignored, 0, sizeof(ignored));
        r->db.ops->rollback(r->db.conn, &ignored);
    }
    return rc;
}

int schema_record_write(struct runner *r, const char *heads,
                        const struct schema *s)
{
    struct mgr_buf text = MGR_BUF_INIT;
    int rc;

    schema_serialize(s, &text);
    rc = write_text(r, heads, &text);
    mgr_buf_release(&text);
    return rc;
}

/* The live schema as the dialect captures it, behind its first line;
 * *done false when the dialect cannot capture it. */
static int capture_text(struct runner *r, struct mgr_buf *text, bool *done)
{
    mgr_buf_add(text, captured_head, CAPTURED_HEAD_LEN);
    return schema_source_capture(r->ctx, &r->db, text, done);
}

/* The captured schema at heads, in a transaction of its own, when the
 * dialect can capture it (*done). */
static int write_captured(struct runner *r, const char *heads, bool *done)
{
    struct mgr_buf text = MGR_BUF_INIT;
    int rc = capture_text(r, &text, done);

    if (rc == MGR_OK && *done)
        rc = write_text(r, heads, &text);
    mgr_buf_release(&text);
    return rc;
}

/* A statement of the savepoint around the snapshot, errors in err. */
static int savepoint(struct runner *r, const char *verb,
                     struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    int rc;

    mgr_buf_addf(&sql, "%s migrator_schema", verb);
    rc = db_query(&r->db, sql.buf, NULL, 0, NULL, NULL, NULL, NULL, err);
    mgr_buf_release(&sql);
    return rc;
}

/* put_text inside a savepoint: when it fails, what it did is undone and
 * the transaction goes on with the run's own work. */
static int put_in_savepoint(struct runner *r, const char *heads,
                            const struct mgr_buf *text, struct mgr_error *err)
{
    struct mgr_error ignored;
    int rc = savepoint(r, "SAVEPOINT", err);

    if (rc != MGR_OK)
        return rc;
    rc = put_text(r, heads, text, err);
    if (rc == MGR_OK)
        return savepoint(r, "RELEASE SAVEPOINT", err);
    memset(&ignored, 0, sizeof(ignored));
    if (savepoint(r, "ROLLBACK TO SAVEPOINT", &ignored) == MGR_OK)
        savepoint(r, "RELEASE SAVEPOINT", &ignored);
    return rc;
}

void schema_record_in_transaction(struct runner *r, bool *recorded)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct mgr_buf text = MGR_BUF_INIT;
    struct mgr_error *err = &r->ctx->err;
    char *heads = NULL;
    bool captured = false;
    int rc;

    *recorded = false;
    if (!schema_source_supported(&r->db, "recording the schema", NULL))
        return;
    rc = capture_text(r, &text, &captured);
    if (rc == MGR_OK && captured)
        rc = runner_read_rows(r, &rows);
    if (rc == MGR_OK && captured) {
        heads = schema_record_heads(&rows);
        rc = put_in_savepoint(r, heads, &text, err);
    }
    if (rc != MGR_OK) {
        MGR_WARN("could not record the schema with the run: %s; recording "
                 "it after the run instead",
                 err->msg);
        memset(err, 0, sizeof(*err));
    }
    *recorded = rc == MGR_OK && captured;
    free(heads);
    mgr_buf_release(&text);
    plan_rows_release(&rows);
}

struct snapshot_row {
    char *format;
    char *text;
};

static int take_row(void *ctx, size_t ncols, const char *const *names,
                    const char *const *values)
{
    struct snapshot_row *row = ctx;

    (void)names;
    if (ncols >= 2 && values[0] && values[1] && !row->text) {
        row->format = xstrdup(values[0]);
        row->text = xstrdup(values[1]);
    }
    return MGR_OK;
}

static bool is_captured(const struct mgr_buf *text)
{
    return text->len >= CAPTURED_HEAD_LEN &&
           memcmp(text->buf, captured_head, CAPTURED_HEAD_LEN) == 0;
}

/* A captured snapshot made again on a scratch database. One that cannot
 * be (a statement the scratch database refuses) is not compared with,
 * as a damaged row is not. */
static void rebuild(struct runner *r, const struct mgr_buf *text,
                    struct schema **out)
{
    struct mgr_buf ddl = MGR_BUF_INIT;

    mgr_buf_add(&ddl, text->buf + CAPTURED_HEAD_LEN,
                text->len - CAPTURED_HEAD_LEN);
    if (schema_source_rebuilt(r->ctx, &r->db, SCHEMA_RECORD_TABLE, &ddl,
                              out) != MGR_OK) {
        MGR_WARN("cannot make the recorded schema again on a scratch "
                 "database: %s; not comparing with it",
                 r->ctx->err.msg);
        memset(&r->ctx->err, 0, sizeof(r->ctx->err));
        *out = NULL;
    }
    mgr_buf_release(&ddl);
}

int schema_record_read(struct runner *r, const char *heads,
                       struct schema **out)
{
    struct mgr_error *err = &r->ctx->err;
    struct snapshot_row row = { NULL, NULL };
    struct mgr_buf sql = MGR_BUF_INIT, text = MGR_BUF_INIT;
    struct naming_convention nc;
    int exists = 0, rc;

    *out = NULL;
    rc = tableformat_refuse_newer(&r->vt, err);
    if (rc == MGR_OK)
        rc = r->db.ops->table_exists(r->db.conn, r->vt.schema,
                                     SCHEMA_RECORD_TABLE, &exists, err);
    if (rc != MGR_OK || !exists)
        return rc;
    mgr_buf_addstr(&sql, "SELECT format, snapshot FROM ");
    table_name(r, &sql);
    mgr_buf_addstr(&sql, " WHERE heads = $1");
    rc = db_query(&r->db, sql.buf, &heads, 1, take_row, &row, NULL, NULL,
                  err);
    if (rc == MGR_OK && row.text &&
        snapshot_decode(atoi(row.format), row.text, strlen(row.text), &text,
                        err) != MGR_OK) {
        /* A newer format or a damaged row: no comparison, not a failure
         * of check (the next run records a fresh one). */
        MGR_WARN("%s; not comparing with it", err->msg);
        memset(err, 0, sizeof(*err));
    } else if (rc == MGR_OK && row.text && is_captured(&text)) {
        rebuild(r, &text, out);
    } else if (rc == MGR_OK && row.text) {
        schema_source_naming(r->ctx, &nc);
        if (schema_parse(text.buf, text.len, &nc, out, err) != MGR_OK) {
            MGR_WARN("%s; not comparing with it", err->msg);
            memset(err, 0, sizeof(*err));
        }
    }
    mgr_buf_release(&text);
    free(row.format);
    free(row.text);
    mgr_buf_release(&sql);
    return rc;
}

void schema_record_after_run(struct runner *r)
{
    struct plan_rows rows = PLAN_ROWS_INIT;
    struct schema *s = NULL;
    char *heads = NULL;
    bool captured = false;
    int rc;

    if (!schema_source_supported(&r->db, "recording the schema", NULL))
        return;
    rc = runner_read_rows(r, &rows);
    if (rc == MGR_OK) {
        heads = schema_record_heads(&rows);
        rc = write_captured(r, heads, &captured);
    }
    if (rc == MGR_OK && !captured)
        rc = schema_source_live(r->ctx, &r->db, &s);
    if (rc == MGR_OK && !captured)
        rc = schema_record_write(r, heads, s);
    if (rc != MGR_OK) {
        MGR_WARN("could not record the schema in migrator_schema: %s",
                 r->ctx->err.msg);
        memset(&r->ctx->err, 0, sizeof(r->ctx->err));
    }
    free(heads);
    schema_free(s);
    plan_rows_release(&rows);
}
