/*
 * pg_dialect.c: the PostgreSQL dialect (libpq). The entry point, the
 * plugin's state, connections, statements, transactions and quoting.
 *
 * Connections: the database_url goes to libpq unchanged, so URLs
 * (postgresql://, postgres://), conninfo strings, service files,
 * PGPASSFILE and the PG* environment all work as they do for psql. The
 * plugin adds fallback_application_name=migrator/<version> (a user's
 * application_name or PGAPPNAME wins), client_encoding=UTF8 (scripts are
 * UTF-8), and on PostgreSQL 14 and later client_connection_check_interval
 * = 1s, so that a killed migrator does not keep its lock for the rest of
 * a long statement (reliability §2 #5b). statement_timeout is left to
 * the user. A scratch database (pg_scratch.c) is reached with the same
 * URL and a second dbname, which libpq takes over the URL's.
 *
 * Quoting: quote_ident always quotes ("name", with '"' doubled), so that
 * no keyword list is needed and case is always kept; quote_literal
 * doubles quotes and, when the value holds a backslash, writes an E''
 * literal with the backslashes doubled (right whatever
 * standard_conforming_strings says).
 */
#include "autoconfig.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "utf8.h"

#define PG_APP_NAME "migrator/" PACKAGE_VERSION
#define PG_MAX_PARAMS 65535 /* the protocol's limit */

static const char *const schemes[] = { "postgresql", "postgres",
                                       "conninfo", NULL };

/* ---- messages --------------------------------------------------------- */

/*
 * Copy libpq's text into dst: lines joined with "; ", tabs and the
 * trailing newline dropped, "FATAL:  x" written "FATAL: x".
 */
static void flatten(char *dst, size_t size, const char *src)
{
    size_t n = 0;

    if (!src)
        src = "";
    for (; *src && n + 1 < size; src++) {
        if (*src == '\n') {
            if (src[1] && n + 3 < size) {
                dst[n++] = ';';
                dst[n++] = ' ';
            }
        } else if (*src == ' ' && n >= 2 && dst[n - 1] == ' ' &&
                   dst[n - 2] == ':') {
            continue;
        } else if (*src != '\t' && *src != '\r') {
            dst[n++] = *src;
        }
    }
    dst[n] = '\0';
}

/* Replace every occurrence of secret in buf (size bytes) by "****". */
static void redact(char *buf, size_t size, const char *secret)
{
    size_t slen = secret ? strlen(secret) : 0;
    char out[MGR_ERROR_SIZE];
    size_t n = 0;
    const char *p = buf;

    if (slen == 0 || !strstr(buf, secret))
        return;
    while (*p && n + 1 < sizeof(out)) {
        if (strncmp(p, secret, slen) == 0) {
            for (int i = 0; i < 4 && n + 1 < sizeof(out); i++)
                out[n++] = '*';
            p += slen;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    snprintf(buf, size, "%s", out);
}

/*
 * The password as written in a URL's userinfo (still percent-encoded):
 * "scheme://user:SECRET@host". Copied into out; "" when there is none.
 */
static void url_password(const char *url, char *out, size_t size)
{
    const char *p = strstr(url, "://"), *end, *colon, *at = NULL;

    out[0] = '\0';
    if (!p)
        return;
    p += 3;
    end = p + strcspn(p, "/?#");
    for (const char *q = p; q < end; q++)
        if (*q == '@')
            at = q;
    if (!at)
        return;
    colon = memchr(p, ':', (size_t)(at - p));
    if (!colon || at - colon - 1 <= 0)
        return;
    snprintf(out, size, "%.*s", (int)(at - colon - 1), colon + 1);
}

/* ---- init ------------------------------------------------------------- */

static int pg_init(const struct mgr_host_api *api, struct mgr_host *h,
                   void **state_out, struct mgr_error *err)
{
    struct pg_state *st;

    /* Built against ABI 1.2, the plugin loads only in hosts of 1.2 or
     * later: every member it uses (schema_add too) is there. */
    (void)err;
    if (!api)
        return MGR_EPLUGIN;
    st = api->alloc(sizeof(*st));
    memset(st, 0, sizeof(*st));
    st->api = api;
    st->host = h;
    *state_out = st;
    return MGR_OK;
}

static void pg_fini(void *state)
{
    struct pg_state *st = state;

    pg_parse_fini();
    if (st)
        st->api->free(st);
}

/* ---- connections ------------------------------------------------------ */

/* Server messages (NOTICE, WARNING...) go to the host's log. */
static void pg_notice(void *arg, const PGresult *res)
{
    struct pg_conn *c = arg;
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char *shown = PQresultErrorField(res, PG_DIAG_SEVERITY);
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    int level = MGR_LOG_INFO;

    if (c->quiet)
        return;
    if (sev && strcmp(sev, "WARNING") == 0)
        level = MGR_LOG_WARNING;
    else if (sev && (strcmp(sev, "DEBUG") == 0 || strcmp(sev, "LOG") == 0))
        level = MGR_LOG_DEBUG;
    c->st->api->log(c->st->host, level, "%s: %s", shown ? shown : "NOTICE",
                    msg ? msg : "");
}

/* The password url carries (as libpq reads it), copied for redact(),
 * or NULL; MGR_ECONFIG when libpq cannot read url. */
static int url_secret(struct pg_state *st, const char *url,
                      const char *raw_secret, char **secret_out,
                      struct mgr_error *err)
{
    PQconninfoOption *opts;
    char msg[MGR_ERROR_SIZE];
    char *perr = NULL;

    *secret_out = NULL;
    opts = PQconninfoParse(url, &perr);
    if (!opts) {
        flatten(msg, sizeof(msg), perr ? perr : "out of memory");
        redact(msg, sizeof(msg), raw_secret);
        PQfreemem(perr);
        return st->api->error_set(err, MGR_ECONFIG,
                                  "invalid database URL: %s", msg);
    }
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val) {
            size_t n = strlen(o->val) + 1;

            *secret_out = st->api->alloc(n);
            memcpy(*secret_out, o->val, n);
        }
    PQconninfoFree(opts);
    return MGR_OK;
}

/* Session settings of a new connection. */
static void session_setup(struct pg_state *st, PGconn *pg)
{
    char msg[MGR_ERROR_SIZE];
    PGresult *res;

    if (PQserverVersion(pg) < 140000)
        return;
    res = PQexec(pg, "SET client_connection_check_interval = '1s'");
    /* Not every server platform supports it: not fatal. */
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        flatten(msg, sizeof(msg), PQresultErrorMessage(res));
        st->api->log(st->host, MGR_LOG_DEBUG,
                     "cannot set client_connection_check_interval: %s", msg);
    }
    PQclear(res);
}

/*
 * Why pg did not connect, as an error: MGR_EDB when a server answered
 * (it refused us), MGR_ECONN when none did. keys and vals have room for
 * one more pair at nkeys.
 */
static int connect_failed(struct pg_state *st, PGconn *pg, const char **keys,
                          const char **vals, size_t nkeys,
                          const char *secret, const char *raw_secret,
                          struct mgr_error *err)
{
    char msg[MGR_ERROR_SIZE];
    PGPing ping;

    flatten(msg, sizeof(msg), PQerrorMessage(pg));
    redact(msg, sizeof(msg), secret);
    redact(msg, sizeof(msg), raw_secret);
    PQfinish(pg);
    keys[nkeys] = "connect_timeout";
    vals[nkeys] = "2";
    ping = PQpingParams(keys, vals, 1);
    return st->api->error_set(err,
                              ping == PQPING_OK          ? MGR_EDB
                              : ping == PQPING_NO_ATTEMPT ? MGR_ECONFIG
                                                          : MGR_ECONN,
                              "cannot connect to the database: %s", msg);
}

int pg_connect_db(struct pg_state *st, const char *url, const char *dbname,
                  void **conn_out, struct mgr_error *err)
{
    /* Only the first dbname is read as a URL or conninfo string; a
     * later one is a plain database name, and overrides it. */
    const char *keys[6] = { "fallback_application_name", "dbname",
                            "client_encoding" };
    const char *vals[6] = { PG_APP_NAME, url, "UTF8" };
    size_t nkeys = 3;
    char raw_secret[256];
    struct pg_conn *c;
    char *secret = NULL;
    PGconn *pg;
    int rc;

    *conn_out = NULL;
    if (!url)
        url = vals[1] = "";
    url_password(url, raw_secret, sizeof(raw_secret));
    rc = url_secret(st, url, raw_secret, &secret, err);
    if (rc != MGR_OK)
        return rc;
    if (dbname) {
        keys[nkeys] = "dbname";
        vals[nkeys++] = dbname;
    }
    pg = PQconnectdbParams(keys, vals, 1);
    if (!pg) {
        rc = st->api->error_set(err, MGR_ENOMEM,
                                "cannot connect to the database: out of "
                                "memory");
    } else if (PQstatus(pg) != CONNECTION_OK) {
        rc = connect_failed(st, pg, keys, vals, nkeys, secret, raw_secret,
                            err);
    } else {
        c = st->api->alloc(sizeof(*c));
        memset(c, 0, sizeof(*c));
        c->st = st;
        c->pg = pg;
        c->cancel = PQgetCancel(pg);
        PQsetNoticeReceiver(pg, pg_notice, c);
        session_setup(st, pg);
        *conn_out = c;
    }
    if (secret) {
        memset(secret, 0, strlen(secret));
        st->api->free(secret);
    }
    return rc;
}

static int pg_connect(void *state, const char *url, void **conn_out,
                      struct mgr_error *err)
{
    return pg_connect_db(state, url, NULL, conn_out, err);
}

/* ABI 1.3: every transaction of the session is read-only, so that a
 * statement that would write fails instead. */
static int pg_connect_read_only(void *state, const char *url,
                                void **conn_out, struct mgr_error *err)
{
    int rc = pg_connect_db(state, url, NULL, conn_out, err);

    if (rc == MGR_OK)
        rc = pg_query(*conn_out, "SET default_transaction_read_only = on",
                      NULL, 0, NULL, NULL, NULL, NULL, err);
    if (rc != MGR_OK && *conn_out) {
        pg_close(*conn_out);
        *conn_out = NULL;
    }
    return rc;
}

/* Signal handler context: PQcancel is documented as safe there. */
static void pg_interrupt(void *conn)
{
    struct pg_conn *c = conn;
    char errbuf[256];

    if (c && c->cancel)
        PQcancel(c->cancel, errbuf, (int)sizeof(errbuf));
}

void pg_close(void *conn)
{
    struct pg_conn *c = conn;

    if (!c)
        return;
    if (c->cancel)
        PQfreeCancel(c->cancel);
    PQfinish(c->pg);
    if (c->lock_key)
        c->st->api->free(c->lock_key);
    c->st->api->free(c);
}

/* ---- statements --------------------------------------------------------- */

/* The byte offset of the pos-th character (1-based) of UTF-8 sql. */
static int char_to_byte(const char *sql, long pos)
{
    long chars = 0;
    size_t i;

    if (pos < 1)
        return -1;
    for (i = 0; sql[i]; i++) {
        if (!utf8_is_continuation((unsigned char)sql[i])) {
            if (++chars == pos)
                return i <= INT_MAX ? (int)i : -1;
        }
    }
    return -1;
}

static void fill_dberr(struct mgr_db_error *d, const PGresult *res,
                       const char *sql)
{
    const char *f;
    char *end;
    long pos;

    memset(d, 0, sizeof(*d));
    d->offset = -1;
    if (!res)
        return;
    f = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    snprintf(d->sqlstate, sizeof(d->sqlstate), "%s", f ? f : "");
    f = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    flatten(d->detail, sizeof(d->detail), f);
    f = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
    flatten(d->hint, sizeof(d->hint), f);
    f = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
    if (f) {
        errno = 0;
        pos = strtol(f, &end, 10);
        if (errno == 0 && end != f && *end == '\0')
            d->offset = char_to_byte(sql, pos);
    }
}

/* The error of a failed result: MGR_ECONN when the connection is gone. */
int pg_result_error(struct pg_conn *c, const PGresult *res,
                        const char *sql, struct mgr_db_error *dberr,
                        struct mgr_error *err)
{
    const struct mgr_host_api *api = c->st->api;
    const char *primary = res ? PQresultErrorField(res,
                                                   PG_DIAG_MESSAGE_PRIMARY)
                              : NULL;
    char msg[MGR_ERROR_SIZE];

    if (dberr)
        fill_dberr(dberr, res, sql);
    if (PQstatus(c->pg) == CONNECTION_BAD) {
        flatten(msg, sizeof(msg), primary ? primary : PQerrorMessage(c->pg));
        return api->error_set(err, MGR_ECONN,
                              "connection to the database lost: %s", msg);
    }
    flatten(msg, sizeof(msg),
            primary ? primary
            : res   ? PQresultErrorMessage(res)
                    : PQerrorMessage(c->pg));
    return api->error_set(err, MGR_EDB, "%s", msg[0] ? msg : "unknown error");
}

/*
 * A COPY to or from the client: refuse it and bring the connection back
 * to the idle state.
 */
static int refuse_copy(struct pg_conn *c, ExecStatusType status,
                       struct mgr_db_error *dberr, struct mgr_error *err)
{
    const struct mgr_host_api *api = c->st->api;
    PGresult *res;
    char *data;

    if (status == PGRES_COPY_IN) {
        PQputCopyEnd(c->pg, "COPY FROM STDIN is not supported by migrator");
    } else {
        while (PQgetCopyData(c->pg, &data, 0) > 0)
            PQfreemem(data);
    }
    while ((res = PQgetResult(c->pg)) != NULL)
        PQclear(res);
    if (dberr) {
        memset(dberr, 0, sizeof(*dberr));
        dberr->offset = -1;
    }
    if (PQstatus(c->pg) == CONNECTION_BAD)
        return api->error_set(err, MGR_ECONN,
                              "connection to the database lost during COPY");
    if (status == PGRES_COPY_IN)
        return api->error_set(err, MGR_EDB,
                              "COPY FROM STDIN is not supported; write the "
                              "rows as INSERT statements, or COPY FROM a "
                              "file on the server");
    return api->error_set(err, MGR_EDB,
                          "COPY TO STDOUT is not supported; a migration "
                          "has nowhere to send the rows");
}

static int send_rows(struct pg_conn *c, PGresult *res, mgr_row_fn row,
                     void *row_ctx)
{
    const struct mgr_host_api *api = c->st->api;
    int ncols = PQnfields(res), nrows = PQntuples(res), rc = MGR_OK;
    const char **names, **values;

    if (!row || nrows == 0)
        return MGR_OK;
    names = api->alloc(sizeof(*names) * (size_t)(ncols > 0 ? ncols : 1));
    values = api->alloc(sizeof(*values) * (size_t)(ncols > 0 ? ncols : 1));
    for (int i = 0; i < ncols; i++)
        names[i] = PQfname(res, i);
    for (int r = 0; r < nrows && rc == MGR_OK; r++) {
        for (int i = 0; i < ncols; i++)
            values[i] = PQgetisnull(res, r, i) ? NULL
                                               : PQgetvalue(res, r, i);
        rc = row(row_ctx, (size_t)ncols, names, values);
    }
    api->free(names);
    api->free(values);
    return rc;
}

/* Rows changed, for INSERT, UPDATE, DELETE and MERGE; -1 otherwise. */
long pg_affected_rows(PGresult *res)
{
    static const char *const tags[] = { "INSERT ", "UPDATE ", "DELETE ",
                                        "MERGE ", NULL };
    const char *tag = PQcmdStatus(res), *n = PQcmdTuples(res);
    char *end;
    long v;

    for (int i = 0; tags[i]; i++) {
        if (strncmp(tag, tags[i], strlen(tags[i])) != 0 || !*n)
            continue;
        errno = 0;
        v = strtol(n, &end, 10);
        return errno == 0 && *end == '\0' ? v : -1;
    }
    return -1;
}

int pg_query(void *conn, const char *sql, const char *const *params,
             size_t nparams, mgr_row_fn row, void *row_ctx,
             long *affected_out, struct mgr_db_error *dberr,
             struct mgr_error *err)
{
    struct pg_conn *c = conn;
    const struct mgr_host_api *api = c->st->api;
    ExecStatusType status;
    PGresult *res;
    int rc = MGR_OK;

    if (affected_out)
        *affected_out = -1;
    if (dberr) {
        memset(dberr, 0, sizeof(*dberr));
        dberr->offset = -1;
    }
    if (nparams > PG_MAX_PARAMS)
        return api->error_set(err, MGR_EDB,
                              "too many parameters (%zu, at most %d)",
                              nparams, PG_MAX_PARAMS);
    if (PQstatus(c->pg) == CONNECTION_BAD)
        return api->error_set(err, MGR_ECONN,
                              "connection to the database lost");
    /* Always the extended protocol, even without parameters: it runs
     * one statement only, so that text cannot carry a second one. */
    res = PQexecParams(c->pg, sql, (int)nparams, NULL, params, NULL, NULL,
                       0);
    status = PQresultStatus(res);
    switch (status) {
    case PGRES_TUPLES_OK:
        rc = send_rows(c, res, row, row_ctx);
        break;
    case PGRES_COMMAND_OK:
        if (affected_out)
            *affected_out = pg_affected_rows(res);
        break;
    case PGRES_EMPTY_QUERY:
        break;
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
        rc = refuse_copy(c, status, dberr, err);
        break;
    default:
        rc = pg_result_error(c, res, sql, dberr, err);
        break;
    }
    PQclear(res);
    return rc;
}

/*
 * A statement the plugin sends itself (BEGIN, COMMIT...): on failure the
 * message carries what the host would add to a script's error.
 */
static int run_own(struct pg_conn *c, const char *sql, PGresult **res_out,
                   struct mgr_error *err)
{
    struct mgr_db_error d;
    PGresult *res;
    int rc;

    if (res_out)
        *res_out = NULL;
    if (PQstatus(c->pg) == CONNECTION_BAD)
        return c->st->api->error_set(err, MGR_ECONN,
                                     "connection to the database lost");
    res = PQexec(c->pg, sql);
    if (PQresultStatus(res) == PGRES_COMMAND_OK ||
        PQresultStatus(res) == PGRES_TUPLES_OK) {
        if (res_out)
            *res_out = res;
        else
            PQclear(res);
        return MGR_OK;
    }
    rc = pg_result_error(c, res, sql, &d, err);
    PQclear(res);
    if (err && rc == MGR_EDB) {
        size_t n = strlen(err->msg);

        if (d.sqlstate[0])
            n += (size_t)snprintf(err->msg + n, sizeof(err->msg) - n,
                                  " [SQLSTATE %s]", d.sqlstate);
        if (d.detail[0] && n < sizeof(err->msg))
            snprintf(err->msg + n, sizeof(err->msg) - n, "; %s", d.detail);
    }
    return rc;
}

/* ---- transactions ------------------------------------------------------- */

static int pg_begin(void *conn, struct mgr_error *err)
{
    struct pg_conn *c = conn;

    switch (PQtransactionStatus(c->pg)) {
    case PQTRANS_IDLE:
        return run_own(c, "BEGIN", NULL, err);
    case PQTRANS_UNKNOWN:
        return c->st->api->error_set(err, MGR_ECONN,
                                     "connection to the database lost");
    default:
        return c->st->api->error_set(err, MGR_EDB,
                                     "cannot begin a transaction: one is "
                                     "open already");
    }
}

static int pg_commit(void *conn, struct mgr_error *err)
{
    struct pg_conn *c = conn;
    PGresult *res;
    int rc;

    switch (PQtransactionStatus(c->pg)) {
    case PQTRANS_IDLE:
        return c->st->api->error_set(err, MGR_EDB,
                                     "cannot commit: no transaction is "
                                     "open (did a statement end it?)");
    case PQTRANS_UNKNOWN:
        return c->st->api->error_set(err, MGR_ECONN,
                                     "connection to the database lost");
    case PQTRANS_INERROR:
        rc = run_own(c, "ROLLBACK", NULL, err);
        if (rc != MGR_OK)
            return rc;
        return c->st->api->error_set(err, MGR_EDB,
                                     "cannot commit: a statement of the "
                                     "transaction failed; it was rolled "
                                     "back");
    default:
        break;
    }
    rc = run_own(c, "COMMIT", &res, err);
    if (rc != MGR_OK)
        return rc;
    /* COMMIT of a failed transaction succeeds as a ROLLBACK. */
    if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
        rc = c->st->api->error_set(err, MGR_EDB,
                                   "commit failed: the server rolled the "
                                   "transaction back");
    PQclear(res);
    return rc;
}

static int pg_rollback(void *conn, struct mgr_error *err)
{
    struct pg_conn *c = conn;

    switch (PQtransactionStatus(c->pg)) {
    case PQTRANS_IDLE:
        return MGR_OK;
    case PQTRANS_UNKNOWN:
        return c->st->api->error_set(err, MGR_ECONN,
                                     "connection to the database lost; "
                                     "the server rolls back by itself");
    default:
        return run_own(c, "ROLLBACK", NULL, err);
    }
}

/* ---- quoting, introspection ------------------------------------------- */

void pg_quote_ident(void *state, const char *ident, struct mgr_buf *out)
{
    struct pg_state *st = state;
    const char *p = ident ? ident : "";

    st->api->buf_add(out, "\"", 1);
    while (*p) {
        size_t n = strcspn(p, "\"");

        st->api->buf_add(out, p, n);
        p += n;
        if (*p == '"') {
            st->api->buf_add(out, "\"\"", 2);
            p++;
        }
    }
    st->api->buf_add(out, "\"", 1);
}

void pg_quote_literal(void *state, const char *lit, struct mgr_buf *out)
{
    struct pg_state *st = state;
    const char *p = lit ? lit : "";

    if (strchr(p, '\\'))
        st->api->buf_add(out, "E", 1);
    st->api->buf_add(out, "'", 1);
    while (*p) {
        size_t n = strcspn(p, "'\\");

        st->api->buf_add(out, p, n);
        p += n;
        if (*p) {
            /* a quote or a backslash: written twice */
            st->api->buf_add(out, p, 1);
            st->api->buf_add(out, p, 1);
            p++;
        }
    }
    st->api->buf_add(out, "'", 1);
}

static int count_row(void *ctx, size_t ncols, const char *const *names,
                     const char *const *values)
{
    (void)ncols;
    (void)names;
    (void)values;
    (*(int *)ctx)++;
    return MGR_OK;
}

static int pg_table_exists(void *conn, const char *schema,
                           const char *table, int *exists_out,
                           struct mgr_error *err)
{
    static const char visible[] =
        "SELECT 1 FROM pg_catalog.pg_class c "
        "WHERE c.relname = $1::name "
        "AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
        "AND pg_catalog.pg_table_is_visible(c.oid)";
    static const char in_schema[] =
        "SELECT 1 FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = $1::name AND n.nspname = $2::name "
        "AND c.relkind IN ('r', 'p', 'v', 'm', 'f')";
    const char *params[2] = { table ? table : "", schema };
    int rows = 0, rc;

    *exists_out = 0;
    if (schema && *schema)
        rc = pg_query(conn, in_schema, params, 2, count_row, &rows, NULL,
                      NULL, err);
    else
        rc = pg_query(conn, visible, params, 1, count_row, &rows, NULL,
                      NULL, err);
    if (rc == MGR_OK)
        *exists_out = rows > 0;
    return rc;
}

/* ---- the descriptor --------------------------------------------------- */

static const struct mgr_dialect_ops ops = {
    .size = sizeof(struct mgr_dialect_ops),
    .schemes = schemes,
    .connect = pg_connect,
    .close = pg_close,
    .query = pg_query,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .transactional_ddl = 1,
    .lock = NULL, /* the host waits, calling try_lock */
    .unlock = pg_unlock,
    .quote_ident = pg_quote_ident,
    .quote_literal = pg_quote_literal,
    .split = pg_split,
    .needs_no_transaction = pg_needs_no_transaction,
    .version_column_type = "VARCHAR(32)",
    .table_exists = pg_table_exists,
    .interrupt = pg_interrupt,
    .lock_check = pg_lock_check,
    .try_lock = pg_try_lock,
    .introspect = pg_introspect,
    .render = pg_render,
    .scratch_open = pg_scratch_open,
    .scratch_close = pg_scratch_close,
#ifdef HAVE_PG_QUERY
    .parse = pg_parse,
    .parse_format = PG_PARSE_FORMAT,
#endif
    .connect_read_only = pg_connect_read_only,
    .batch = pg_batch,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_DIALECT, "postgresql", PACKAGE_VERSION,
                  "PostgreSQL databases (libpq)", pg_init, pg_fini, &ops)
