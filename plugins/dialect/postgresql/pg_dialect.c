/*
 * pg_dialect.c: the PostgreSQL dialect (libpq). The entry point, the
 * plugin's state, statements, transactions and quoting. Connections are
 * made in pg_connect.c; every statement is sent with PQsend* and its
 * results waited for in pg_wait.c, so that a signal ends any wait.
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

#define PG_MAX_PARAMS 65535 /* the protocol's limit */

static const char *const schemes[] = { "postgresql", "postgres",
                                       "conninfo", NULL };

/* ---- messages --------------------------------------------------------- */

void pg_flatten(char *dst, size_t size, const char *src)
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

/* ---- init ------------------------------------------------------------- */

static int pg_init(const struct mgr_host_api *api, struct mgr_host *h,
                   void **state_out, struct mgr_error *err)
{
    struct pg_state *st;

    /* Built against ABI 1.4, the plugin loads only in hosts of 1.4 or
     * later: every member it uses is there (interrupted is still
     * checked, for hosts that leave it NULL: the test suites'). */
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
    pg_flatten(d->detail, sizeof(d->detail), f);
    f = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
    pg_flatten(d->hint, sizeof(d->hint), f);
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
        pg_flatten(msg, sizeof(msg), primary ? primary : PQerrorMessage(c->pg));
        return api->error_set(err, MGR_ECONN,
                              "connection to the database lost: %s", msg);
    }
    if (res && pg_is_lock_timeout(c, PQresultErrorField(res,
                                                        PG_DIAG_SQLSTATE)))
        return pg_lock_timeout_error(c, err);
    pg_flatten(msg, sizeof(msg),
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
    char *data;
    int n, rc = MGR_OK;

    if (status == PGRES_COPY_IN) {
        PQputCopyEnd(c->pg, "COPY FROM STDIN is not supported by migrator");
    } else {
        while (rc == MGR_OK && (n = PQgetCopyData(c->pg, &data, 1)) >= 0) {
            if (n > 0)
                PQfreemem(data);
            else
                rc = pg_wait_input(c, err);
        }
    }
    if (rc == MGR_OK)
        rc = pg_wait_drain(c, err);
    if (rc != MGR_OK)
        return rc;
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
    int rc;

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
    if (!PQsendQueryParams(c->pg, sql, (int)nparams, NULL, params, NULL,
                           NULL, 0))
        return pg_result_error(c, NULL, sql, dberr, err);
    pg_wait_begin(c);
    rc = pg_wait_result(c, &res, err);
    if (rc != MGR_OK)
        return rc;
    status = PQresultStatus(res);
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) {
        PQclear(res);
        return refuse_copy(c, status, dberr, err);
    }
    /* The NULL that ends the statement's results (or the end of a
     * connection the server closed after its error). */
    rc = pg_wait_end(c, err);
    if (rc != MGR_OK) {
        PQclear(res);
        return rc;
    }
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
    rc = pg_wait_exec(c, sql, &res, err);
    if (rc != MGR_OK)
        return rc;
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
        pg_lock_timeout_tx_end(c, true);
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
    pg_lock_timeout_tx_end(c, rc != MGR_OK);
    return rc;
}

static int pg_rollback(void *conn, struct mgr_error *err)
{
    struct pg_conn *c = conn;
    int rc;

    switch (PQtransactionStatus(c->pg)) {
    case PQTRANS_IDLE:
        return MGR_OK;
    case PQTRANS_UNKNOWN:
        return c->st->api->error_set(err, MGR_ECONN,
                                     "connection to the database lost; "
                                     "the server rolls back by itself");
    default:
        break;
    }
    rc = run_own(c, "ROLLBACK", NULL, err);
    if (rc == MGR_OK)
        pg_lock_timeout_tx_end(c, true);
    return rc;
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
    .connect_opts = pg_connect_opts,
    .set_lock_timeout = pg_set_lock_timeout,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_DIALECT, "postgresql", PACKAGE_VERSION,
                  "PostgreSQL databases (libpq)", pg_init, pg_fini, &ops)
