/* tableformat.c: migrator_formats; see tableformat.h. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_record.h"
#include "tableformat.h"
#include "tablelock.h"

static const struct own_table {
    const char *name;
    int format;
} own_tables[] = {
    { VTABLE_LOG_NAME, 2 },
    { TABLELOCK_NAME, 2 },
    { SCHEMA_RECORD_TABLE, 2 },
    { TABLEFORMAT_TABLE, 1 },
};
#define NOWN (sizeof(own_tables) / sizeof(own_tables[0]))

int tableformat_current(const char *name)
{
    for (size_t i = 0; i < NOWN; i++)
        if (strcmp(own_tables[i].name, name) == 0)
            return own_tables[i].format;
    return 0;
}

/* What migrator_formats says of the own tables (0: no row). */
struct formats {
    bool exists;
    int format[NOWN];
    char written_by[NOWN][32];
};

static int keep_row(void *ctx, size_t ncols, const char *const *names,
                    const char *const *values)
{
    struct formats *f = ctx;

    (void)names;
    if (ncols < 3 || !values[0] || !values[1])
        return MGR_OK;
    for (size_t i = 0; i < NOWN; i++) {
        if (strcmp(own_tables[i].name, values[0]) != 0)
            continue;
        f->format[i] = (int)strtol(values[1], NULL, 10);
        snprintf(f->written_by[i], sizeof(f->written_by[i]), "%s",
                 values[2] ? values[2] : "");
    }
    return MGR_OK; /* a table of a newer migrator: not ours to judge */
}

static int read_formats(struct vtable *vt, struct formats *f,
                        struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    int exists = 1, rc = MGR_OK;

    memset(f, 0, sizeof(*f));
    if (vt->db->ops->table_exists)
        rc = vt->db->ops->table_exists(vt->db->conn, vt->schema,
                                       TABLEFORMAT_TABLE, &exists, err);
    if (rc != MGR_OK || !exists)
        return rc;
    f->exists = true;
    mgr_buf_addstr(&sql, "SELECT table_name, format, written_by FROM ");
    vtable_qualify(vt, TABLEFORMAT_TABLE, &sql);
    rc = db_query(vt->db, sql.buf, NULL, 0, keep_row, f, NULL, NULL, err);
    mgr_buf_release(&sql);
    return rc;
}

/* "9.3" of "9.3.1": the release that introduced the format. */
static void major_minor(const char *version, char out[32])
{
    const char *dot = strchr(version, '.');
    size_t n = strlen(version);

    if (dot && strchr(dot + 1, '.'))
        n = (size_t)(strchr(dot + 1, '.') - version);
    if (n == 0 || n >= 32)
        snprintf(out, 32, "%s", "a newer version");
    else
        snprintf(out, 32, "%.*s", (int)n, version);
}

static int check_newer(const struct formats *f, struct mgr_error *err)
{
    char release[32];

    for (size_t i = 0; i < NOWN; i++) {
        if (f->format[i] <= own_tables[i].format)
            continue;
        major_minor(f->written_by[i], release);
        return mgr_error_set(err, MGR_EINTEGRITY,
                             "%s has format %d, written by migrator %s or "
                             "later; this migrator (%s) knows format %d at "
                             "most and changes nothing: run migrator %s or "
                             "later",
                             own_tables[i].name, f->format[i], release,
                             PACKAGE_VERSION, own_tables[i].format, release);
    }
    return MGR_OK;
}

int tableformat_refuse_newer(struct vtable *vt, struct mgr_error *err)
{
    struct formats f;
    int rc = read_formats(vt, &f, err);

    return rc == MGR_OK ? check_newer(&f, err) : rc;
}

static int exec(struct vtable *vt, const char *sql, const char *const *params,
                size_t n, struct mgr_error *err)
{
    return db_query(vt->db, sql, params, n, NULL, NULL, NULL, NULL, err);
}

/* Insert name's row at format; raise: replace the row there (the
 * caller refused newer formats), else keep it. */
static int put_row(struct vtable *vt, const char *name, int format,
                   bool raise, struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    char number[16];
    const char *params[3] = { name, number, PACKAGE_VERSION };
    int rc;

    snprintf(number, sizeof(number), "%d", format);
    mgr_buf_addstr(&sql, "INSERT INTO ");
    vtable_qualify(vt, TABLEFORMAT_TABLE, &sql);
    mgr_buf_addstr(&sql, " (table_name, format, written_by) VALUES ($1, "
                         "CAST($2 AS INTEGER), $3) ON CONFLICT (table_name) "
                         "DO ");
    mgr_buf_addstr(&sql, raise ? "UPDATE SET format = excluded.format, "
                                 "written_by = excluded.written_by"
                               : "NOTHING");
    rc = exec(vt, sql.buf, params, 3, err);
    mgr_buf_release(&sql);
    return rc;
}

static int ensure_table(struct vtable *vt, struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    int rc;

    mgr_buf_addstr(&sql, "CREATE TABLE IF NOT EXISTS ");
    vtable_qualify(vt, TABLEFORMAT_TABLE, &sql);
    mgr_buf_addstr(&sql, " (table_name VARCHAR(63) NOT NULL PRIMARY KEY, "
                         "format INTEGER NOT NULL, written_by VARCHAR(32) "
                         "NOT NULL)");
    rc = exec(vt, sql.buf, NULL, 0, err);
    if (rc == MGR_OK)
        rc = put_row(vt, TABLEFORMAT_TABLE,
                     tableformat_current(TABLEFORMAT_TABLE), false, err);
    mgr_buf_release(&sql);
    return rc;
}

static bool has_row(const struct formats *f, const char *name)
{
    for (size_t i = 0; i < NOWN; i++)
        if (strcmp(own_tables[i].name, name) == 0)
            return f->format[i] != 0;
    return false;
}

int tableformat_record(struct vtable *vt, const char *name,
                       struct mgr_error *err)
{
    struct formats f;
    int rc = read_formats(vt, &f, err);

    /* A run with nothing to do writes nothing. */
    if (rc != MGR_OK || has_row(&f, name))
        return rc;
    rc = ensure_table(vt, err);
    return rc == MGR_OK
               ? put_row(vt, name, tableformat_current(name), false, err)
               : rc;
}

/*
 * Bring table i from format `from` to the current one. Format 1 -> 2
 * changed no column: the row is all. A later format adds its column
 * changes here, step by step from `from`.
 */
static int upgrade_table(struct vtable *vt, size_t i, int from,
                         struct mgr_error *err)
{
    (void)from;
    return put_row(vt, own_tables[i].name, own_tables[i].format, true, err);
}

/* Which own tables exist in an older format: stale[i]. */
static int find_stale(struct vtable *vt, const struct formats *f,
                      bool *stale, bool *any, struct mgr_error *err)
{
    *any = false;
    for (size_t i = 0; i < NOWN; i++) {
        int exists = 1, rc = MGR_OK;

        stale[i] = false;
        if (f->format[i] >= own_tables[i].format ||
            strcmp(own_tables[i].name, TABLEFORMAT_TABLE) == 0)
            continue;
        if (vt->db->ops->table_exists)
            rc = vt->db->ops->table_exists(vt->db->conn, vt->schema,
                                           own_tables[i].name, &exists, err);
        if (rc != MGR_OK)
            return rc;
        stale[i] = exists != 0;
        *any = *any || stale[i];
    }
    return MGR_OK;
}

static int upgrade_all(struct vtable *vt, const struct formats *f,
                       const bool *stale, struct mgr_error *err)
{
    int rc = vt->db->ops->begin(vt->db->conn, err);

    if (rc != MGR_OK)
        return rc;
    rc = ensure_table(vt, err);
    for (size_t i = 0; i < NOWN && rc == MGR_OK; i++)
        if (stale[i])
            rc = upgrade_table(vt, i, f->format[i] ? f->format[i] : 1, err);
    if (rc == MGR_OK)
        return vt->db->ops->commit(vt->db->conn, err);
    {
        struct mgr_error ignored;

        memset(&ignored, 0, sizeof(ignored));
        vt->db->ops->rollback(vt->db->conn, &ignored);
    }
    return rc;
}

int tableformat_upgrade(struct vtable *vt, struct mgr_error *err)
{
    bool stale[NOWN], any = false;
    struct formats f;
    int rc = read_formats(vt, &f, err);

    if (rc == MGR_OK)
        rc = check_newer(&f, err);
    if (rc == MGR_OK)
        rc = find_stale(vt, &f, stale, &any, err);
    if (rc == MGR_OK && any)
        rc = upgrade_all(vt, &f, stale, err);
    return rc;
}
