/*
 * plugin.h: the migrator plugin ABI. Everything a plugin needs.
 *
 * A plugin is a loadable module named <kind>_<name> (dialect_sqlite.so,
 * format_sql.so) that exports exactly one function, mgr_plugin_entry(),
 * returning a pointer to a static descriptor (struct mgr_plugin). The host
 * hands the plugin a table of upcalls (struct mgr_host_api); a plugin never
 * links against libmigrator. Define the entry point with
 * MGR_PLUGIN_DEFINE().
 *
 * Compatibility rules. The host refuses a plugin whose ABI major differs
 * from its own, whose ABI minor is newer than its own, whose descriptor is
 * smaller than the 1.0 descriptor, whose kind or name does not match its
 * file name, or whose ops table is NULL. Structures are only ever extended
 * at the end; a field past a structure's recorded size counts as absent.
 *
 * ABI changelog, newest first:
 *   1.5  dialects: capture after set_lock_timeout (the schema as the
 *        statements that make it again, for migrator_schema).
 *   1.4  dialects: connect_opts (struct mgr_connect_options,
 *        MGR_CONNECT_READ_ONLY) and set_lock_timeout after batch. Host
 *        API: interrupted, then script_text, after lint_report. Events:
 *        steps_unknown appended to struct mgr_event (RUN_END: steps
 *        whose COMMIT was lost with the connection). Status
 *        MGR_ELOCKTIMEOUT after MGR_EEXIST (migrator.h).
 *   1.3  linters: struct mgr_linter_ops gets its members (the kind had
 *        none before, so no linter could be written against 1.0-1.2);
 *        struct mgr_json, mgr_lint_statement, mgr_finding. Dialects:
 *        parse, parse_format, connect_read_only, batch after
 *        scratch_close (struct mgr_batch_item). Host API: lint_report
 *        after schema_add. Events: FINDING and TRACE, with finding and
 *        trace appended to struct mgr_event.
 *   1.2  dialects: introspect, render, scratch_open, scratch_close after
 *        try_lock (schema model in <migrator/schema.h>). Host API:
 *        schema_add after buf_setlen.
 *   1.1  dialects: try_lock (one attempt at the migration lock; the host
 *        owns the wait, lock_wait, signals and LOCK_WAIT events) after
 *        interrupt/lock_check; lock becomes optional when try_lock is
 *        given. Host API: buf_init, buf_release, buf_reset, buf_setlen
 *        after lock_waiting. MGR_{DIALECT,FORMAT,REPORTER}_OPS_V1_SIZE
 *        name the 1.0 sizes that the host checks every ops table
 *        against, and MGR_OPS_HAS tells whether a later member is there.
 *   1.0  first version (the event model and reporter ops were settled
 *        before the first release: open/event/close, struct mgr_event).
 */
#ifndef MIGRATOR_PLUGIN_H
#define MIGRATOR_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <migrator/migrator.h>
#include <migrator/schema.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MGR_ABI_MAJOR 1u /* removed or changed anything: bump, host needs == */
#define MGR_ABI_MINOR 5u /* appended a field or function: bump, host needs >= */
#define MGR_ABI_VERSION ((MGR_ABI_MAJOR << 16) | MGR_ABI_MINOR)
#define MGR_ABI_MAJOR_OF(v) ((uint32_t)(v) >> 16)
#define MGR_ABI_MINOR_OF(v) ((uint32_t)(v)&0xffffu)

/* The name of the one symbol a plugin exports. */
#define MGR_PLUGIN_ENTRY_SYMBOL "mgr_plugin_entry"

enum mgr_plugin_kind {
    MGR_PLUGIN_DIALECT = 1,
    MGR_PLUGIN_FORMAT = 2,
    MGR_PLUGIN_REPORTER = 3,
    MGR_PLUGIN_LINTER = 4,
};

/* Opaque host objects handed to plugins. */
struct mgr_host;        /* one per loaded plugin: its name, for logging */
struct mgr_script_meta; /* revision metadata being filled by a format */
struct mgr_exec;        /* where a format sends a section's statements */
struct mgr_schema_sink; /* where a dialect reports what it introspects */
struct mgr_introspect_request; /* what introspect covers (below) */
struct mgr_lint;        /* one `migrator lint` run, for lint_report */
struct mgr_lint_statement; /* a statement handed to linters (below) */
struct mgr_finding;     /* what a linter reports (below) */
struct mgr_batch_item;  /* a statement of a dialect's batch (below) */
struct mgr_connect_options; /* how a dialect connects (below) */

/* Which section of a revision script. */
enum mgr_direction {
    MGR_UPGRADE = 1,
    MGR_DOWNGRADE = 2,
};

/* Header fields a format reports through mgr_host_api.meta_add. */
enum mgr_meta_field {
    MGR_META_MESSAGE = 1,  /* first line of the header: one line */
    MGR_META_REVISION,     /* "Revision ID": exactly one */
    MGR_META_REVISES,      /* "Revises": comma list, may be empty */
    MGR_META_BRANCH_LABELS,/* "Branch Labels": comma list */
    MGR_META_DEPENDS_ON,   /* "Depends On": comma list */
    MGR_META_CREATE_DATE,  /* "Create Date": free text */
    MGR_META_DOC,          /* a further line of the description */
};

/*
 * Called once per result row of mgr_dialect_ops.query: values[i] is the
 * text of column i, or NULL for SQL NULL; names[i] the column name. Both
 * are valid only during the call. Return MGR_OK to go on; any other
 * status stops the query and is returned by it.
 */
typedef int (*mgr_row_fn)(void *ctx, size_t ncols,
                          const char *const *names,
                          const char *const *values);

/* Options of a section, as given on its marker. */
#define MGR_SECTION_NO_TRANSACTION 0x1u /* transaction=false */

/*
 * Host -> plugin upcalls. Append-only; check api->size before using a
 * member added after 1.0 (MGR_API_HAS).
 */
struct mgr_host_api {
    uint32_t abi_version; /* the host's MGR_ABI_VERSION */
    uint32_t size;        /* sizeof(struct mgr_host_api) in the host */

    /* Diagnostics to stderr, prefixed with the plugin's name. */
    void (*log)(struct mgr_host *h, int level, const char *fmt, ...)
        MGR_PRINTF(3, 4);
    /* Fill an error; returns code. */
    int (*error_set)(struct mgr_error *err, int code, const char *fmt, ...)
        MGR_PRINTF(3, 4);

    void *(*alloc)(size_t n); /* never returns NULL (aborts) */
    void (*free)(void *p);

    void (*buf_add)(struct mgr_buf *sb, const void *data, size_t len);
    void (*buf_addf)(struct mgr_buf *sb, const char *fmt, ...)
        MGR_PRINTF(2, 3);

    /*
     * Format plugins, while parsing a header: report one field. value is
     * the raw text after "Key:" (not NUL-terminated, len bytes); the host
     * trims it, splits comma lists, validates identifiers and refuses a
     * field given twice. line is the 1-based line in the script, used in
     * error messages ("file:line: ...").
     */
    int (*meta_add)(struct mgr_script_meta *m, enum mgr_meta_field field,
                    const char *value, size_t len, int line,
                    struct mgr_error *err);

    /*
     * Format plugins, while running a section: announce the section (its
     * options and the line of its marker) before any statement, then hand
     * over its text. For SQL text the dialect splits it into statements;
     * first_line is the script line on which text starts, so errors can
     * name the line of the failing statement.
     */
    int (*exec_section_begin)(struct mgr_exec *x, unsigned flags, int line,
                              struct mgr_error *err);
    int (*exec_sql)(struct mgr_exec *x, const char *text, size_t len,
                    int first_line, struct mgr_error *err);

    /*
     * Format plugins whose scripts are code (format/c), while running a
     * section: one statement with params bound to $1..$n (NULL: none; a
     * NULL element is SQL NULL). Rows go to row (may be NULL).
     * *affected_out (may be NULL) gets the rows changed, or -1. Online the
     * statement runs on the migration's connection and transaction;
     * offline, a statement without row is rendered as SQL text (params as
     * literals) and one with row fails with MGR_EUSAGE ("needs a live
     * connection"); while checking, nothing runs and no rows come.
     * line is the script line to name in errors (0: unknown).
     */
    int (*exec_query)(struct mgr_exec *x, const char *sql,
                      const char *const *params, size_t nparams,
                      mgr_row_fn row, void *row_ctx, long *affected_out,
                      int line, struct mgr_error *err);

    /* The -x KEY=VALUE argument KEY, or NULL. Borrowed. */
    const char *(*exec_xarg)(struct mgr_exec *x, const char *key);
    /* The configuration value of key (c_compiler, c_flags, ...), expanded,
     * or NULL. Borrowed. */
    const char *(*exec_config)(struct mgr_exec *x, const char *key);
    /* The dialect's name ("sqlite", "postgresql"), or "" when unknown. */
    const char *(*exec_dialect)(struct mgr_exec *x);
    /* 1 when rendering offline SQL, 2 while checking (nothing runs),
     * 0 when running against a database. */
    int (*exec_mode)(struct mgr_exec *x);

    /*
     * The trust checks plugins get (reliability R13): path and every
     * directory above it owned by root or the user, not writable by group
     * or others. MGR_ETRUST with the reason. For modules a plugin builds
     * and loads itself (compiled scripts).
     */
    int (*trust_check)(const char *path, struct mgr_error *err);

    /*
     * Dialect plugins, while polling for the migration lock: the lock key
     * is held by holder (as the database describes it, or "") and this
     * run has waited waited_ms of wait_ms. The host reports it (a
     * LOCK_WAIT event, which the text reporter prints). Call it when the
     * wait begins and then every few seconds.
     */
    void (*lock_waiting)(struct mgr_host *h, const char *key,
                         const char *holder, long waited_ms, long wait_ms);

    /* ABI 1.1: the rest of the struct mgr_buf life cycle, so that a
     * plugin keeps its strings in host buffers (migrator.h). */
    void (*buf_init)(struct mgr_buf *sb, size_t hint);
    void (*buf_release)(struct mgr_buf *sb);
    void (*buf_reset)(struct mgr_buf *sb);
    void (*buf_setlen)(struct mgr_buf *sb, size_t len);

    /*
     * ABI 1.2. Dialects, while introspecting: report one object. The
     * host copies it (and everything it points to). A table is reported
     * before anything that belongs to it; the rest may come in any
     * order. MGR_EUSAGE when the object is malformed or belongs to a
     * table not reported.
     */
    int (*schema_add)(struct mgr_schema_sink *sink,
                      const struct mgr_object *obj, struct mgr_error *err);

    /*
     * ABI 1.3. Linters, from statement() or end(): report one finding
     * about st (end(): any statement handed over earlier in the run).
     * The host copies f. It drops findings silenced by a lint-ignore
     * directive on the statement or by lint_ignore in the config, adds
     * the size of f->table when a database is reachable, and reports the
     * rest as FINDING events.
     */
    int (*lint_report)(struct mgr_lint *l, const struct mgr_lint_statement *st,
                       const struct mgr_finding *f, struct mgr_error *err);

    /*
     * ABI 1.4. The signal (SIGINT, SIGTERM) the running command received,
     * or 0. A plugin that waits on the network or on a server polls it
     * (every 100 ms or so) and, once it is not 0, stops waiting and fails
     * with MGR_EINTR (a dialect first asks the server to cancel the
     * statement, and closes the connection when the server does not
     * answer in about a second). It stays set until the command ends, so
     * the clean-up after it (a ROLLBACK) runs all the same; bound such a
     * wait rather than refusing it. Async-signal-safe.
     */
    int (*interrupted)(void);

    /*
     * ABI 1.4. Format plugins: the text of the script at path as the host
     * read it for this command (NUL-terminated, valid until the command
     * ends; a UTF-8 byte order mark is not removed). The host reads each
     * script once, and the checksum it records is of these bytes: run
     * what this returns rather than opening the file again.
     */
    int (*script_text)(struct mgr_host *h, const char *path,
                       const char **text_out, size_t *len_out,
                       struct mgr_error *err);
};

/*
 * Whether the host's table has member. A plugin built against ABI 1.N
 * loads only in a host of 1.N or later, so it needs this only for a
 * member appended after the minor it was built for: never for its own.
 */
#define MGR_API_HAS(api, member)                                        \
    ((api)->size >= offsetof(struct mgr_host_api, member) +             \
                        sizeof((api)->member))

/*
 * Whether an ops table (whose first member is its recorded size) covers
 * member of struct type. The host uses a member appended after 1.0 only
 * when it does.
 */
#define MGR_OPS_HAS(ops, type, member)                                  \
    ((ops)->size >= offsetof(type, member) + sizeof(((type *)0)->member))

/* ---- format plugins --------------------------------------------------- */

struct mgr_format_ops {
    uint32_t size; /* sizeof(struct mgr_format_ops) in the plugin */

    /* File name endings the format claims, e.g. {".sql", NULL}. */
    const char *const *extensions;

    /*
     * Parse the header of the script at path (not its body) and report
     * every field through api->meta_add(meta, ...). Errors name the file
     * and line.
     */
    int (*parse_header)(void *state, const char *path,
                        struct mgr_script_meta *meta, struct mgr_error *err);

    /*
     * Run one section of the script at path: call
     * api->exec_section_begin(x, ...) once, then api->exec_sql(x, ...) for
     * its text. The same call renders offline SQL: the host decides what x
     * does with the text. A script without the section fails with
     * MGR_ESCRIPT naming the file.
     */
    int (*run_section)(void *state, const char *path, enum mgr_direction dir,
                       struct mgr_exec *x, struct mgr_error *err);
};

/* The 1.0 table: the smallest the host accepts. Required: extensions
 * (at least one), parse_header, run_section. */
#define MGR_FORMAT_OPS_V1_SIZE                                          \
    (offsetof(struct mgr_format_ops, run_section) + sizeof(void (*)(void)))

/* ---- dialect plugins -------------------------------------------------- */


/*
 * A statement error, as precise as the database reports it. The dialect
 * fills the struct given to exec/query (when not NULL) besides err; the
 * host adds the script file and line.
 */
struct mgr_db_error {
    char sqlstate[8];  /* "42P01", or "" (SQLite: "") */
    int code;          /* the database's own code (SQLite's extended
                          result code), or 0 */
    int offset;        /* 0-based byte offset in the statement where the
                          error is, or -1 */
    char detail[256];  /* DETAIL, or "" */
    char hint[256];    /* HINT, or "" */
};

struct mgr_dialect_ops {
    uint32_t size; /* sizeof(struct mgr_dialect_ops) in the plugin */

    /* URL schemes the dialect serves, e.g. {"sqlite", NULL}. */
    const char *const *schemes;

    /*
     * Open a connection. url is the database_url as configured (any form
     * the dialect accepts). Never log or copy the password into err: the
     * host masks URLs, but not text a plugin invents. A connection that
     * cannot be made is MGR_ECONN when the server could not be reached,
     * MGR_EDB when it refused (authentication, no such database).
     */
    int (*connect)(void *state, const char *url, void **conn_out,
                   struct mgr_error *err);
    void (*close)(void *conn);

    /*
     * Run one statement (no trailing ';' needed), with params bound to
     * $1..$n (NULL: none; a NULL element binds SQL NULL). Rows, if any,
     * go to row (which may be NULL to discard them). *affected_out, when
     * not NULL, gets the number of rows changed by INSERT/UPDATE/DELETE,
     * or -1 when unknown. On failure: MGR_EDB (the statement failed, the
     * connection is usable), MGR_ECONN (the connection is lost), with
     * dberr filled when not NULL.
     */
    int (*query)(void *conn, const char *sql, const char *const *params,
                 size_t nparams, mgr_row_fn row, void *row_ctx,
                 long *affected_out, struct mgr_db_error *dberr,
                 struct mgr_error *err);

    /* Transactions. begin takes what the dialect needs to serialise
     * writers (SQLite: BEGIN IMMEDIATE). */
    int (*begin)(void *conn, struct mgr_error *err);
    int (*commit)(void *conn, struct mgr_error *err);
    int (*rollback)(void *conn, struct mgr_error *err);

    /* 1 when DDL runs inside transactions (SQLite, PostgreSQL). */
    int transactional_ddl;

    /*
     * The migration lock for the whole run, keyed by key (a string the
     * host derives from the database and the version table). Wait at most
     * wait_ms (poll; never block inside the database), then fail with
     * MGR_ELOCKED naming the holder when known. unlock reports a lock
     * that was lost (MGR_ELOCKED).
     */
    int (*lock)(void *conn, const char *key, long wait_ms,
                struct mgr_error *err);
    int (*unlock)(void *conn, const char *key, struct mgr_error *err);

    /* Append a quoted identifier / literal to out. */
    void (*quote_ident)(void *state, const char *ident, struct mgr_buf *out);
    void (*quote_literal)(void *state, const char *lit, struct mgr_buf *out);

    /*
     * Split text into statements with the database's own quoting rules:
     * call emit once per statement (without the trailing ';', comments
     * and white space around it trimmed; empty statements skipped) with
     * the line it starts on (first_line is the line of text[0]). An
     * unterminated string or comment is MGR_ESCRIPT naming the line.
     */
    int (*split)(void *state, const char *text, size_t len, int first_line,
                 int (*emit)(void *ctx, const char *stmt, size_t len,
                             int line, struct mgr_error *err),
                 void *ctx, struct mgr_error *err);

    /*
     * Whether stmt cannot run inside a transaction block (PostgreSQL:
     * CREATE INDEX CONCURRENTLY, VACUUM, ...; SQLite: VACUUM) or is a
     * transaction-control statement (BEGIN, COMMIT, SAVEPOINT...), which
     * a transactional section must not contain. Write the reason into
     * why (a short phrase) and return 1; return 0 otherwise. May be NULL.
     */
    int (*needs_no_transaction)(void *state, const char *stmt, size_t len,
                                struct mgr_buf *why);

    /* The SQL type of the version table's column, e.g. "VARCHAR(32)". */
    const char *version_column_type;

    /*
     * Whether table exists (in schema, when not NULL or ""), without
     * failing the current transaction when it does not.
     */
    int (*table_exists)(void *conn, const char *schema, const char *table,
                        int *exists_out, struct mgr_error *err);

    /*
     * Ask the database to stop the statement running on conn, which then
     * fails. Called from a signal handler, so it must be
     * async-signal-safe (PostgreSQL: PQcancel with a PGcancel made at
     * connect time; SQLite: sqlite3_interrupt). May be NULL.
     */
    void (*interrupt)(void *conn);

    /*
     * Whether this connection still holds the lock taken with key: the
     * host asks before recording each revision, and stops (MGR_ELOCKED)
     * when the lock was lost (a pooler, pg_advisory_unlock_all, a removed
     * lock file). May be NULL.
     */
    int (*lock_check)(void *conn, const char *key, struct mgr_error *err);

    /*
     * ABI 1.1. One attempt at the migration lock keyed by key, without
     * waiting: MGR_OK with *got_out = 1 when this connection now holds
     * it (or held it already), *got_out = 0 when another session holds
     * it. Then, when holder is not NULL, append who holds it as the
     * database describes it ("pid 4711 (application 'x', client local,
     * connected since ...)"); leave it empty when unknown. Any other
     * status is a failure of the attempt itself. The host polls with
     * backoff until lock_wait runs out, reports LOCK_WAIT events and
     * stops on SIGINT/SIGTERM; a dialect with try_lock needs no lock.
     * wait_ms is that lock_wait, for a dialect whose database makes
     * writers wait too: SQLite sets its busy timeout to it, so that a
     * writer outside migrator is waited for as long as a run would be.
     */
    int (*try_lock)(void *conn, const char *key, long wait_ms,
                    int *got_out, struct mgr_buf *holder,
                    struct mgr_error *err);

    /*
     * ABI 1.2, all four optional: a dialect without them serves every
     * command but autogenerate, check against a schema, schema dump,
     * baseline and drift.
     *
     * introspect: read the live schema that req covers and report every
     * object through api->schema_add(sink, ...), in as few round trips
     * as the database allows (one per kind of object, never one per
     * table). Read only; runs inside or outside a transaction.
     */
    int (*introspect)(void *conn, const struct mgr_introspect_request *req,
                      struct mgr_schema_sink *sink, struct mgr_error *err);

    /*
     * render: append to out the DDL for changes[i] of the ordered list
     * changes[0..n) (the whole list is there so that a dialect can make
     * several changes to one table at once, e.g. SQLite's table rebuild;
     * a change an earlier one already made appends nothing). Every
     * statement ends with ";\n"; comments are "-- " lines. Set
     * MGR_SECTION_NO_TRANSACTION in *flags_out when a statement cannot
     * run inside a transaction block. MGR_EUSAGE when the dialect
     * cannot make the change, saying why.
     */
    int (*render)(void *state, const struct mgr_change *const *changes,
                  size_t n, size_t i, struct mgr_buf *out,
                  unsigned *flags_out, struct mgr_error *err);

    /*
     * scratch_open: make an empty database of the same kind as the one
     * conn is connected to (url is that database's URL) and connect to
     * it; name gets what scratch_close needs to remove it. SQLite: an
     * in-memory database. PostgreSQL: a temporary database; MGR_EDB
     * when the role may not create one, and the host then uses dev_url.
     * scratch_close: close scratch and remove the database (conn is the
     * connection given to scratch_open).
     */
    int (*scratch_open)(void *state, void *conn, const char *url,
                        void **scratch_out, struct mgr_buf *name,
                        struct mgr_error *err);
    int (*scratch_close)(void *state, void *conn, void *scratch,
                         const char *name, struct mgr_error *err);

    /*
     * ABI 1.3, optional: the database's own parse tree of one statement
     * (as split), as JSON appended to tree; `migrator lint` hands it to
     * the linters (struct mgr_lint_statement.tree). A statement the
     * grammar refuses is MGR_ESCRIPT with the parser's words, and
     * *offset_out the 0-based byte offset of the error (or -1).
     * parse_format names the JSON's shape, so that a linter knows what it
     * reads: PostgreSQL gives "pg_query-15", libpg_query's JSON
     * {"version":N,"stmts":[{"stmt":{"<NodeType>":{...}}}]}.
     */
    int (*parse)(void *state, const char *stmt, size_t len,
                 struct mgr_buf *tree, int *offset_out,
                 struct mgr_error *err);
    const char *parse_format;

    /*
     * ABI 1.3, optional: connect as connect does, but so that nothing
     * can be written: commands that only read (lint, status) use it.
     * SQLite opens the file read-only, and reads a file that does not
     * exist as an empty database rather than creating it; PostgreSQL
     * makes every transaction read-only. Without it the host uses
     * connect.
     */
    int (*connect_read_only)(void *state, const char *url, void **conn_out,
                             struct mgr_error *err);

    /*
     * ABI 1.3, optional: run items[0..n) in order, in the current
     * transaction, sent together where the database allows it
     * (PostgreSQL: libpq's pipeline mode, one round trip); no rows come
     * back. Stops at the first that fails: *failed_out is its index (n
     * when all ran), and dberr and err describe the failure as query's
     * do. The host sends a revision's last statement this way, together
     * with its version-table change and its log row. Without it the
     * host calls query for each.
     */
    int (*batch)(void *conn, struct mgr_batch_item *items, size_t n,
                 size_t *failed_out, struct mgr_db_error *dberr,
                 struct mgr_error *err);

    /*
     * ABI 1.4, optional: connect as connect (or, with
     * MGR_CONNECT_READ_ONLY in o->flags, as connect_read_only) does,
     * with the host's options o (read only the members o->size covers).
     * When the dialect has it, the host connects only through it. A
     * connect that gives up after o->connect_timeout_ms is MGR_ECONN
     * saying "timed out after N s (connect_timeout)"; one that
     * api->interrupted() ends is MGR_EINTR.
     */
    int (*connect_opts)(void *state, const char *url,
                        const struct mgr_connect_options *o,
                        void **conn_out, struct mgr_error *err);

    /*
     * ABI 1.4, optional: from now on no statement on conn waits longer
     * than ms for a lock that another session holds (0: no limit; the
     * default). A statement that gives up fails with MGR_ELOCKTIMEOUT,
     * dberr filled as for MGR_EDB, and a message naming the session(s)
     * it waited for where the database tells: pid, application name,
     * what they run. Call it outside a transaction. PostgreSQL:
     * lock_timeout, the blockers from pg_blocking_pids(). SQLite has no
     * such op: its lock wait is the busy timeout (lock_wait).
     */
    int (*set_lock_timeout)(void *conn, long ms, struct mgr_error *err);

    /*
     * ABI 1.5, optional: append to out the statements that, run in order
     * on an empty database made by scratch_open, make the schema that req
     * covers again, each ending ";\n" so that split reads them back, and
     * set *captured_out = 1. Meant to cost far less than introspect: the
     * host records the schema after every run, and introspects the
     * scratch database only when it compares (check, status). Set
     * *captured_out = 0, appending nothing, for a schema that cannot be
     * made again so (SQLite: a virtual table needs its module); the host
     * then introspects. Read only.
     */
    int (*capture)(void *conn, const struct mgr_introspect_request *req,
                   struct mgr_buf *out, int *captured_out,
                   struct mgr_error *err);
};

/* mgr_connect_options.flags */
#define MGR_CONNECT_READ_ONLY 0x1u /* nothing can be written, as
                                      connect_read_only */

/* How the host wants a connection made (connect_opts, ABI 1.4). Only
 * ever extended at the end. */
struct mgr_connect_options {
    uint32_t size;           /* sizeof(struct mgr_connect_options) in the
                                host */
    long connect_timeout_ms; /* give up connecting after this long (the
                                config's connect_timeout), unless the URL
                                sets its own; 0: no limit of ours */
    unsigned flags;          /* MGR_CONNECT_* */
};

/* Whether o (built by the host) has member. */
#define MGR_CONNECT_HAS(o, member)                                     \
    ((o)->size >= offsetof(struct mgr_connect_options, member) +       \
                      sizeof((o)->member))

/* One statement of mgr_dialect_ops.batch (ABI 1.3). */
struct mgr_batch_item {
    const char *sql;
    const char *const *params; /* $1..$n, as for query; NULL: none */
    size_t nparams;
    long affected;             /* out: rows changed, or -1 */
};

/* What mgr_dialect_ops.introspect covers (ABI 1.2). */
struct mgr_introspect_request {
    uint32_t size; /* sizeof(struct mgr_introspect_request) in the host */
    /* The schemas to read, by their names in the database; none: the
     * default schema only. Objects of the default schema are reported
     * with schema "", the others with their name. */
    const char *const *schemas;
    size_t nschemas;
    /* Tables never to report, nor anything of theirs: migrator's own
     * (version table, migrator_log, migrator_schema, the lock table). */
    const char *const *exclude;
    size_t nexclude;
};

/*
 * The 1.0 table: the smallest the host accepts. Required: schemes (at
 * least one), connect, close, query, begin, commit, rollback, unlock,
 * quote_ident, quote_literal, split, version_column_type, table_exists,
 * and lock unless the table covers try_lock and sets it.
 */
#define MGR_DIALECT_OPS_V1_SIZE                                         \
    (offsetof(struct mgr_dialect_ops, lock_check) + sizeof(void (*)(void)))

/* ---- reporter plugins ------------------------------------------------- */

/*
 * Events. The host builds one struct mgr_event per thing that happens and
 * hands it to every open report (mgr_reporter_ops.event). Every pointer
 * in an event, and everything it points to, is borrowed for the call
 * only: copy what you keep. Strings are UTF-8 as far as the host knows,
 * but come from files and databases, so a reporter must cope with any
 * byte. Passwords of the database URL are masked before an event is
 * built (reliability R11). Fields are only ever added, at the end of
 * each struct: check ev->size (MGR_EVENT_HAS) before using a field of
 * struct mgr_event added after 1.0, and the host's ABI minor (from
 * api->abi_version) before one of the structs it points to. Arrays of
 * those structs are arrays of pointers, so they never depend on a size.
 *
 * The events of one command, in order:
 *   RUN_START                    once, first
 *   PLAN                         once the plan is made (under the lock,
 *                                before any step; also with --sql)
 *   STEP_START, STEP_END         per step run (online upgrade, downgrade,
 *                                stamp); a failed step ends with an error
 *   RECORD                       per item of a listing command (heads,
 *                                history, current, branches, show)
 *   OUTPUT                       command output without a structured
 *                                form (offline SQL, a heading, a verdict)
 *   LOCK_WAIT, MESSAGE           whenever they happen
 *   TRACE                        lint --trace: per statement traced (1.3)
 *   FINDING                      lint: per finding, after the traces,
 *                                in script order (1.3)
 *   ERROR                        at most once, just before RUN_END, when
 *                                the command failed; RUN_END carries the
 *                                same error
 *   RUN_END                      once, last
 */
enum mgr_event_type {
    MGR_EV_RUN_START = 1,
    MGR_EV_RUN_END,
    MGR_EV_STEP_START,
    MGR_EV_STEP_END,
    MGR_EV_MESSAGE,
    MGR_EV_ERROR,
    MGR_EV_LOCK_WAIT,
    MGR_EV_RECORD,
    MGR_EV_OUTPUT,
    MGR_EV_PLAN,
    MGR_EV_FINDING, /* 1.3 */
    MGR_EV_TRACE,   /* 1.3 */
};

/* What a step does to the version table (stamp: nothing else runs). */
enum mgr_step_action {
    MGR_STEP_UPGRADE = 1,
    MGR_STEP_DOWNGRADE = 2,
    MGR_STEP_STAMP = 3,
};

/* One step of a plan: PLAN, STEP_START and STEP_END. */
struct mgr_event_step {
    size_t index;                /* 1-based position in the plan */
    enum mgr_step_action action;
    const char *revision;        /* the revision the script belongs to,
                                    or NULL (a stamp step may have none) */
    const char *message;         /* its message, or "" */
    const char *path;            /* its script file, or NULL */
    const char *const *from;     /* version rows the step replaces... */
    size_t nfrom;
    const char *const *to;       /* ...and those it leaves (Alembic's
                                    "Running upgrade <from> -> <to>") */
    size_t nto;
};

/* A failure, as precisely as it is known. */
struct mgr_event_error {
    int status;           /* enum mgr_status */
    int exit_code;        /* the exit code the status leads to */
    const char *message;  /* the whole message as migrator prints it */
    const char *reason;   /* the message without file, line, SQLSTATE,
                             DETAIL and HINT: the database's own words for
                             a statement error */
    const char *file;     /* the file at fault (script, config), or NULL */
    int line;             /* its 1-based line, or 0 */
    const char *sqlstate; /* "42P01", or "" */
    const char *detail;   /* the database's DETAIL, or "" */
    const char *hint;     /* the database's HINT, or "" */
    const char *revision; /* the revision being run, or NULL */
};

/* mgr_event_revision.flags */
#define MGR_REV_HEAD 0x01u        /* no versioned child ("heads" lists it) */
#define MGR_REV_REAL_HEAD 0x02u   /* no child through Depends On either;
                                     a HEAD that is not one shows as
                                     "(effective head)" */
#define MGR_REV_BASE 0x04u        /* no parent */
#define MGR_REV_BRANCHPOINT 0x08u /* more than one child */
#define MGR_REV_MERGEPOINT 0x10u  /* more than one parent */
#define MGR_REV_CURRENT 0x20u     /* in the version table */

/* Which listing a RECORD belongs to. */
enum mgr_record_kind {
    MGR_REC_HEAD = 1,   /* heads */
    MGR_REC_HISTORY,    /* history, newest first */
    MGR_REC_CURRENT,    /* current */
    MGR_REC_BRANCH,     /* branches: a branch point and its children */
    MGR_REC_SHOW,       /* show */
};

/* One revision of a listing. */
struct mgr_event_revision {
    const char *id;
    const char *message;            /* first line of the header, or "" */
    const char *doc;                /* further description lines, or "" */
    const char *path;               /* the script file */
    const char *create_date;        /* "Create Date", or "" */
    const char *const *parents;     /* Revises, in order (none: a base) */
    size_t nparents;
    const char *const *depends_on;  /* Depends On, as written */
    size_t ndepends_on;
    const char *const *labels;      /* branch labels, with inherited ones */
    size_t nlabels;
    const char *const *children;    /* versioned children */
    size_t nchildren;
    unsigned flags;                 /* MGR_REV_* */
};

struct mgr_event {
    uint32_t size;            /* sizeof(struct mgr_event) in the host */
    enum mgr_event_type type;
    const char *command;      /* every event: "upgrade", "heads", ... */
    double time;              /* every event: wall clock, seconds since
                                 the Unix epoch */
    double elapsed;           /* every event: seconds since RUN_START */

    /* RUN_START */
    const char *target;       /* the revision argument(s) as given, or
                                 NULL */
    const char *database;     /* the database URL, password masked, or
                                 NULL when the command uses none */
    int offline;              /* 1: --sql, nothing is sent */

    /* PLAN */
    const struct mgr_event_step *const *plan; /* the steps planned, in
                                                 order */
    size_t nplan;

    /* STEP_START, STEP_END */
    const struct mgr_event_step *step;

    /* STEP_END, RUN_END */
    int status;               /* enum mgr_status: MGR_OK or the failure */
    double seconds;           /* STEP_END: the step's duration; RUN_END:
                                 the command's */
    const struct mgr_event_error *error; /* STEP_END, RUN_END when
                                            status != MGR_OK; ERROR */

    /* RUN_END */
    int exit_code;            /* the process's exit code */
    size_t steps_run;         /* steps that finished */
    size_t steps_committed;   /* the first steps_committed steps of the
                                 plan are committed; the rest of those
                                 run were rolled back */

    /* MESSAGE: a warning or notice also written to stderr */
    int level;                /* enum mgr_log_level */
    const char *text;         /* MESSAGE, OUTPUT (to be printed as is,
                                 ending in a newline), RECORD (the record
                                 in Alembic's text form, as `migrator
                                 heads` etc. print it), LOCK_WAIT (a
                                 sentence for people) */

    /* RECORD */
    enum mgr_record_kind record_kind;
    const struct mgr_event_revision *revision;
    int verbose;              /* the listing asked for -v */

    /* LOCK_WAIT */
    const char *lock_key;     /* which lock */
    const char *holder;       /* who holds it, as the database says, or "" */
    double waited;            /* seconds waited so far */
    double lock_wait;         /* seconds it will wait in all (lock_wait) */

    /* 1.3: FINDING, TRACE */
    const struct mgr_event_finding *finding;
    const struct mgr_event_trace *trace;

    /* 1.4: RUN_END. The steps after the first steps_committed whose
     * COMMIT was sent but never confirmed (the connection was lost):
     * they may or may not be committed. */
    size_t steps_unknown;
};

/* How serious a finding is. lint exits 1 when an ERROR remains. */
enum mgr_severity {
    MGR_SEVERITY_NOTICE = 1,  /* worth knowing: a preference, a style */
    MGR_SEVERITY_WARNING = 2, /* may hurt in production: look at it */
    MGR_SEVERITY_ERROR = 3,   /* fails, or blocks a table: rewrite it */
};

/* FINDING (1.3): one finding of `migrator lint`. */
struct mgr_event_finding {
    const char *rule;       /* stable id: "adding-required-field" */
    const char *linter;     /* the linter plugin's name, or "migrator"
                               for the rules of the core */
    enum mgr_severity severity; /* after the size thresholds */
    const char *severity_name; /* "error", "warning", "notice" */
    const char *message;    /* one line */
    const char *hint;       /* the safe way to write it (lines joined by
                               "\n", a rewritten statement among them
                               where there is one), or "" */
    const char *file;       /* the script */
    int line;               /* 1-based */
    const char *revision;   /* the script's revision */
    const char *statement;  /* the statement it is about, or "" */
    const char *table;      /* the existing table it concerns, or "" */
    double rows;            /* the table's estimated rows, or -1 */
    double bytes;           /* its size on disk with indexes, or -1 */
    const char *trace;      /* lint --trace: "confirmed" or "not seen";
                               "" when no trace ran or the rule predicts
                               nothing a trace sees */
    int statement_line;     /* the line statement starts on (line may be
                               a later one of it), or 0 */
};

/* A lock a traced statement took on a relation that existed before. */
struct mgr_event_lock {
    const char *relation; /* as the database names it: "public.t" */
    const char *mode;     /* "ACCESS EXCLUSIVE", "SHARE UPDATE EXCLUSIVE" */
    const char *blocks;   /* what it blocks for others: "reads and
                             writes", "writes", or "" (neither) */
};

/* TRACE (1.3): one statement run by `lint --trace` on a scratch
 * database. */
struct mgr_event_trace {
    const char *file;
    int line;
    const char *revision;
    const char *statement;
    double seconds;                        /* the statement's duration */
    const struct mgr_event_lock *const *locks; /* locks it added */
    size_t nlocks;
    const char *const *rewritten;          /* relations whose storage it
                                              replaced (a rewrite) */
    size_t nrewritten;
    const char *const *constraints;        /* constraints it added or
                                              validated: "fk_a on public.t
                                              (validated)" */
    size_t nconstraints;
};

#define MGR_EVENT_HAS(ev, member)                                      \
    ((ev)->size >= offsetof(struct mgr_event, member) +                \
                       sizeof((ev)->member))

/* Where a report goes; the host opens and closes the streams. */
struct mgr_report_target {
    uint32_t size;      /* sizeof(struct mgr_report_target) in the host */
    FILE *out;          /* the report: stdout or the --report-file */
    FILE *log;          /* narration for people (progress, "Running
                           upgrade" lines): stderr for the terminal,
                           the same as out for a file */
    const char *path;   /* the report file, or NULL for stdout */
    int color;          /* 1: colour log with ANSI escapes */
    int progress;       /* 1: log is a terminal: a live progress line may
                           be redrawn with "\r" */
    int verbosity;      /* -1 quiet (-q: errors only), 0, 1 verbose */
};

#define MGR_TARGET_HAS(t, member)                                     \
    ((t)->size >= offsetof(struct mgr_report_target, member) +        \
                      sizeof((t)->member))

struct mgr_reporter_ops {
    uint32_t size; /* sizeof(struct mgr_reporter_ops) in the plugin */

    /*
     * Start a report to t (borrowed until close). *sink_out is handed to
     * event and close. One plugin may have several reports open.
     */
    int (*open)(void *state, const struct mgr_report_target *t,
                void **sink_out, struct mgr_error *err);
    /* One event. A failure (a write error) stops this report only. */
    int (*event)(void *sink, const struct mgr_event *ev,
                 struct mgr_error *err);
    /* Finish the report (write what was held back) and free sink. */
    int (*close)(void *sink, struct mgr_error *err);
};

/* The 1.0 table: the smallest the host accepts. Required: open, event,
 * close. */
#define MGR_REPORTER_OPS_V1_SIZE                                        \
    (offsetof(struct mgr_reporter_ops, close) + sizeof(void (*)(void)))

/* ---- linter plugins (ABI 1.3) ---------------------------------------- */

/*
 * A JSON value, read only: the parse tree a dialect gave (parse). Objects
 * keep their members in order, each with its key.
 */
enum mgr_json_type {
    MGR_JSON_NULL = 0,
    MGR_JSON_FALSE,
    MGR_JSON_TRUE,
    MGR_JSON_NUMBER,
    MGR_JSON_STRING,
    MGR_JSON_ARRAY,
    MGR_JSON_OBJECT,
};

struct mgr_json {
    enum mgr_json_type type;
    const char *key;   /* the member's name in its object, or NULL */
    const char *str;   /* STRING: the text, unescaped; NUMBER: as written */
    double num;        /* NUMBER */
    const struct mgr_json *const *items; /* ARRAY, OBJECT: the members */
    size_t n;
};

/* mgr_lint_statement.flags */
#define MGR_LINT_NO_TRANSACTION 0x1u /* its section is transaction=false */
#define MGR_LINT_DESTRUCTIVE 0x2u    /* a "-- migrator:destructive" line
                                        comes before it: a drop or a
                                        truncate is meant */

/*
 * One statement of a script, in the order it runs. Everything is
 * borrowed for the call.
 */
struct mgr_lint_statement {
    uint32_t size;          /* sizeof(struct mgr_lint_statement) in the
                               host */
    const char *revision;   /* the script's revision */
    const char *path;       /* the script */
    enum mgr_direction dir; /* the section it belongs to */
    unsigned flags;         /* MGR_LINT_* */
    size_t index;           /* 0-based, in its section */
    int line;               /* where it starts, 1-based */
    const char *text;       /* the statement, NUL-terminated, without
                               its ';' */
    size_t len;
    /* The dialect's parse tree (mgr_dialect_ops.parse, in the shape
     * parse_format names), or NULL when the dialect has no parser or the
     * grammar refused the statement (parse_error then says why). */
    const struct mgr_json *tree;
    const char *parse_format; /* "" without a tree */
    const char *parse_error;  /* NULL unless the parser refused it */
    const char *dialect;      /* "postgresql", "sqlite" */
};

/* mgr_finding.flags */
#define MGR_FINDING_SIZE 0x1u    /* its cost grows with the table (a lock
                                    held while it is scanned or
                                    rewritten): the size thresholds of
                                    the config may raise it */
#define MGR_FINDING_REWRITE 0x2u /* it predicts that the table or an
                                    index is rewritten */

/* One finding, as a linter reports it (lint_report). */
struct mgr_finding {
    uint32_t size;           /* sizeof(struct mgr_finding) in the plugin */
    const char *rule;        /* stable id, lower-case words joined by '-' */
    enum mgr_severity severity;
    const char *message;     /* one line, no final period */
    const char *hint;        /* the safe way; may be NULL */
    const char *table;       /* the existing table it concerns, as
                                written ("s.t" or "t"), or NULL */
    unsigned flags;          /* MGR_FINDING_* */
    const char *lock_mode;   /* the lock it predicts on table, as the
                                trace names it ("ACCESS EXCLUSIVE"), or
                                NULL */
    int line;                /* 0: the statement's line; else this line */
};

/* A rule of a linter, for `migrator lint --rules` and the config. */
struct mgr_lint_rule {
    const char *id;
    enum mgr_severity severity; /* its usual severity */
    const char *summary;        /* one line: what it catches */
};

struct mgr_linter_ops {
    uint32_t size; /* sizeof(struct mgr_linter_ops) in the plugin */

    /* The dialects whose scripts it reads, e.g. {"postgresql", NULL};
     * NULL: every dialect. */
    const char *const *dialects;
    /* Its rules, NULL-terminated. A finding's rule must be one of them. */
    const struct mgr_lint_rule *const *rules;

    /*
     * A lint run begins (one per command): make what the run keeps (the
     * tables created so far, for instance) in *run_out.
     */
    int (*begin)(void *state, struct mgr_lint *l, void **run_out,
                 struct mgr_error *err);
    /* One statement, revision by revision from base to head, in the
     * order an upgrade runs them: each revision's upgrade section, then
     * its downgrade section. Findings go through
     * api->lint_report(l, st, ...). */
    int (*statement)(void *run, struct mgr_lint *l,
                     const struct mgr_lint_statement *st,
                     struct mgr_error *err);
    /* Every statement was seen: report what needs all of them (a cycle
     * of foreign keys), then free run. Called after a successful begin,
     * even when a statement call failed (then with err already set). */
    int (*end)(void *run, struct mgr_lint *l, struct mgr_error *err);

    /*
     * Optional (NULL: none). A read-only query with $1 the table as a
     * finding names it, giving one row: estimated rows, bytes on disk
     * with indexes (PostgreSQL: reltuples, pg_total_relation_size). The
     * host runs it when a database is reachable.
     */
    const char *table_size_sql;
    /*
     * Optional, for lint --trace: queries the host runs on the scratch
     * database around each statement.
     *   relations    one row per relation that exists: name, storage id
     *                (a new storage id is a rewrite);
     *   session      one row: this session's id (PostgreSQL: its pid);
     *   locks        $1 a session id: the relation locks it holds, one
     *                row each: relation, mode, what it blocks for others
     *                ("reads and writes", "writes" or "");
     *   constraints  one row per constraint: name, table, validated
     *                ("t"/"f");
     *   hold         begins a transaction that keeps a snapshot, run by
     *                a second session while a statement outside a
     *                transaction (CREATE INDEX CONCURRENTLY) is watched,
     *                so that the statement waits for it with its locks
     *                taken; the host rolls it back (PostgreSQL: START
     *                TRANSACTION ISOLATION LEVEL REPEATABLE READ).
     * Without relations, session and locks there is no trace.
     */
    const char *trace_relations_sql;
    const char *trace_session_sql;
    const char *trace_locks_sql;
    const char *trace_constraints_sql;
    const char *trace_hold_sql;
};

/* The smallest table the host accepts (linters came with 1.3).
 * Required: rules, begin, statement, end. */
#define MGR_LINTER_OPS_V1_SIZE                                          \
    (offsetof(struct mgr_linter_ops, end) + sizeof(void (*)(void)))

/* ---- the descriptor --------------------------------------------------- */

struct mgr_plugin {
    uint32_t abi_version; /* MGR_ABI_VERSION the plugin was built against */
    uint32_t size;        /* sizeof(struct mgr_plugin) in the plugin */
    enum mgr_plugin_kind kind;
    const char *name;        /* must match the file name: <kind>_<name> */
    const char *version;     /* the plugin's own version */
    const char *description; /* one line */

    /*
     * Called once after loading; allocate per-plugin state (freed by
     * fini). api stays valid until fini returns. May be NULL.
     */
    int (*init)(const struct mgr_host_api *api, struct mgr_host *h,
                void **state_out, struct mgr_error *err);
    void (*fini)(void *state);

    /* The kind's ops table: struct mgr_{dialect,format,...}_ops. */
    const void *ops;
};

/* Size of the 1.0 descriptor: the smallest the host accepts. */
#define MGR_PLUGIN_V1_SIZE (offsetof(struct mgr_plugin, ops) + sizeof(void *))

#if defined(__GNUC__)
#define MGR_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define MGR_PLUGIN_EXPORT
#endif

/*
 * MGR_PLUGIN_DEFINE(kind, name, version, description, init, fini, ops)
 * defines the exported entry point of a plugin.
 */
#define MGR_PLUGIN_DEFINE(kind_, name_, version_, descr_, init_, fini_,  \
                          ops_)                                         \
    MGR_PLUGIN_EXPORT const struct mgr_plugin *mgr_plugin_entry(void);  \
    const struct mgr_plugin *mgr_plugin_entry(void)                     \
    {                                                                   \
        static const struct mgr_plugin descriptor = {                   \
            MGR_ABI_VERSION, sizeof(struct mgr_plugin), (kind_),        \
            (name_), (version_), (descr_), (init_), (fini_), (ops_)};   \
        return &descriptor;                                             \
    }

#ifdef __cplusplus
}
#endif

#endif /* MIGRATOR_PLUGIN_H */
