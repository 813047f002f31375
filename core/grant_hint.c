/*
 * grant_hint.c: naming the grant a read-only command lacks (see
 * grant_hint.h).
 *
 * Only a server that refused with SQLSTATE 42501 (insufficient_privilege)
 * is asked, with PostgreSQL's has_*_privilege() functions: SQLite has no
 * privileges and never refuses so. When the question fails too, the
 * error says which privileges the command needs.
 */
#include "autoconfig.h"

#include <string.h>

#include "grant_hint.h"
#include "schema_record.h"
#include "tableformat.h"
#include "util.h"

#define SQLSTATE_NO_PRIVILEGE "42501"

/* migrator's tables that the read-only commands read. */
#define NTABLES 4

/* What the role has: one row of the probe. */
struct privileges {
    char role[128];
    bool schema_usage, select[NTABLES], found;
};

static bool is_true(const char *v)
{
    return v && (strcmp(v, "t") == 0 || strcmp(v, "1") == 0);
}

static int on_row(void *ctx, size_t ncols, const char *const *names,
                  const char *const *values)
{
    struct privileges *p = ctx;

    (void)names;
    if (ncols < 2 + NTABLES)
        return MGR_OK;
    snprintf(p->role, sizeof(p->role), "%s", values[0] ? values[0] : "");
    p->schema_usage = is_true(values[1]);
    for (size_t i = 0; i < NTABLES; i++)
        p->select[i] = is_true(values[2 + i]);
    p->found = true;
    return MGR_OK;
}

/* A table that does not exist needs no grant. */
#define HAS_SELECT(n)                                                     \
    "coalesce(has_table_privilege(to_regclass($" #n "), 'SELECT'), true)"

static int probe(struct runner *r, char *const *tables, struct privileges *p)
{
    const char *params[1 + NTABLES] = { r->vt.schema, tables[0], tables[1],
                                        tables[2], tables[3] };
    struct mgr_error ignored;

    memset(p, 0, sizeof(*p));
    return db_query(&r->db,
                    "SELECT current_user, has_schema_privilege("
                    "coalesce($1, current_schema()), 'USAGE'), "
                    HAS_SELECT(2) ", " HAS_SELECT(3) ", " HAS_SELECT(4)
                    ", " HAS_SELECT(5),
                    params, 1 + NTABLES, on_row, p, NULL, NULL, &ignored);
}

/* The first missing grant, into out. */
static void missing_grant(const struct runner *r, char *const *tables,
                          const struct privileges *p, struct mgr_buf *out)
{
    if (!p->schema_usage)
        mgr_buf_addf(out, "GRANT USAGE ON SCHEMA %s",
                     r->vt.schema ? r->vt.schema : "<its schema>");
    for (size_t i = 0; !out->len && i < NTABLES; i++)
        if (!p->select[i])
            mgr_buf_addf(out, "GRANT SELECT ON %s", tables[i]);
    if (out->len)
        mgr_buf_addf(out, " TO %s", p->role);
}

/* The first grant the role lacks, into grant (nothing when the probe
 * fails); the tables the commands read, into tables. */
static void find_missing(struct runner *r, struct mgr_buf *schema_table,
                         struct mgr_buf *formats_table, struct mgr_buf *grant)
{
    char *tables[NTABLES];
    struct privileges p;

    vtable_qualify(&r->vt, SCHEMA_RECORD_TABLE, schema_table);
    vtable_qualify(&r->vt, TABLEFORMAT_TABLE, formats_table);
    /* In the order a run reads them (the formats before it locks), so
     * that the first missing one is the one it failed on. */
    tables[0] = formats_table->buf;
    tables[1] = r->vt.qtable.buf;
    tables[2] = r->vt.qlog.buf;
    tables[3] = schema_table->buf;
    if (probe(r, tables, &p) == MGR_OK && p.found)
        missing_grant(r, tables, &p, grant);
}

int grant_hint_read(struct runner *r, int rc)
{
    struct mgr_buf grant = MGR_BUF_INIT, msg = MGR_BUF_INIT;
    struct mgr_buf schema_table = MGR_BUF_INIT, formats_table = MGR_BUF_INIT;

    if (rc != MGR_EDB || !r->db.conn || !r->db.failed ||
        strcmp(r->db.failure.sqlstate, SQLSTATE_NO_PRIVILEGE) != 0)
        return rc;
    find_missing(r, &schema_table, &formats_table, &grant);
    mgr_buf_addstr(&msg, r->ctx->err.msg);
    if (grant.len)
        mgr_buf_addf(&msg, "\nthe role lacks a privilege this command "
                           "needs: %s",
                     grant.buf);
    else
        mgr_buf_addf(&msg, "\nthis command needs only USAGE on the schema "
                           "of %s, and SELECT on it, on %s, on %s and on %s",
                     r->vt.qtable.buf, r->vt.qlog.buf, schema_table.buf,
                     formats_table.buf);
    snprintf(r->ctx->err.msg, sizeof(r->ctx->err.msg), "%s", msg.buf);
    mgr_buf_release(&schema_table);
    mgr_buf_release(&formats_table);
    mgr_buf_release(&grant);
    mgr_buf_release(&msg);
    return rc;
}
