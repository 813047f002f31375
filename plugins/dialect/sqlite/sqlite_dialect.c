/*
 * sqlite_dialect.c: the SQLite dialect. The entry point, URLs,
 * connections, queries, transactions, quoting and table_exists; see
 * sqlite.h for the URL forms.
 */
#include "autoconfig.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sqlite3.h>

#include <migrator/plugin.h>

#include "sqlite.h"

static const char *const schemes[] = { "sqlite", NULL };

/* SQLite's URI parameters, passed through in a "file:" URI. */
static const char *const uri_params[] = {
    "mode", "cache", "immutable", "nolock", "psow", "vfs", NULL,
};

static const char url_forms[] =
    "use sqlite:///relative.db, sqlite:////absolute/path.db or sqlite:// "
    "(a memory database)";

static char *sq_strndup(const struct sq_state *st, const char *s, size_t n)
{
    char *p = st->api->alloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ---- plugin state ------------------------------------------------------- */

static int sq_init(const struct mgr_host_api *api, struct mgr_host *h,
                   void **state_out, struct mgr_error *err)
{
    struct sq_state *st;

    /* Built against ABI 1.2, the plugin loads only in hosts of 1.2 or
     * later: every member it uses (schema_add too) is there. */
    (void)err;
    if (!api)
        return MGR_EPLUGIN;
    st = api->alloc(sizeof(*st));
    st->api = api;
    st->host = h;
    *state_out = st;
    return MGR_OK;
}

static void sq_fini(void *state)
{
    struct sq_state *st = state;

    if (st)
        st->api->free(st);
}

/* ---- URLs --------------------------------------------------------------- */

static int is_uri_param(const char *name, size_t len)
{
    for (int i = 0; uri_params[i]; i++)
        if (strlen(uri_params[i]) == len &&
            strncmp(uri_params[i], name, len) == 0)
            return 1;
    return 0;
}

/* Check every "name=value" of query against uri_params. */
static int check_query(const struct sq_state *st, const char *query,
                       struct mgr_error *err)
{
    const char *p = query;

    while (*p) {
        size_t len = strcspn(p, "&");
        size_t name_len = strcspn(p, "=&");

        if (len > 0 && name_len == len)
            return st->api->error_set(err, MGR_ECONFIG,
                                      "parameter '%.*s' of the SQLite URL "
                                      "has no value; write '%.*s=VALUE'",
                                      (int)len, p, (int)len, p);
        if (len > 0 && !is_uri_param(p, name_len))
            return st->api->error_set(err, MGR_ECONFIG,
                                      "unknown parameter '%.*s' in the "
                                      "SQLite URL; known: mode, cache, "
                                      "immutable, nolock, psow, vfs",
                                      (int)name_len, p);
        p += len;
        if (*p == '&')
            p++;
    }
    return MGR_OK;
}

/*
 * "file:" URI for path (":memory:" included) and query: '%' and '#' in
 * the path are percent-encoded; an absolute path gets an empty authority
 * ("file:///abs"), so that "//x" stays a path.
 */
static char *make_uri(const struct sq_state *st, const char *path,
                      size_t path_len, const char *query)
{
    size_t qlen = strlen(query), n = 0;
    char *uri = st->api->alloc(sizeof("file://") + 3 * path_len + 1 + qlen);

    memcpy(uri, "file:", 5);
    n = 5;
    if (path_len > 0 && path[0] == '/') {
        memcpy(uri + n, "//", 2);
        n += 2;
    }
    for (size_t i = 0; i < path_len; i++) {
        unsigned char ch = (unsigned char)path[i];

        if (ch == '%' || ch == '#') {
            static const char hex[] = "0123456789ABCDEF";

            uri[n++] = '%';
            uri[n++] = hex[ch >> 4];
            uri[n++] = hex[ch & 0xf];
        } else {
            uri[n++] = (char)ch;
        }
    }
    uri[n++] = '?';
    memcpy(uri + n, query, qlen + 1);
    return uri;
}

/*
 * Turn url into what sqlite3_open_v2() takes: *filename_out (allocated),
 * *uri_out set when it is a "file:" URI, *shown_out (allocated) the path
 * as the user wrote it, for messages.
 */
static int parse_url(const struct sq_state *st, const char *url,
                     char **filename_out, int *uri_out, char **shown_out,
                     struct mgr_error *err)
{
    const char *sep = strstr(url, "://"), *rest, *query, *path;
    size_t scheme_len, path_len;
    int rc;

    if (!sep)
        return st->api->error_set(err, MGR_ECONFIG,
                                  "not a SQLite URL (no '://'); %s",
                                  url_forms);
    scheme_len = (size_t)(sep - url);
    if (!((scheme_len == 6 && strncasecmp(url, "sqlite", 6) == 0) ||
          (scheme_len > 7 && strncasecmp(url, "sqlite+", 7) == 0)))
        return st->api->error_set(err, MGR_ECONFIG,
                                  "'%.*s://' is not a SQLite URL; %s",
                                  (int)(scheme_len > 40 ? 40 : scheme_len),
                                  url, url_forms);
    rest = sep + 3;
    query = strchr(rest, '?');
    path_len = query ? (size_t)(query - rest) : strlen(rest);
    if (path_len > 0 && rest[0] != '/')
        return st->api->error_set(err, MGR_ECONFIG,
                                  "the SQLite URL names a host ('%.*s'); "
                                  "%s",
                                  (int)strcspn(rest, "/?"), rest,
                                  url_forms);
    /* "sqlite:///x.db": the path is what follows the third '/'. */
    path = path_len > 0 ? rest + 1 : rest;
    if (path_len > 0)
        path_len--;
    if (path_len == 0) {
        path = ":memory:";
        path_len = strlen(path);
    }
    if (query) {
        rc = check_query(st, query + 1, err);
        if (rc != MGR_OK)
            return rc;
    }
    *shown_out = sq_strndup(st, path, path_len);
    if (query && query[1]) {
        *filename_out = make_uri(st, path, path_len, query + 1);
        *uri_out = 1;
    } else {
        *filename_out = sq_strndup(st, path, path_len);
        *uri_out = 0;
    }
    return MGR_OK;
}

/* ---- connections -------------------------------------------------------- */

void sq_set_busy(struct sq_conn *c, long ms)
{
    if (ms < 0)
        ms = 0;
    if (ms > INT_MAX)
        ms = INT_MAX;
    c->busy_ms = ms;
    sqlite3_busy_timeout(c->db, (int)ms);
}

/* The database's message, with the system error when SQLite has one. */
static int open_failed(const struct sq_state *st, sqlite3 *db,
                       const char *shown, int rc, struct mgr_error *err)
{
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    int sys = db ? sqlite3_system_errno(db) : 0;

    if (sys != 0 && (rc & 0xff) == SQLITE_CANTOPEN)
        return st->api->error_set(err, MGR_EDB,
                                  "cannot open SQLite database '%s': %s "
                                  "(%s)",
                                  shown, msg, strerror(sys));
    return st->api->error_set(err, MGR_EDB,
                              "cannot open SQLite database '%s': %s", shown,
                              msg);
}

/* Open url with the sqlite3_open_v2() flags given (besides the URI
 * flag, which the URL decides). */
static int connect_with(void *state, const char *url, int flags,
                        void **conn_out, struct mgr_error *err)
{
    struct sq_state *st = state;
    struct sq_conn *c;
    char *filename = NULL, *shown = NULL;
    const char *abs;
    sqlite3 *db = NULL;
    int uri = 0, rc;

    *conn_out = NULL;
    if (!url)
        url = "";
    rc = parse_url(st, url, &filename, &uri, &shown, err);
    if (rc != MGR_OK)
        return rc;
    rc = sqlite3_open_v2(filename, &db, flags | (uri ? SQLITE_OPEN_URI : 0),
                         NULL);
    st->api->free(filename);
    if (rc != SQLITE_OK) {
        rc = open_failed(st, db, shown, rc, err);
        sqlite3_close_v2(db);
        st->api->free(shown);
        return rc;
    }
    sqlite3_extended_result_codes(db, 1);
    c = st->api->alloc(sizeof(*c));
    memset(c, 0, sizeof(*c));
    c->st = st;
    c->db = db;
    c->lock_fd = -1;
    /* Opening is lazy: read the schema now, so that a file that is not a
     * database fails here, naming the path. The look does not wait: a
     * file that a writer holds (SQLITE_BUSY) is a database, and the
     * statements that follow wait for it as they should. */
    sq_set_busy(c, 0);
    rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL,
                      NULL);
    /* A connection that cannot write only looks: it reports a database
     * that a writer holds at once (migrator unlock), never after a busy
     * wait. */
    sq_set_busy(c, (flags & SQLITE_OPEN_READONLY) ? 0 : SQ_BUSY_DEFAULT_MS);
    if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) {
        rc = open_failed(st, db, shown, rc, err);
        sq_close(c);
        st->api->free(shown);
        return rc;
    }
    st->api->free(shown);
    abs = sqlite3_db_filename(db, "main");
    if (abs && *abs)
        c->path = sq_strndup(st, abs, strlen(abs));
    *conn_out = c;
    return MGR_OK;
}

int sq_connect(void *state, const char *url, void **conn_out,
               struct mgr_error *err)
{
    return connect_with(state, url, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        conn_out, err);
}

/* Whether url names a plain file (no URI parameters) that does not
 * exist. */
static int names_missing_file(const struct sq_state *st, const char *url)
{
    char *filename = NULL, *shown = NULL;
    struct mgr_error ignored;
    int uri = 0, missing = 0;

    if (parse_url(st, url ? url : "", &filename, &uri, &shown, &ignored) !=
        MGR_OK)
        return 0;
    missing = !uri && strcmp(filename, ":memory:") != 0 &&
              access(filename, F_OK) != 0 && errno == ENOENT;
    st->api->free(filename);
    st->api->free(shown);
    return missing;
}

/* ABI 1.3: a file that is not there stays not there. It reads as what it
 * would be, an empty database (an in-memory one), so that asking where a
 * database stands creates nothing. */
int sq_connect_read_only(void *state, const char *url, void **conn_out,
                         struct mgr_error *err)
{
    if (names_missing_file(state, url))
        return connect_with(state, "sqlite://", SQLITE_OPEN_READONLY,
                            conn_out, err);
    return connect_with(state, url, SQLITE_OPEN_READONLY, conn_out, err);
}

/* ABI 1.4: the options the host has. A file opens at once, so
 * connect_timeout does not apply. */
static int sq_connect_opts(void *state, const char *url,
                           const struct mgr_connect_options *o,
                           void **conn_out, struct mgr_error *err)
{
    if (o && MGR_CONNECT_HAS(o, flags) && (o->flags & MGR_CONNECT_READ_ONLY))
        return sq_connect_read_only(state, url, conn_out, err);
    return sq_connect(state, url, conn_out, err);
}

/* Only sets a flag the running statement checks: fine in a handler. */
static void sq_interrupt(void *conn)
{
    struct sq_conn *c = conn;

    if (c && c->db)
        sqlite3_interrupt(c->db);
}

void sq_close(void *conn)
{
    struct sq_conn *c = conn;

    if (!c)
        return;
    sq_lock_release(c);
    for (size_t i = 0; i < SQ_CACHE_SIZE; i++) {
        sqlite3_finalize(c->cache[i].stmt);
        c->st->api->free(c->cache[i].sql);
        c->st->api->free(c->cache[i].param_k);
    }
    sqlite3_close_v2(c->db);
    c->st->api->free(c->path);
    c->st->api->free(c);
}

/* ---- queries ------------------------------------------------------------ */

static void dberr_clear(struct mgr_db_error *dberr)
{
    if (!dberr)
        return;
    memset(dberr, 0, sizeof(*dberr));
    dberr->offset = -1;
}

/*
 * The failure rc of the last call on c: MGR_ELOCKED for SQLITE_BUSY (the
 * busy timeout ran out), MGR_EDB otherwise, with SQLite's message.
 */
static int db_failed(struct sq_conn *c, int rc, struct mgr_db_error *dberr,
                     struct mgr_error *err)
{
    const struct mgr_host_api *api = c->st->api;
    int code = sqlite3_extended_errcode(c->db);

    if (code == SQLITE_OK)
        code = rc;
    if (dberr) {
        dberr->code = code;
#if SQLITE_VERSION_NUMBER >= 3038000
        dberr->offset = sqlite3_error_offset(c->db);
#endif
    }
    if ((code & 0xff) == SQLITE_BUSY)
        return api->error_set(err, MGR_ELOCKED,
                              "database is locked (waited %ld ms)",
                              c->busy_ms);
    return api->error_set(err, MGR_EDB, "%s", sqlite3_errmsg(c->db));
}

/*
 * The value index (1..nparams) a statement parameter stands for: "?" by
 * position, "?N", "$N", ":N" and "@N" by number. 0 for another name.
 */
static size_t param_number(sqlite3_stmt *stmt, int pos)
{
    const char *name = sqlite3_bind_parameter_name(stmt, pos);
    size_t n = 0;

    if (!name)
        return (size_t)pos;
    if (!strchr("?$:@", name[0]) || name[1] == '\0')
        return 0;
    for (const char *p = name + 1; *p; p++) {
        if (*p < '0' || *p > '9' || n > 1000000)
            return 0;
        n = n * 10 + (size_t)(*p - '0');
    }
    return n;
}

/*
 * Bind params to stmt; every parameter and every value must be used.
 * param_k: what param_number gives for each position, when known (asking
 * SQLite for a parameter's name walks all of them: a statement with many
 * would cost their square).
 */
static int bind_params(struct sq_conn *c, sqlite3_stmt *stmt,
                       const size_t *param_k, const char *const *params,
                       size_t nparams, struct mgr_db_error *dberr,
                       struct mgr_error *err)
{
    const struct mgr_host_api *api = c->st->api;
    int count = sqlite3_bind_parameter_count(stmt), rc = MGR_OK;
    unsigned char *used = NULL;

    if (nparams > 0) {
        used = api->alloc(nparams);
        memset(used, 0, nparams);
    }
    for (int pos = 1; pos <= count && rc == MGR_OK; pos++) {
        size_t k = param_k ? param_k[pos - 1] : param_number(stmt, pos);
        const char *name = NULL;
        int brc;

        if (k == 0 || k > nparams)
            name = sqlite3_bind_parameter_name(stmt, pos);
        if (k == 0) {
            rc = api->error_set(err, MGR_EDB,
                                "unsupported parameter '%s'; use $1, $2, "
                                "...",
                                name ? name : "?");
            break;
        }
        if (k > nparams) {
            char anon[24];

            snprintf(anon, sizeof(anon), "?%d", pos);
            rc = api->error_set(err, MGR_EDB,
                                "the statement uses parameter %s but %zu "
                                "%s given",
                                name ? name : anon, nparams,
                                nparams == 1 ? "was" : "were");
            break;
        }
        used[k - 1] = 1;
        if (params[k - 1])
            brc = sqlite3_bind_text(stmt, pos, params[k - 1], -1,
                                    SQLITE_STATIC);
        else
            brc = sqlite3_bind_null(stmt, pos);
        if (brc != SQLITE_OK)
            rc = db_failed(c, brc, dberr, err);
    }
    for (size_t k = 0; k < nparams && rc == MGR_OK; k++)
        if (!used[k])
            rc = api->error_set(err, MGR_EDB,
                                "%zu parameters given but the statement "
                                "does not use $%zu",
                                nparams, k + 1);
    api->free(used);
    return rc;
}

/* Call row for the current row of stmt. */
static int pass_row(sqlite3_stmt *stmt, int ncols, const char **names,
                    const char **values, mgr_row_fn row, void *row_ctx)
{
    for (int i = 0; i < ncols; i++) {
        names[i] = sqlite3_column_name(stmt, i);
        if (!names[i])
            names[i] = "";
        if (sqlite3_column_type(stmt, i) == SQLITE_NULL) {
            values[i] = NULL;
        } else {
            values[i] = (const char *)sqlite3_column_text(stmt, i);
            if (!values[i])
                values[i] = "";
        }
    }
    return row(row_ctx, (size_t)ncols, names, values);
}

/*
 * The current row of a PRAGMA foreign_key_check (table, rowid, parent,
 * fkid) as a failure: SQLite lists broken references instead of failing,
 * and a run must roll back rather than commit them.
 */
static int fk_violation(struct sq_conn *c, sqlite3_stmt *stmt,
                        struct mgr_db_error *dberr, struct mgr_error *err)
{
    const char *table = (const char *)sqlite3_column_text(stmt, 0);
    const char *rowid = (const char *)sqlite3_column_text(stmt, 1);
    const char *parent = (const char *)sqlite3_column_text(stmt, 2);

    if (dberr)
        dberr->code = SQLITE_CONSTRAINT_FOREIGNKEY;
    /* A WITHOUT ROWID table has no rowid to name. */
    return c->st->api->error_set(err, MGR_EDB,
                                 "foreign key violation: row %s of table "
                                 "'%s' refers to a missing row of table "
                                 "'%s'",
                                 rowid ? rowid : "(without rowid)",
                                 table ? table : "",
                                 parent ? parent : "");
}

#if SQLITE_VERSION_NUMBER >= 3037000
#define sq_total_changes sqlite3_total_changes64
#define sq_changes sqlite3_changes64
#else
#define sq_total_changes sqlite3_total_changes
#define sq_changes sqlite3_changes
#endif

/* The kept statement for sql, or NULL. */
static struct sq_cached *cached(struct sq_conn *c, const char *sql)
{
    for (size_t i = 0; i < SQ_CACHE_SIZE; i++)
        if (c->cache[i].sql && !c->cache[i].in_use &&
            strcmp(c->cache[i].sql, sql) == 0)
            return &c->cache[i];
    return NULL;
}

/* Keep stmt (prepared from sql) in the next free or oldest slot. */
static struct sq_cached *keep(struct sq_conn *c, const char *sql,
                              sqlite3_stmt *stmt)
{
    struct sq_cached *slot = &c->cache[c->cache_next];
    int count = sqlite3_bind_parameter_count(stmt);

    if (slot->in_use)
        return NULL;
    c->cache_next = (c->cache_next + 1) % SQ_CACHE_SIZE;
    sqlite3_finalize(slot->stmt);
    c->st->api->free(slot->sql);
    c->st->api->free(slot->param_k);
    slot->sql = sq_strndup(c->st, sql, strlen(sql));
    slot->stmt = stmt;
    slot->param_k = NULL;
    if (count > 0) {
        slot->param_k = c->st->api->alloc(sizeof(size_t) * (size_t)count);
        for (int pos = 1; pos <= count; pos++)
            slot->param_k[pos - 1] = param_number(stmt, pos);
    }
    return slot;
}

/* After a query: a kept statement is reset for the next one, any other
 * finalized. */
static void done_with(struct sq_cached *slot, sqlite3_stmt *stmt)
{
    if (!slot) {
        sqlite3_finalize(stmt);
        return;
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    slot->in_use = false;
}

/* Bind params to stmt, step it to the end and hand over its rows. */
static int run_prepared(struct sq_conn *c, struct sq_cached *slot,
                        sqlite3_stmt *stmt, const char *const *params,
                        size_t nparams, mgr_row_fn row, void *row_ctx,
                        long *affected_out, int fk_check,
                        struct mgr_db_error *dberr, struct mgr_error *err)
{
    const struct mgr_host_api *api = c->st->api;
    const char **names = NULL, **values = NULL;
    long long before;
    int ncols, rc, src;

    rc = bind_params(c, stmt, slot ? slot->param_k : NULL, params, nparams,
                     dberr, err);
    if (rc != MGR_OK) {
        done_with(slot, stmt);
        return rc;
    }
    ncols = sqlite3_column_count(stmt);
    if (ncols > 0 && row) {
        names = api->alloc(sizeof(*names) * (size_t)ncols);
        values = api->alloc(sizeof(*values) * (size_t)ncols);
    }
    before = (long long)sq_total_changes(c->db);
    for (;;) {
        src = sqlite3_step(stmt);
        if (src == SQLITE_ROW && fk_check) {
            rc = fk_violation(c, stmt, dberr, err);
            break;
        }
        if (src == SQLITE_ROW) {
            if (!row || ncols == 0)
                continue;
            rc = pass_row(stmt, ncols, names, values, row, row_ctx);
            if (rc != MGR_OK)
                break;
            continue;
        }
        if (src == SQLITE_DONE) {
            /* sqlite3_changes() keeps the count of the last INSERT,
             * UPDATE or DELETE: trust it only when this statement
             * changed something. */
            if (affected_out)
                *affected_out =
                    (long long)sq_total_changes(c->db) == before
                        ? 0
                        : (long)sq_changes(c->db);
            break;
        }
        rc = db_failed(c, src, dberr, err);
        break;
    }
    done_with(slot, stmt);
    api->free(names);
    api->free(values);
    return rc;
}

int sq_query(void *conn, const char *sql, const char *const *params,
             size_t nparams, mgr_row_fn row, void *row_ctx,
             long *affected_out, struct mgr_db_error *dberr,
             struct mgr_error *err)
{
    struct sq_conn *c = conn;
    const struct mgr_host_api *api = c->st->api;
    sqlite3_stmt *stmt = NULL;
    struct sq_cached *slot;
    const char *tail = NULL;
    int src, fk_check = sq_is_fk_check(sql);

    dberr_clear(dberr);
    if (affected_out)
        *affected_out = -1;
    slot = nparams ? cached(c, sql) : NULL;
    if (slot) {
        stmt = slot->stmt;
        slot->in_use = true;
        return run_prepared(c, slot, stmt, params, nparams, row, row_ctx,
                            affected_out, fk_check, dberr, err);
    }
    src = sqlite3_prepare_v2(c->db, sql, -1, &stmt, &tail);
    if (src != SQLITE_OK)
        return db_failed(c, src, dberr, err);
    if (tail && *sq_skip_blank(tail)) {
        if (dberr)
            dberr->offset = (int)(sq_skip_blank(tail) - sql);
        sqlite3_finalize(stmt);
        return api->error_set(err, MGR_EDB,
                              "more than one statement in one query; run "
                              "them one at a time");
    }
    if (!stmt) {
        /* Only comments and white space. */
        if (affected_out)
            *affected_out = 0;
        return MGR_OK;
    }
    slot = nparams ? keep(c, sql, stmt) : NULL;
    if (slot)
        slot->in_use = true;
    return run_prepared(c, slot, stmt, params, nparams, row, row_ctx,
                        affected_out, fk_check, dberr, err);
}

/* ---- transactions ------------------------------------------------------- */

static int sq_begin(void *conn, struct mgr_error *err)
{
    /* IMMEDIATE: take the write lock now, waiting up to the busy timeout,
     * never upgrade a read lock later (reliability §2 S5). */
    return sq_query(conn, "BEGIN IMMEDIATE", NULL, 0, NULL, NULL, NULL, NULL,
                    err);
}

static int sq_commit(void *conn, struct mgr_error *err)
{
    return sq_query(conn, "COMMIT", NULL, 0, NULL, NULL, NULL, NULL, err);
}

static int sq_rollback(void *conn, struct mgr_error *err)
{
    struct sq_conn *c = conn;

    /* Some errors (SQLITE_FULL, SQLITE_IOERR, RAISE(ROLLBACK)) end the
     * transaction by themselves: nothing is left to roll back. */
    if (sqlite3_get_autocommit(c->db))
        return MGR_OK;
    return sq_query(conn, "ROLLBACK", NULL, 0, NULL, NULL, NULL, NULL, err);
}

/* ---- quoting ------------------------------------------------------------ */

/* Append s to out between q quotes, each q inside doubled. */
static void quote_with(const struct sq_state *st, const char *s, char q,
                       struct mgr_buf *out)
{
    const char *p = s ? s : "";

    st->api->buf_add(out, &q, 1);
    while (*p) {
        const char *hit = strchr(p, q);
        size_t n = hit ? (size_t)(hit - p) + 1 : strlen(p);

        st->api->buf_add(out, p, n);
        if (hit)
            st->api->buf_add(out, &q, 1);
        p += n;
    }
    st->api->buf_add(out, &q, 1);
}

void sq_quote_ident(void *state, const char *ident, struct mgr_buf *out)
{
    quote_with(state, ident, '"', out);
}

void sq_quote_literal(void *state, const char *lit, struct mgr_buf *out)
{
    quote_with(state, lit, '\'', out);
}

/* ---- table_exists ------------------------------------------------------- */

int sq_count_row(void *ctx, size_t ncols, const char *const *names,
                     const char *const *values)
{
    (void)ncols;
    (void)names;
    (void)values;
    (*(int *)ctx)++;
    return MGR_OK;
}

/*
 * Tables of schema ("main", "temp" or an attached database; "main" when
 * NULL or ""), names compared as SQLite compares them (ASCII case
 * folded). An unknown schema is MGR_EDB.
 */
static int sq_table_exists(void *conn, const char *schema,
                           const char *table, int *exists_out,
                           struct mgr_error *err)
{
    static const char head[] = "SELECT 1 FROM ";
    static const char body[] = ".sqlite_master WHERE type = 'table' "
                               "AND name = $1 COLLATE NOCASE";
    struct sq_conn *c = conn;
    const struct mgr_host_api *api = c->st->api;
    const char *params[1] = { table ? table : "" };
    size_t slen, n = 0;
    char *sql;
    int rows = 0, rc;

    *exists_out = 0;
    if (!schema || !*schema)
        schema = "main";
    if (strcasecmp(schema, "temp") != 0) {
        /* SQLite would say "no such table: x.sqlite_master". */
        const char *sparams[1] = { schema };

        rc = sq_query(c, "SELECT 1 FROM pragma_database_list "
                         "WHERE name = $1 COLLATE NOCASE",
                      sparams, 1, sq_count_row, &rows, NULL, NULL, err);
        if (rc != MGR_OK)
            return rc;
        if (rows == 0)
            return api->error_set(err, MGR_EDB,
                                  "unknown database '%s'; ATTACH it or "
                                  "name 'main'",
                                  schema);
        rows = 0;
    }
    slen = strlen(schema);
    sql = api->alloc(sizeof(head) + 2 * slen + 2 + sizeof(body));
    memcpy(sql, head, sizeof(head) - 1);
    n = sizeof(head) - 1;
    sql[n++] = '"';
    for (size_t i = 0; i < slen; i++) {
        sql[n++] = schema[i];
        if (schema[i] == '"')
            sql[n++] = '"';
    }
    sql[n++] = '"';
    memcpy(sql + n, body, sizeof(body));
    rc = sq_query(c, sql, params, 1, sq_count_row, &rows, NULL, NULL, err);
    api->free(sql);
    if (rc == MGR_OK)
        *exists_out = rows > 0;
    return rc;
}

/* ---- the descriptor ----------------------------------------------------- */

static const struct mgr_dialect_ops ops = {
    .size = sizeof(struct mgr_dialect_ops),
    .schemes = schemes,
    .connect = sq_connect,
    .close = sq_close,
    .query = sq_query,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .transactional_ddl = 1,
    .lock = NULL, /* the host waits, calling try_lock */
    .unlock = sq_unlock,
    .quote_ident = sq_quote_ident,
    .quote_literal = sq_quote_literal,
    .split = sq_split,
    .needs_no_transaction = sq_needs_no_transaction,
    .version_column_type = "VARCHAR(32)",
    .table_exists = sq_table_exists,
    .interrupt = sq_interrupt,
    .lock_check = sq_lock_check,
    .try_lock = sq_try_lock,
    .introspect = sq_introspect,
    .render = sq_render,
    .scratch_open = sq_scratch_open,
    .scratch_close = sq_scratch_close,
    .connect_read_only = sq_connect_read_only,
    /* batch: none; set_lock_timeout: none, the lock wait is the busy
     * timeout (try_lock sets it to lock_wait). */
    .connect_opts = sq_connect_opts,
    .capture = sq_capture,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_DIALECT, "sqlite", PACKAGE_VERSION,
                  "SQLite databases (libsqlite3)", sq_init, sq_fini, &ops)
