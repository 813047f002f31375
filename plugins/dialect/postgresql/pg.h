/*
 * pg.h: the PostgreSQL dialect plugin (libpq), private declarations.
 *
 * The plugin is split in three parts:
 *   pg_dialect.c  entry point, connections, queries, transactions,
 *                 quoting, table_exists
 *   pg_lock.c     the migration lock: a session-level advisory lock,
 *                 one attempt at a time; the host polls (reliability
 *                 R1, §2 #6)
 *   pg_split.c    a lexer that knows PostgreSQL's quoting rules, the
 *                 statement splitter and needs_no_transaction
 */
#ifndef MGR_PG_H
#define MGR_PG_H

#include <stddef.h>

#include <libpq-fe.h>

#include <migrator/plugin.h>

/* Room for a 64-bit advisory lock id as text: "-9223372036854775808". */
#define PG_LOCK_ID_SIZE 24

/* One per loaded plugin. */
struct pg_state {
    const struct mgr_host_api *api;
    struct mgr_host *host;
};

/* One per connection (the conn handle the host holds). */
struct pg_conn {
    struct pg_state *st;
    PGconn *pg;
    PGcancel *cancel;  /* made at connect, for interrupt() */
    int quiet;         /* drop server notices (while unlocking) */
    char *lock_key;    /* the key of the lock this session holds, or NULL */
    char lock_id[PG_LOCK_ID_SIZE]; /* its advisory lock id, as text */
};

/* ---- pg_dialect.c ------------------------------------------------------ */

/*
 * The ops member query: run one statement with text params, rows to row.
 * Returns MGR_OK, MGR_EDB, MGR_ECONN, or what row returned.
 */
int pg_query(void *conn, const char *sql, const char *const *params,
             size_t nparams, mgr_row_fn row, void *row_ctx,
             long *affected_out, struct mgr_db_error *dberr,
             struct mgr_error *err);

/* ---- pg_lock.c --------------------------------------------------------- */

/*
 * The ops member try_lock: one pg_try_advisory_lock() in autocommit.
 * *got_out 1 when this session holds key now (or held it already), 0
 * with the holder described (pid, application, client, since when) when
 * another session does. MGR_EPLUGIN while this session holds another
 * key; MGR_EDB inside a transaction; MGR_ECONN when the connection is
 * lost.
 */
int pg_try_lock(void *conn, const char *key, long wait_ms,
                int *got_out, struct mgr_buf *holder,
                struct mgr_error *err);
int pg_lock_check(void *conn, const char *key, struct mgr_error *err);
int pg_unlock(void *conn, const char *key, struct mgr_error *err);

/* ---- pg_split.c -------------------------------------------------------- */

int pg_split(void *state, const char *text, size_t len, int first_line,
             int (*emit)(void *ctx, const char *stmt, size_t len, int line,
                         struct mgr_error *err),
             void *ctx, struct mgr_error *err);
int pg_needs_no_transaction(void *state, const char *stmt, size_t len,
                            struct mgr_buf *why);

#endif
