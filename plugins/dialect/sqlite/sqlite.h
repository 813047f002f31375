/*
 * sqlite.h: the SQLite dialect plugin (libsqlite3), private declarations.
 *
 * The plugin is split in these parts:
 *   sqlite_dialect.c  entry point, URLs, connections, queries,
 *                     transactions, quoting, table_exists
 *   sqlite_lock.c     the migration lock: a lock file next to the
 *                     database (reliability R2)
 *   sqlite_split.c    the statement splitter (SQLite's own
 *                     sqlite3_complete() decides where a statement ends)
 *                     and needs_no_transaction
 *   sqlite_schema.c   introspect (sqlite_schema and the pragma table
 *                     functions) and the scratch database
 *   sqlite_ddl.c      render: the DDL of one schema change
 *   sqlite_rebuild.c  render: the table rebuild for what ALTER TABLE
 *                     cannot do, and which changes it covers
 *   sqlite_views.c    render: which views exist at a point of a list of
 *                     changes, and which of them name a table
 *   sqlite_createsql.c  reading CREATE TABLE/INDEX/VIEW text
 *   sqlite_token.c    a token's name into an arena (SQLite's tokens and
 *                     name comparison are plugins/common/sqlite_tokens.c)
 *   sqlite_arena.c    memory freed all at once (introspection, parsing)
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
 * SQ_BUSY_DEFAULT_MS (try_lock sets it to lock_wait); a read-only
 * connection (connect_read_only) has none: it reports a database that a
 * writer holds at once.
 */
#ifndef MGR_SQLITE_H
#define MGR_SQLITE_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include <migrator/plugin.h>

#include "sqlite_tokens.h"

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
/* Statements with parameters (the version table's and the log's) are
 * kept prepared for the connection's life: a run writes the same few
 * for every revision. */
#define SQ_CACHE_SIZE 8

struct sq_cached {
    char *sql;          /* NULL: a free slot */
    sqlite3_stmt *stmt;
    bool in_use;        /* stepping now (a row callback may query) */
    size_t *param_k;    /* the value each parameter stands for, by
                         * position (param_number), worked out once */
};

struct sq_conn {
    struct sq_state *st;
    sqlite3 *db;
    struct sq_cached cache[SQ_CACHE_SIZE];
    unsigned cache_next; /* the slot to reuse next, round robin */
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
int sq_connect_read_only(void *state, const char *url, void **conn_out,
                         struct mgr_error *err);
int sq_connect(void *state, const char *url, void **conn_out,
               struct mgr_error *err);
void sq_close(void *conn);

/* A row callback that counts rows into the int at ctx. */
int sq_count_row(void *ctx, size_t ncols, const char *const *names,
                 const char *const *values);

/*
 * mgr_dialect_ops.query. dberr may be NULL. A PRAGMA foreign_key_check
 * that returns a row fails (MGR_EDB naming the table, the rowid and the
 * referenced table): SQLite reports broken references as rows, and a
 * table rebuild must roll back rather than commit them.
 */
int sq_query(void *conn, const char *sql, const char *const *params,
             size_t nparams, mgr_row_fn row, void *row_ctx,
             long *affected_out, struct mgr_db_error *dberr,
             struct mgr_error *err);

/* mgr_dialect_ops.quote_ident and quote_literal: "ident" and 'text',
 * each quote inside doubled. */
void sq_quote_ident(void *state, const char *ident, struct mgr_buf *out);
void sq_quote_literal(void *state, const char *lit, struct mgr_buf *out);

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

/* ---- sqlite_arena.c ---------------------------------------------------- */

/* Allocations through api->alloc, all freed by sq_arena_release(). */
struct sq_arena_block;
struct sq_arena {
    const struct mgr_host_api *api;
    struct sq_arena_block *blocks;
};

void sq_arena_init(struct sq_arena *a, const struct mgr_host_api *api);
/* n bytes, zeroed, aligned for any type; never NULL. */
void *sq_arena_alloc(struct sq_arena *a, size_t n);
char *sq_arena_strndup(struct sq_arena *a, const char *s, size_t n);
/* NULL for NULL. */
char *sq_arena_strdup(struct sq_arena *a, const char *s);
void sq_arena_release(struct sq_arena *a);

/* A growable array of pointers kept in an arena; { 0 } is empty. */
struct sq_ptrs {
    void **v;
    size_t n;
    size_t alloc;
};
void sq_ptrs_push(struct sq_arena *a, struct sq_ptrs *p, void *item);

/* ---- sqlite_token.c ---------------------------------------------------- */

/* SQLite's tokens are plugins/common/sqlite_tokens.h (included above). */

/* t unquoted ("a""b" gives a"b), in a. */
char *sq_token_ident(struct sq_arena *a, const struct sq_token *t);

/* ---- sqlite_createsql.c ------------------------------------------------ */

/* FOREIGN KEY (from) REFERENCES table (to), as written. */
struct sq_fk_clause {
    const char *name;   /* CONSTRAINT name, or NULL */
    struct sq_ptrs from; /* const char * column names */
    const char *table;
    struct sq_ptrs to;  /* empty: the referenced table's primary key */
    unsigned flags;     /* MGR_OBJ_DEFERRABLE, MGR_OBJ_INITIALLY_DEFERRED */
    int used;           /* matched to a foreign key SQLite reports */
};

struct sq_unique_clause {
    const char *name;    /* CONSTRAINT name, or NULL */
    struct sq_ptrs cols; /* const char * column names */
    int used;            /* matched to an index SQLite reports */
};

struct sq_check_clause {
    const char *name; /* CONSTRAINT name, or NULL */
    const char *expr; /* the text inside CHECK ( ) */
};

/* What CREATE TABLE text tells beyond the pragmas; clauses in the order
 * written, column constraints and table constraints alike. */
struct sq_table_sql {
    const char *pk_name;       /* CONSTRAINT name of the PRIMARY KEY */
    const char *autoincrement; /* the INTEGER PRIMARY KEY AUTOINCREMENT
                                  column, or NULL */
    struct sq_ptrs uniques;    /* struct sq_unique_clause * */
    struct sq_ptrs checks;     /* struct sq_check_clause * */
    struct sq_ptrs fks;        /* struct sq_fk_clause * */
};

/* CREATE INDEX text: each element of its column list as written, and
 * the WHERE condition (NULL when none). */
struct sq_index_sql {
    struct sq_ptrs items;
    const char *where;
};

/* Read CREATE text (as sqlite_schema keeps it) into *out; everything in
 * a. Text SQLite would refuse gives a partial result, never an error. */
void sq_parse_create_table(struct sq_arena *a, const char *sql,
                           struct sq_table_sql *out);
void sq_parse_create_index(struct sq_arena *a, const char *sql,
                           struct sq_index_sql *out);
/* The SELECT after AS of CREATE VIEW text, or NULL. */
const char *sq_parse_view_body(struct sq_arena *a, const char *sql);

/* ---- sqlite_schema.c --------------------------------------------------- */

/* The ops members introspect, scratch_open and scratch_close (ABI 1.2):
 * see plugin.h. The scratch database is a memory database opened as
 * "sqlite://"; its name is "". */
int sq_introspect(void *conn, const struct mgr_introspect_request *req,
                  struct mgr_schema_sink *sink, struct mgr_error *err);
/* Whether req asks to leave table out (migrator's own tables). */
int sq_excluded(const struct mgr_introspect_request *req, const char *table);
int sq_scratch_open(void *state, void *conn, const char *url,
                    void **scratch_out, struct mgr_buf *name,
                    struct mgr_error *err);
int sq_scratch_close(void *state, void *conn, void *scratch,
                     const char *name, struct mgr_error *err);

/* ---- sqlite_capture.c -------------------------------------------------- */

/* The ops member capture (ABI 1.5): see plugin.h and sqlite_capture.c. */
int sq_capture(void *conn, const struct mgr_introspect_request *req,
               struct mgr_buf *out, int *captured_out,
               struct mgr_error *err);

/* ---- sqlite_ddl.c, sqlite_rebuild.c, sqlite_views.c -------------------- */

/* The ops member render (ABI 1.2): see plugin.h and sqlite_ddl.c. */
int sq_render(void *state, const struct mgr_change *const *changes,
              size_t n, size_t i, struct mgr_buf *out, unsigned *flags_out,
              struct mgr_error *err);

#endif
