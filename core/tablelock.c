/* tablelock.c: the migration lock as a row of migrator_lock. */
#include "autoconfig.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tablelock.h"
#include "util.h"

static void qualified(const struct vtable *vt, struct mgr_buf *out)
{
    if (vt->schema) {
        vt->db->ops->quote_ident(vt->db->state, vt->schema, out);
        mgr_buf_addch(out, '.');
    }
    vt->db->ops->quote_ident(vt->db->state, TABLELOCK_NAME, out);
}

/* UTC time ms from now as "2026-11-24T09:00:00.123Z": text order is time
 * order. */
static void utc_after(long ms, char out[32])
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
    qualified(vt, &sql);
    mgr_buf_addstr(&sql, " (id INTEGER NOT NULL PRIMARY KEY, owner "
                         "VARCHAR(200) NOT NULL, started_at VARCHAR(32) NOT "
                         "NULL, lease_until VARCHAR(32) NOT NULL)");
    rc = db_query(vt->db, sql.buf, NULL, 0, NULL, NULL, NULL, NULL, err);
    mgr_buf_release(&sql);
    return rc;
}

struct holder {
    char owner[200];
    char started_at[32];
    char lease_until[32];
    bool found;
};

static int keep_holder(void *ctx, size_t ncols, const char *const *names,
                       const char *const *values)
{
    struct holder *h = ctx;

    (void)names;
    if (ncols < 3 || !values[0] || !values[1] || !values[2])
        return MGR_OK;
    snprintf(h->owner, sizeof(h->owner), "%s", values[0]);
    snprintf(h->started_at, sizeof(h->started_at), "%s", values[1]);
    snprintf(h->lease_until, sizeof(h->lease_until), "%s", values[2]);
    h->found = true;
    return MGR_OK;
}

static int read_holder(struct vtable *vt, struct holder *h,
                       struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    int rc;

    memset(h, 0, sizeof(*h));
    mgr_buf_addstr(&sql, "SELECT owner, started_at, lease_until FROM ");
    qualified(vt, &sql);
    mgr_buf_addstr(&sql, " WHERE id = 1");
    rc = db_query(vt->db, sql.buf, NULL, 0, keep_holder, h, NULL, NULL, err);
    mgr_buf_release(&sql);
    return rc;
}

static int try_insert(struct vtable *vt, const char *owner, bool *got,
                      struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    char now[32], lease[32];
    const char *params[3] = { owner, now, lease };
    long affected = -1;
    int rc;

    utc_after(0, now);
    utc_after(TABLELOCK_LEASE_MS, lease);
    mgr_buf_addstr(&sql, "INSERT INTO ");
    qualified(vt, &sql);
    mgr_buf_addstr(&sql, " (id, owner, started_at, lease_until) VALUES (1, "
                         "$1, $2, $3) ON CONFLICT DO NOTHING");
    rc = db_query(vt->db, sql.buf, params, 3, NULL, NULL, &affected, NULL,
                  err);
    *got = rc == MGR_OK && affected == 1;
    mgr_buf_release(&sql);
    return rc;
}

/* Who holds the row, for people: "owner since T, lease until U". */
static void describe_holder(const struct holder *h, struct mgr_buf *out)
{
    char now[32];

    utc_after(0, now);
    mgr_buf_addf(out, "%s since %s, lease until %s%s (table %s)", h->owner,
                 h->started_at, h->lease_until,
                 strcmp(h->lease_until, now) < 0
                     ? " (run out: if that run is gone, 'migrator unlock' "
                       "removes it)"
                     : "",
                 TABLELOCK_NAME);
}

int tablelock_try(struct vtable *vt, const char *owner, int *got_out,
                  struct mgr_buf *holder, struct mgr_error *err)
{
    struct mgr_error ignored;
    struct holder h;
    bool got = false;
    int rc;

    rc = try_insert(vt, owner, &got, err);
    *got_out = got;
    if (rc != MGR_OK || got || !holder)
        return rc;
    /* Best effort: the row may have gone since the insert. */
    if (read_holder(vt, &h, &ignored) == MGR_OK && h.found)
        describe_holder(&h, holder);
    return MGR_OK;
}

int tablelock_renew(struct vtable *vt, const char *owner,
                    struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    char lease[32];
    const char *params[2] = { lease, owner };
    long affected = -1;
    int rc;

    utc_after(TABLELOCK_LEASE_MS, lease);
    mgr_buf_addstr(&sql, "UPDATE ");
    qualified(vt, &sql);
    mgr_buf_addstr(&sql, " SET lease_until = $1 WHERE id = 1 AND owner = $2");
    rc = db_query(vt->db, sql.buf, params, 2, NULL, NULL, &affected, NULL,
                  err);
    if (rc == MGR_OK && affected == 0)
        rc = mgr_error_set(err, MGR_ELOCKED,
                           "the migration lock was lost: its row in %s was "
                           "removed or taken over; stopping before "
                           "recording more",
                           TABLELOCK_NAME);
    mgr_buf_release(&sql);
    return rc;
}

int tablelock_release(struct vtable *vt, const char *owner,
                      struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    const char *params[1] = { owner };
    long affected = -1;
    int rc;

    mgr_buf_addstr(&sql, "DELETE FROM ");
    qualified(vt, &sql);
    mgr_buf_addstr(&sql, " WHERE id = 1 AND owner = $1");
    rc = db_query(vt->db, sql.buf, params, 1, NULL, NULL, &affected, NULL,
                  err);
    if (rc == MGR_OK && affected == 0)
        rc = mgr_error_set(err, MGR_ELOCKED,
                           "the migration lock was lost before the end of "
                           "the run (its row in %s was removed)",
                           TABLELOCK_NAME);
    mgr_buf_release(&sql);
    return rc;
}

int tablelock_break(struct vtable *vt, char **holder_out,
                    struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    struct holder h;
    const char *params[1];
    char now[32];
    long affected = -1;
    int rc;

    *holder_out = NULL;
    rc = read_holder(vt, &h, err);
    if (rc != MGR_OK || !h.found)
        return rc;
    utc_after(0, now);
    if (strcmp(h.lease_until, now) >= 0)
        return mgr_error_set(err, MGR_ELOCKED,
                             "refusing to unlock: %s holds the lock since "
                             "%s and its lease runs until %s; if that run "
                             "is gone, wait for the lease to run out",
                             h.owner, h.started_at, h.lease_until);
    /* Only the row we looked at: a run that renewed meanwhile keeps it. */
    params[0] = h.lease_until;
    mgr_buf_addstr(&sql, "DELETE FROM ");
    qualified(vt, &sql);
    mgr_buf_addstr(&sql, " WHERE id = 1 AND lease_until = $1");
    rc = db_query(vt->db, sql.buf, params, 1, NULL, NULL, &affected, NULL,
                  err);
    mgr_buf_release(&sql);
    if (rc == MGR_OK && affected == 1)
        *holder_out = xstrdup(h.owner);
    return rc;
}
