/* tablelock.c: the row of migrator_lock: create, read, check, renew,
 * remove. Taking it is tablelock_take.c. */
#include "autoconfig.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lockbeat.h"
#include "tablelock.h"
#include "util.h"

void tablelock_utc_after(long ms, char out[32])
{
    struct timespec ts;
    struct tm tm;
    long long msec;
    time_t secs;
    size_t n;

    clock_gettime(CLOCK_REALTIME, &ts);
    msec = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + ms;
    secs = (time_t)(msec / 1000);
    gmtime_r(&secs, &tm);
    n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(msec % 1000));
}

void tablelock_owner(char *out, size_t size)
{
    struct passwd *pw = getpwuid(geteuid());
    char host[64] = "";

    gethostname(host, sizeof(host) - 1);
    snprintf(out, size, "%s@%s pid %ld", pw ? pw->pw_name : "?", host,
             (long)getpid());
}

int tablelock_ensure(struct vtable *vt, struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    int rc;

    mgr_buf_addstr(&sql, "CREATE TABLE IF NOT EXISTS ");
    vtable_qualify(vt, TABLELOCK_NAME, &sql);
    mgr_buf_addstr(&sql, " (id INTEGER NOT NULL PRIMARY KEY, owner "
                         "VARCHAR(200) NOT NULL, started_at VARCHAR(32) NOT "
                         "NULL, lease_until VARCHAR(32) NOT NULL)");
    /* Made before the lock is ours: its format row is written under the
     * lock (tableformat_upgrade). */
    rc = db_query(vt->db, sql.buf, NULL, 0, NULL, NULL, NULL, NULL, err);
    mgr_buf_release(&sql);
    return rc;
}

static int keep_row(void *ctx, size_t ncols, const char *const *names,
                    const char *const *values)
{
    struct tablelock_row *row = ctx;

    (void)names;
    if (ncols < 3 || !values[0] || !values[1] || !values[2])
        return MGR_OK;
    snprintf(row->owner, sizeof(row->owner), "%s", values[0]);
    snprintf(row->started_at, sizeof(row->started_at), "%s", values[1]);
    snprintf(row->lease_until, sizeof(row->lease_until), "%s", values[2]);
    row->found = true;
    return MGR_OK;
}

int tablelock_read(struct vtable *vt, struct tablelock_row *row,
                   struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    int exists = 1, rc = MGR_OK;

    memset(row, 0, sizeof(*row));
    if (vt->db->ops->table_exists)
        rc = vt->db->ops->table_exists(vt->db->conn, vt->schema,
                                       TABLELOCK_NAME, &exists, err);
    if (rc != MGR_OK || !exists)
        return rc;
    mgr_buf_addstr(&sql, "SELECT owner, started_at, lease_until FROM ");
    vtable_qualify(vt, TABLELOCK_NAME, &sql);
    mgr_buf_addstr(&sql, " WHERE id = 1");
    rc = db_query(vt->db, sql.buf, NULL, 0, keep_row, row, NULL, NULL, err);
    mgr_buf_release(&sql);
    return rc;
}

bool tablelock_stale(const struct tablelock_row *row)
{
    char now[32];

    tablelock_utc_after(0, now);
    return row->found && strcmp(row->lease_until, now) < 0;
}

static int lost(struct mgr_error *err)
{
    return mgr_error_set(err, MGR_ELOCKED,
                         "the migration lock was lost: its row in %s was "
                         "removed or taken over; stopping before recording "
                         "more",
                         TABLELOCK_NAME);
}

void tablelock_renew_sql(const struct vtable *vt, struct mgr_buf *out)
{
    mgr_buf_addstr(out, "UPDATE ");
    vtable_qualify(vt, TABLELOCK_NAME, out);
    mgr_buf_addstr(out, " SET lease_until = $1 WHERE id = 1 AND owner = $2");
}

int tablelock_renew_on(struct db *db, const char *sql, const char *owner,
                       long lease_ms, long *affected_out,
                       struct mgr_error *err)
{
    char lease[32];
    const char *params[2] = { lease, owner };

    tablelock_utc_after(lease_ms, lease);
    *affected_out = -1;
    return db_query(db, sql, params, 2, NULL, NULL, affected_out, NULL,
                    err);
}

/* Without a heartbeat the lease is renewed here, in the caller's
 * transaction: where no second connection reaches the database (a
 * memory database) nothing else can see the row anyway. */
static int renew_here(struct tablelock *tl, struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    long affected;
    int rc;

    tablelock_renew_sql(tl->vt, &sql);
    rc = tablelock_renew_on(tl->vt->db, sql.buf, tl->owner, tl->lease_ms,
                            &affected, err);
    mgr_buf_release(&sql);
    if (rc == MGR_OK && affected == 0)
        rc = lost(err);
    return rc;
}

int tablelock_check(struct tablelock *tl, struct mgr_error *err)
{
    struct tablelock_row row;
    int rc;

    if (!tl->beat)
        return renew_here(tl, err);
    if (lockbeat_lost(tl->beat))
        return lost(err);
    rc = tablelock_read(tl->vt, &row, err);
    if (rc == MGR_OK && (!row.found || strcmp(row.owner, tl->owner) != 0))
        rc = lost(err);
    return rc;
}

int tablelock_release(struct tablelock *tl, struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    const char *params[1] = { tl->owner };
    long affected = -1;
    int rc;

    lockbeat_stop(tl->beat);
    tl->beat = NULL;
    mgr_buf_addstr(&sql, "DELETE FROM ");
    vtable_qualify(tl->vt, TABLELOCK_NAME, &sql);
    mgr_buf_addstr(&sql, " WHERE id = 1 AND owner = $1");
    rc = db_query(tl->vt->db, sql.buf, params, 1, NULL, NULL, &affected,
                  NULL, err);
    if (rc == MGR_OK && affected == 0)
        rc = mgr_error_set(err, MGR_ELOCKED,
                           "the migration lock was lost before the end of "
                           "the run (its row in %s was removed)",
                           TABLELOCK_NAME);
    mgr_buf_release(&sql);
    return rc;
}

int tablelock_remove(struct vtable *vt, const struct tablelock_row *row,
                     bool any_lease, bool *removed_out,
                     struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    const char *params[2] = { row->owner, row->lease_until };
    long affected = -1;
    int rc;

    mgr_buf_addstr(&sql, "DELETE FROM ");
    vtable_qualify(vt, TABLELOCK_NAME, &sql);
    mgr_buf_addstr(&sql, any_lease ? " WHERE id = 1 AND owner = $1"
                                   : " WHERE id = 1 AND owner = $1 AND "
                                     "lease_until = $2");
    rc = db_query(vt->db, sql.buf, params, any_lease ? 1 : 2, NULL, NULL,
                  &affected, NULL, err);
    mgr_buf_release(&sql);
    *removed_out = rc == MGR_OK && affected == 1;
    return rc;
}
