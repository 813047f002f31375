/*
 * skel.c: the skel dialect: connections, statements, transactions,
 * quoting, and the descriptor that makes this module a migrator plugin.
 *
 * URLs: skel:///absolute/path/app.db, or skel://relative/path/app.db
 * (relative to the working directory). "skel+DRIVER://..." is accepted
 * too: migrator routes it here by the part before '+', and skel ignores
 * the driver. The path is taken as written: no query string, no
 * percent-decoding. A file that does not exist is created.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "skel.h"

#define SKEL_SCHEME "skel"

/* YOUR DATABASE: how long the client library waits for a busy file. */
#define SKEL_BUSY_MS 5000

/* ---- plugin state ---------------------------------------------------- */

static int skel_init(const struct mgr_host_api *api, struct mgr_host *host,
                     void **state_out, struct mgr_error *err)
{
    struct skel_state *st = api->alloc(sizeof(*st)); /* never NULL */

    (void)err;
    st->api = api;
    st->host = host;
    *state_out = st;
    return MGR_OK;
}

static void skel_fini(void *state)
{
    struct skel_state *st = state;
    const struct mgr_host_api *api = st->api;

    api->free(st);
}

/* a followed by b, in memory from the host (free with api->free). */
static char *concat(const struct mgr_host_api *api, const char *a,
                    const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = api->alloc(na + nb + 1);

    memcpy(s, a, na);
    memcpy(s + na, b, nb + 1);
    return s;
}

/* ---- connections ------------------------------------------------------ */

/*
 * The file named by url ("skel://PATH" or "skel+DRIVER://PATH"), or NULL
 * when url is not of that form or names no file.
 */
static const char *url_path(const char *url)
{
    size_t n = strlen(SKEL_SCHEME);
    const char *p = url + n;

    if (strncasecmp(url, SKEL_SCHEME, n) != 0)
        return NULL;
    if (*p == '+')
        p += strcspn(p, ":");
    if (strncmp(p, "://", 3) != 0 || p[3] == '\0')
        return NULL;
    return p + 3;
}

static void skel_close(void *conn)
{
    struct skel_conn *c = conn;
    const struct mgr_host_api *api = c->st->api;

    skel_lock_drop(c);
    /* YOUR DATABASE: end the session. */
    sqlite3_close(c->db);
    api->free(c->lock_path);
    api->free(c);
}

static int skel_connect(void *state, const char *url, void **conn_out,
                        struct mgr_error *err)
{
    struct skel_state *st = state;
    const struct mgr_host_api *api = st->api;
    const char *path = url_path(url);
    struct skel_conn *c;
    int rc;

    /* Never copy the URL into a message: it might hold a password. */
    if (!path)
        return api->error_set(err, MGR_ECONFIG,
                              "a skel URL is skel:///absolute/path or "
                              "skel://relative/path");
    c = api->alloc(sizeof(*c));
    memset(c, 0, sizeof(*c));
    c->st = st;
    c->lock_fd = -1;
    c->lock_path = concat(api, path, ".lock");

    /* YOUR DATABASE: open a session. A server that cannot be reached is
     * MGR_ECONN; one that refuses (authentication, no such database) is
     * MGR_EDB. */
    rc = sqlite3_open_v2(path, &c->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        api->error_set(err, MGR_EDB, "cannot open database '%s': %s", path,
                       c->db ? sqlite3_errmsg(c->db) : "out of memory");
        skel_close(c);
        return MGR_EDB;
    }
    sqlite3_busy_timeout(c->db, SKEL_BUSY_MS);
    api->log(st->host, MGR_LOG_INFO, "opened database '%s'", path);
    *conn_out = c;
    return MGR_OK;
}

/* ---- statements ------------------------------------------------------- */

/* The client library's last error, into err and (when given) dberr. */
static int db_failure(struct skel_conn *c, struct mgr_db_error *dberr,
                      struct mgr_error *err)
{
    if (dberr) {
        memset(dberr, 0, sizeof(*dberr));
        dberr->code = sqlite3_extended_errcode(c->db);
        dberr->offset = -1;
    }
    /* YOUR DATABASE: MGR_ECONN instead when the connection is gone and
     * the outcome of the statement is unknown. */
    return c->st->api->error_set(err, MGR_EDB, "%s", sqlite3_errmsg(c->db));
}

/* Bind params[i] to the statement's $<i+1>; a NULL element is SQL NULL. */
static int bind_params(struct skel_conn *c, sqlite3_stmt *stmt,
                       const char *const *params, size_t nparams,
                       struct mgr_error *err)
{
    char name[32];
    int index;

    for (size_t i = 0; i < nparams; i++) {
        snprintf(name, sizeof(name), "$%zu", i + 1);
        index = sqlite3_bind_parameter_index(stmt, name);
        if (index == 0)
            continue; /* the statement does not use it */
        if (sqlite3_bind_text(stmt, index, params[i], -1,
                              SQLITE_TRANSIENT) != SQLITE_OK)
            return db_failure(c, NULL, err);
    }
    return MGR_OK;
}

/* Step through the result, handing each row to row (when not NULL). */
static int fetch_rows(struct skel_conn *c, sqlite3_stmt *stmt,
                      mgr_row_fn row, void *row_ctx,
                      struct mgr_db_error *dberr, struct mgr_error *err)
{
    const struct mgr_host_api *api = c->st->api;
    size_t ncols = (size_t)sqlite3_column_count(stmt);
    const char **names = api->alloc((ncols + 1) * sizeof(*names));
    const char **values = api->alloc((ncols + 1) * sizeof(*values));
    int step = SQLITE_DONE, rc = MGR_OK;

    while (rc == MGR_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (!row)
            continue;
        for (size_t i = 0; i < ncols; i++) {
            names[i] = sqlite3_column_name(stmt, (int)i);
            values[i] = (const char *)sqlite3_column_text(stmt, (int)i);
        }
        rc = row(row_ctx, ncols, names, values);
    }
    if (rc == MGR_OK && step != SQLITE_DONE)
        rc = db_failure(c, dberr, err);
    api->free(names);
    api->free(values);
    return rc;
}

/* Whether sql is an INSERT, UPDATE or DELETE, whose count of changed
 * rows means something. */
static int changes_rows(const char *sql)
{
    static const char *const verbs[] = {"INSERT", "UPDATE", "DELETE", NULL};

    sql += strspn(sql, " \t\r\n");
    for (size_t i = 0; verbs[i]; i++) {
        size_t n = strlen(verbs[i]);

        if (strncasecmp(sql, verbs[i], n) == 0 &&
            !isalnum((unsigned char)sql[n]) && sql[n] != '_')
            return 1;
    }
    return 0;
}

/*
 * One statement, with params bound to $1..$n. migrator's own statements
 * (its version table, its log) use $n parameters, CREATE TABLE IF NOT
 * EXISTS, INSERT, UPDATE, DELETE and SELECT.
 */
static int skel_query(void *conn, const char *sql, const char *const *params,
                      size_t nparams, mgr_row_fn row, void *row_ctx,
                      long *affected_out, struct mgr_db_error *dberr,
                      struct mgr_error *err)
{
    struct skel_conn *c = conn;
    sqlite3_stmt *stmt = NULL;
    int rc;

    if (affected_out)
        *affected_out = -1;
    /* YOUR DATABASE: send the statement and its parameters. */
    if (sqlite3_prepare_v2(c->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return db_failure(c, dberr, err);
    if (!stmt) /* nothing but comments and white space */
        return MGR_OK;
    rc = bind_params(c, stmt, params, nparams, err);
    if (rc == MGR_OK)
        rc = fetch_rows(c, stmt, row, row_ctx, dberr, err);
    if (rc == MGR_OK && affected_out && changes_rows(sql))
        *affected_out = (long)sqlite3_changes(c->db);
    sqlite3_finalize(stmt);
    return rc;
}

/* ---- transactions ----------------------------------------------------- */

static int run_plain(void *conn, const char *sql, struct mgr_error *err)
{
    return skel_query(conn, sql, NULL, 0, NULL, NULL, NULL, NULL, err);
}

/* YOUR DATABASE: begin takes what keeps other writers out until commit
 * (SQLite: BEGIN IMMEDIATE takes the write lock at once). */
static int skel_begin(void *conn, struct mgr_error *err)
{
    return run_plain(conn, "BEGIN IMMEDIATE", err);
}

static int skel_commit(void *conn, struct mgr_error *err)
{
    return run_plain(conn, "COMMIT", err);
}

static int skel_rollback(void *conn, struct mgr_error *err)
{
    return run_plain(conn, "ROLLBACK", err);
}

/* ---- quoting ---------------------------------------------------------- */

/* Append s to out between quotes q, each q inside doubled. */
static void add_quoted(const struct skel_state *st, char q, const char *s,
                       struct mgr_buf *out)
{
    const char *p;

    st->api->buf_add(out, &q, 1);
    while ((p = strchr(s, q)) != NULL) {
        st->api->buf_add(out, s, (size_t)(p - s) + 1);
        st->api->buf_add(out, &q, 1);
        s = p + 1;
    }
    st->api->buf_add(out, s, strlen(s));
    st->api->buf_add(out, &q, 1);
}

/* YOUR DATABASE: its rules for quoted identifiers and string literals. */
static void skel_quote_ident(void *state, const char *ident,
                             struct mgr_buf *out)
{
    add_quoted(state, '"', ident, out);
}

static void skel_quote_literal(void *state, const char *lit,
                               struct mgr_buf *out)
{
    add_quoted(state, '\'', lit, out);
}

/* ---- catalog ---------------------------------------------------------- */

static int note_row(void *ctx, size_t ncols, const char *const *names,
                    const char *const *values)
{
    (void)ncols;
    (void)names;
    (void)values;
    *(int *)ctx = 1;
    return MGR_OK;
}

/* Whether table exists, without failing the current transaction. */
static int skel_table_exists(void *conn, const char *schema,
                             const char *table, int *exists_out,
                             struct mgr_error *err)
{
    struct skel_conn *c = conn;
    const char *params[1] = {table};

    if (schema && *schema)
        return c->st->api->error_set(err, MGR_ECONFIG,
                                     "skel databases have no schemas: "
                                     "leave version_table_schema ('%s') "
                                     "empty",
                                     schema);
    *exists_out = 0;
    /* YOUR DATABASE: ask its catalog. */
    return skel_query(conn,
                      "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                      "AND name = $1 COLLATE NOCASE",
                      params, 1, note_row, exists_out, NULL, NULL, err);
}

/* Stop the running statement; called from a signal handler. */
static void skel_interrupt(void *conn)
{
    struct skel_conn *c = conn;

    /* YOUR DATABASE: an async-signal-safe cancel request. */
    sqlite3_interrupt(c->db);
}

/* ---- the plugin ------------------------------------------------------- */

static const char *const skel_schemes[] = {SKEL_SCHEME, NULL};

static const struct mgr_dialect_ops skel_ops = {
    .size = sizeof(struct mgr_dialect_ops),
    .schemes = skel_schemes,
    .connect = skel_connect,
    .close = skel_close,
#ifndef SKEL_BROKEN /* migrator's tests: a table without query */
    .query = skel_query,
#endif
    .begin = skel_begin,
    .commit = skel_commit,
    .rollback = skel_rollback,
    .transactional_ddl = 1,
    .lock = NULL, /* try_lock instead: migrator owns the wait */
    .unlock = skel_unlock,
    .quote_ident = skel_quote_ident,
    .quote_literal = skel_quote_literal,
    .split = skel_split,
    .needs_no_transaction = NULL, /* optional; see doc/plugins.md */
    .version_column_type = "VARCHAR(32)",
    .table_exists = skel_table_exists,
    .interrupt = skel_interrupt,
    .lock_check = skel_lock_check,
    .try_lock = skel_try_lock,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_DIALECT, "skel", PACKAGE_VERSION,
                  "file databases: a skeleton to start a dialect from",
                  skel_init, skel_fini, &skel_ops)
