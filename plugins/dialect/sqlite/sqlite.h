/*
 * sqlite.h: the SQLite dialect plugin (libsqlite3), private declarations.
 *
 * The plugin is split in three parts:
 *   sqlite_dialect.c  entry point, URLs, connections, queries,
 *                     transactions, quoting, table_exists
 *   sqlite_lock.c     the migration lock: a lock file next to the
 *                     database (reliability R2)
 *   sqlite_split.c    the statement splitter (SQLite's own
 *                     sqlite3_complete() decides where a statement ends)
 *                     and needs_no_transaction
 *
 * URLs. "sqlite://" and "sqlite:///:memory:" open a memory database;
 * "sqlite:///rel.db" opens rel.db relative to the working directory (as
 * SQLAlchemy does); "sqlite:////abs/path.db" opens /abs/path.db. The
 * scheme may carry a driver suffix ("sqlite+pysqlite://"). The path is
 * taken literally (no percent-decoding). A query string may hold SQLite's
 * own URI parameters (mode, cache, immutable, nolock, psow, vfs): the
 * database is then opened as a URI file name ("file:rel.db?mode=ro");
 * any other parameter is refused.
 *
 * The plugin never changes the user's settings: no PRAGMA foreign_keys,
 * journal_mode or synchronous is issued. The busy timeout is
 * SQ_BUSY_DEFAULT_MS.
 */
#ifndef MGR_SQLITE_H
#define MGR_SQLITE_H

#include <stddef.h>

#include <sqlite3.h>

#include <migrator/plugin.h>

/* Busy timeout of a new connection, in milliseconds. */
#define SQ_BUSY_DEFAULT_MS 5000L

/* The lock file is the database's absolute file name plus this. */
#define SQ_LOCK_SUFFIX "-migrator.lock"

/* One per loaded plugin. */
struct sq_state {
    const struct mgr_host_api *api;
    struct mgr_host *host;
};

/* One per connection (the conn handle the host holds). */
struct sq_conn {
    struct sq_state *st;
    sqlite3 *db;
    char *path;      /* absolute file name; NULL for a memory database */
    long busy_ms;    /* the busy timeout in force */
    int lock_fd;     /* the lock file, open and locked; or -1 */
    char *lock_path; /* its name, while lock_fd >= 0 */
    char *lock_key;  /* the key it was taken for, while lock_fd >= 0 */
};

/* ---- sqlite_dialect.c -------------------------------------------------- */

/*
 * Open the database of url into a new connection (*conn_out). MGR_ECONFIG
 * for a URL the plugin does not understand, MGR_EDB when the database
 * cannot be opened (the message names the path).
 */
int sq_connect(void *state, const char *url, void **conn_out,
               struct mgr_error *err);
void sq_close(void *conn);

/* mgr_dialect_ops.query. dberr may be NULL. */
int sq_query(void *conn, const char *sql, const char *const *params,
             size_t nparams, mgr_row_fn row, void *row_ctx,
             long *affected_out, struct mgr_db_error *dberr,
             struct mgr_error *err);

/* ---- sqlite_lock.c ----------------------------------------------------- */

/*
 * The ops member try_lock: one attempt at the lock file "<database>"
 * SQ_LOCK_SUFFIX (created 0600 when missing, kept afterwards), without
 * waiting. *got_out 1 when this connection holds it now (or held it
 * already for key); 0 when another connection or process does, with
 * "pid N (lock file '...')" appended to holder (the holder writes its pid
 * into the file). Memory databases need no lock. MGR_EPLUGIN while this
 * connection holds the lock for another key; MGR_EIO when the file
 * cannot be opened or locked. No SQL runs, so no transaction is opened.
 */
/* SQLite's busy timeout: how long a statement waits for another
 * writer. */
void sq_set_busy(struct sq_conn *c, long ms);
int sq_try_lock(void *conn, const char *key, long wait_ms,
                int *got_out, struct mgr_buf *holder,
                struct mgr_error *err);
/*
 * lock_check: whether this connection still holds the lock; unlock:
 * release it. Both MGR_ELOCKED when it was not held, or when the lock
 * file was removed or replaced while held (another run may have taken a
 * new one).
 */
int sq_lock_check(void *conn, const char *key, struct mgr_error *err);
int sq_unlock(void *conn, const char *key, struct mgr_error *err);
/* Release the lock, if held, without any check (closing). */
void sq_lock_release(struct sq_conn *c);

/* ---- sqlite_split.c ---------------------------------------------------- */

int sq_split(void *state, const char *text, size_t len, int first_line,
             int (*emit)(void *ctx, const char *stmt, size_t len, int line,
                         struct mgr_error *err),
             void *ctx, struct mgr_error *err);
int sq_needs_no_transaction(void *state, const char *stmt, size_t len,
                            struct mgr_buf *why);

/*
 * Skip white space, comments and ';' from p (NUL-terminated); return the
 * first byte of anything else, or the terminating NUL. An unterminated
 * block comment runs to the end, as in SQLite.
 */
const char *sq_skip_blank(const char *p);

#endif
