/*
 * pg.h: the PostgreSQL dialect plugin (libpq), private declarations.
 *
 * The plugin's parts:
 *   pg_dialect.c  entry point, queries, transactions, quoting,
 *                 table_exists
 *   pg_connect.c  connections: options (connect_timeout, keepalives),
 *                 a connect that polls and a signal can end
 *   pg_wait.c     waiting for results in poll(2) slices: a signal
 *                 cancels, then closes a connection that does not answer
 *   pg_locktimeout.c  set_lock_timeout, and who held the lock a
 *                 statement gave up on (pg_blocking_pids)
 *   pg_lock.c     the migration lock: a session-level advisory lock,
 *                 one attempt at a time; the host polls (reliability
 *                 R1, §2 #6)
 *   pg_split.c    a lexer that knows PostgreSQL's quoting rules, the
 *                 statement splitter and needs_no_transaction
 *   pg_schema.c   introspect: the schema from pg_catalog, one query per
 *                 kind of object
 *   pg_autoname.c the names PostgreSQL makes up for constraints and
 *                 indexes
 *   pg_array.c    array values as the server prints them
 *   pg_exprtext.c expression text as it settles after one more load
 *   pg_ddl.c      render: DDL for tables, columns, constraints, indexes
 *                 and comments (pg_ddl.h)
 *   pg_ddl_types.c  render: enums, sequences and views
 *   pg_scratch.c  scratch databases (scratch_open, scratch_close)
 *   pg_parse.c    parse: the grammar's tree (libpg_query), for lint
 *   pg_batch.c    batch: statements sent together (pipeline mode)
 */
#ifndef MGR_PG_H
#define MGR_PG_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include <migrator/plugin.h>

/* Room for a 64-bit advisory lock id as text: "-9223372036854775808". */
#define PG_LOCK_ID_SIZE 24

/* One per loaded plugin. */
struct pg_state {
    const struct mgr_host_api *api;
    struct mgr_host *host;
    unsigned scratch_count; /* scratch databases made, for their names */
};

/* How long a server may take to answer a cancel before its connection
 * is closed (pg_wait.c). */
#define PG_CANCEL_GRACE_MS 1000
/* The longest poll(2) slice between two looks at api->interrupted(). */
#define PG_POLL_SLICE_MS 100
/* Room for the sessions a lock wait waited for (pg_locktimeout.c). */
#define PG_BLOCKERS_SIZE 600

/* One per connection (the conn handle the host holds). */
struct pg_conn {
    struct pg_state *st;
    PGconn *pg;        /* NULL once pg_wait.c closed it (every call then
                          fails: libpq answers CONNECTION_BAD for NULL) */
    PGcancel *cancel;  /* made at connect, for interrupt() */
    int quiet;         /* drop server notices (while unlocking) */
    char *lock_key;    /* the key of the lock this session holds, or NULL */
    char lock_id[PG_LOCK_ID_SIZE]; /* its advisory lock id, as text */
    char lock_pid[16]; /* the server session that took it */

    /* How it was made, for the connections made like it (scratch, the
     * side connection): url and dbname as given (dbname may be NULL). */
    char *url;
    char *dbname;
    struct mgr_connect_options opts; /* the whole struct, as this plugin
                                        knows it */

    /* A cancel request was sent (by interrupt() from the host's signal
     * handler, or by a wait): one is enough. */
    volatile sig_atomic_t cancel_sent;

    /* set_lock_timeout (pg_locktimeout.c). */
    long lock_timeout_ms;    /* 0: none */
    bool lock_timeout_in_tx; /* set inside a transaction, whose rollback
                                undoes it: set again after one */
    long sent_ms;            /* when the statement waited for was sent */
    long next_look_ms;       /* when to look for its blockers next
                                (since sent_ms); -1: not again */
    char blockers[PG_BLOCKERS_SIZE]; /* who it waited for, or "" */
    struct pg_conn *side;    /* made on the first look, closed with this */
    bool side_failed;        /* it could not be made: no more looks */
};

/* ---- pg_dialect.c ------------------------------------------------------ */

/*
 * Copy libpq's text into dst: lines joined with "; ", tabs and the
 * trailing newline dropped, "FATAL:  x" written "FATAL: x".
 */
void pg_flatten(char *dst, size_t size, const char *src);

/* The error of a failed result (MGR_ECONN when the connection is gone),
 * with dberr filled; and the rows an INSERT/UPDATE/DELETE/MERGE changed
 * (-1 for other statements). */
int pg_result_error(struct pg_conn *c, const PGresult *res, const char *sql,
                    struct mgr_db_error *dberr, struct mgr_error *err);
long pg_affected_rows(PGresult *res);

/*
 * The ops member query: run one statement with text params, rows to row.
 * Returns MGR_OK, MGR_EDB, MGR_ECONN, or what row returned.
 */
int pg_query(void *conn, const char *sql, const char *const *params,
             size_t nparams, mgr_row_fn row, void *row_ctx,
             long *affected_out, struct mgr_db_error *dberr,
             struct mgr_error *err);

/* The ops members quote_ident and quote_literal. */
void pg_quote_ident(void *state, const char *ident, struct mgr_buf *out);
void pg_quote_literal(void *state, const char *lit, struct mgr_buf *out);

/* ---- pg_connect.c ------------------------------------------------------ */

/*
 * Connect to url as the ops member connect_opts does, with o (a whole
 * struct mgr_connect_options); with dbname not NULL, to that database
 * instead of the one url names (the other parameters stay). *conn_out
 * is a struct pg_conn for the ops members.
 */
int pg_connect_db(struct pg_state *st, const char *url, const char *dbname,
                  const struct mgr_connect_options *o, void **conn_out,
                  struct mgr_error *err);
/* The ops members connect, connect_read_only (1.3), connect_opts (1.4),
 * close and interrupt. */
int pg_connect(void *state, const char *url, void **conn_out,
               struct mgr_error *err);
int pg_connect_read_only(void *state, const char *url, void **conn_out,
                         struct mgr_error *err);
int pg_connect_opts(void *state, const char *url,
                    const struct mgr_connect_options *o, void **conn_out,
                    struct mgr_error *err);
void pg_close(void *conn);
void pg_interrupt(void *conn);

/* ---- pg_wait.c --------------------------------------------------------- */

/* Milliseconds of CLOCK_MONOTONIC. */
long pg_now_ms(void);

/* The signal api->interrupted() reports, or 0 (also for a host without
 * it). */
int pg_interrupted(const struct pg_state *st);

/* A statement (or a pipeline) was just sent on c: its wait begins. */
void pg_wait_begin(struct pg_conn *c);

/*
 * The next result of what was sent on c (PQgetResult's answer, NULL when
 * they are over), waited for in poll(2) slices with what is queued
 * flushed. MGR_ECONN when the connection is lost; MGR_EINTR when a
 * signal ended the wait (the server did not answer the cancel in
 * PG_CANCEL_GRACE_MS: c is closed).
 */
int pg_wait_result(struct pg_conn *c, PGresult **res_out,
                   struct mgr_error *err);

/* Read and drop the results left, as pg_wait_result waits for them. */
int pg_wait_drain(struct pg_conn *c, struct mgr_error *err);

/* The NULL that ends the results of a statement whose result is in
 * hand: only MGR_EINTR is an error (a connection lost meanwhile shows
 * in PQstatus, which the result's reading looks at). */
int pg_wait_end(struct pg_conn *c, struct mgr_error *err);

/* One slice of waiting for input on c (COPY data), as pg_wait_result
 * waits. */
int pg_wait_input(struct pg_conn *c, struct mgr_error *err);

/* sql (no params, simple protocol) on c, waited for as pg_wait_result
 * does: the last result in *res_out (PQclear it), which may be NULL
 * when nothing came. A connection lost after a result came shows in
 * PQstatus, not in the status returned. */
int pg_wait_exec(struct pg_conn *c, const char *sql, PGresult **res_out,
                 struct mgr_error *err);

/* Close c's connection now (c->pg becomes NULL); the struct stays. */
void pg_drop(struct pg_conn *c);

/* ---- pg_locktimeout.c --------------------------------------------------- */

/* The ops member set_lock_timeout (ABI 1.4): SET lock_timeout. */
int pg_set_lock_timeout(void *conn, long ms, struct mgr_error *err);

/* A wait on c goes on: look up who blocks the statement when it is
 * time (half the lock timeout, at most 1 s, then less and less often). */
void pg_lock_watch(struct pg_conn *c);

/* Whether a statement on c that failed with sqlstate gave up waiting
 * for a lock because of set_lock_timeout; then pg_lock_timeout_error is
 * its error: MGR_ELOCKTIMEOUT naming the blockers. */
bool pg_is_lock_timeout(const struct pg_conn *c, const char *sqlstate);
int pg_lock_timeout_error(struct pg_conn *c, struct mgr_error *err);

/* A transaction ended: a lock timeout set inside it is set again after a
 * rollback (rolled_back) and kept after a commit. */
void pg_lock_timeout_tx_end(struct pg_conn *c, bool rolled_back);

/* Close the side connection of c, if any. */
void pg_side_close(struct pg_conn *c);

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

/* ---- pg_schema.c ------------------------------------------------------ */

/* The ops member introspect (ABI 1.2). */
int pg_introspect(void *conn, const struct mgr_introspect_request *req,
                  struct mgr_schema_sink *sink, struct mgr_error *err);

/* ---- pg_autoname.c ---------------------------------------------------- */

/*
 * Whether name is what PostgreSQL names a constraint or index of table
 * made without a name: table, the cols (NULL or none: no column part) and
 * label ("pkey", "key", "fkey", "check", "idx", "excl") joined by '_',
 * cut to 63 bytes, maybe with a number after the label.
 */
bool pg_autoname_matches(const char *name, const char *table,
                         const char *const *cols, size_t ncols,
                         const char *label);

/* ---- pg_array.c ------------------------------------------------------- */

/*
 * The elements of text, a one-dimensional array as the server prints it
 * ("{a,\"b c\"}"), in one allocation to give to api->free: the pointers,
 * then the strings. A NULL element is a NULL pointer. NULL (*n_out 0)
 * when text is NULL or no array.
 */
const char **pg_array_parse(const struct mgr_host_api *api,
                            const char *text, size_t *n_out);

/* ---- pg_exprtext.c ---------------------------------------------------- */

/*
 * Append text (an expression as the server prints it) to out as the
 * server prints it once that text is loaded again: an ARRAY of string
 * literals cast as a whole gets the cast on each element instead, so
 * that a dump loads back and dumps the same.
 */
void pg_expr_settled(const struct mgr_host_api *api, const char *text,
                     struct mgr_buf *out);

/* ---- pg_ddl.c --------------------------------------------------------- */

/* The ops member render (ABI 1.2). */
int pg_render(void *state, const struct mgr_change *const *changes,
              size_t n, size_t i, struct mgr_buf *out, unsigned *flags_out,
              struct mgr_error *err);

/* ---- pg_scratch.c ----------------------------------------------------- */

/* The ops member batch (ABI 1.3): pipeline mode where libpq has it. */
int pg_batch(void *conn, struct mgr_batch_item *items, size_t n,
             size_t *failed_out, struct mgr_db_error *dberr,
             struct mgr_error *err);

/* The ops member parse (ABI 1.3), where libpg_query is; the JSON shape
 * it gives is PG_PARSE_FORMAT. pg_parse_fini releases the parser's
 * memory at plugin fini (does nothing without it). */
#define PG_PARSE_FORMAT "pg_query-15"
int pg_parse(void *state, const char *stmt, size_t len, struct mgr_buf *tree,
             int *offset_out, struct mgr_error *err);
void pg_parse_fini(void);

/* The ops members scratch_open and scratch_close (ABI 1.2). */
int pg_scratch_open(void *state, void *conn, const char *url,
                    void **scratch_out, struct mgr_buf *name,
                    struct mgr_error *err);
int pg_scratch_close(void *state, void *conn, void *scratch,
                     const char *name, struct mgr_error *err);

#endif
