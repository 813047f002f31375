/*
 * pg_batch.c: the batch op (ABI 1.3). The host sends a revision's last
 * statement with its version-table change and its log row; in libpq's
 * pipeline mode (libpq 14 and later) they go out together and the
 * results come back together: one round trip instead of three. After a
 * failure the server skips the rest of the pipeline (PIPELINE_ABORTED),
 * and the transaction is failed as it would be one statement at a time.
 * Without pipeline mode, or for a COPY (which a pipeline cannot carry),
 * the statements run one by one through query. The results are waited
 * for as query waits (pg_wait.c): a signal ends the wait.
 */
#include "autoconfig.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "pg.h"

static bool is_copy(const char *sql)
{
    while (isspace((unsigned char)*sql))
        sql++;
    return strncasecmp(sql, "COPY", 4) == 0 &&
           !isalnum((unsigned char)sql[4]) && sql[4] != '_';
}

static int one_by_one(void *conn, struct mgr_batch_item *items, size_t n,
                      size_t *failed_out, struct mgr_db_error *dberr,
                      struct mgr_error *err)
{
    for (size_t i = 0; i < n; i++) {
        int rc = pg_query(conn, items[i].sql, items[i].params,
                          items[i].nparams, NULL, NULL, &items[i].affected,
                          dberr, err);

        if (rc != MGR_OK) {
            *failed_out = i;
            return rc;
        }
    }
    *failed_out = n;
    return MGR_OK;
}

#ifdef LIBPQ_HAS_PIPELINING
static int lost(struct pg_conn *c, struct mgr_error *err)
{
    char msg[MGR_ERROR_SIZE];

    pg_flatten(msg, sizeof(msg), PQerrorMessage(c->pg));
    return c->st->api->error_set(err, MGR_ECONN,
                                 "connection to the database lost: %s", msg);
}

/* The result of item i, then the NULL that ends it. */
static int read_result(struct pg_conn *c, struct mgr_batch_item *item,
                       bool *failed, struct mgr_db_error *dberr,
                       struct mgr_error *err)
{
    PGresult *res, *end;
    int rc = pg_wait_result(c, &res, err), end_rc;

    if (rc != MGR_OK)
        return rc;
    if (!res)
        return lost(c, err);
    switch (PQresultStatus(res)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_EMPTY_QUERY:
        item->affected = pg_affected_rows(res);
        break;
    case PGRES_PIPELINE_ABORTED:
        break;
    default:
        if (!*failed)
            rc = pg_result_error(c, res, item->sql, dberr, err);
        *failed = true;
        break;
    }
    PQclear(res);
    end_rc = pg_wait_result(c, &end, err);
    if (end_rc == MGR_EINTR)
        return end_rc;
    if (end)
        PQclear(end);
    return rc;
}

static int pipeline(struct pg_conn *c, struct mgr_batch_item *items,
                    size_t n, size_t *failed_out, struct mgr_db_error *dberr,
                    struct mgr_error *err)
{
    bool failed = false;
    PGresult *sync;
    int rc = MGR_OK, rc_sync;

    if (!PQenterPipelineMode(c->pg))
        return one_by_one(c, items, n, failed_out, dberr, err);
    for (size_t i = 0; i < n; i++)
        if (!PQsendQueryParams(c->pg, items[i].sql, (int)items[i].nparams,
                               NULL, items[i].params, NULL, NULL, 0)) {
            PQexitPipelineMode(c->pg);
            return lost(c, err);
        }
    if (!PQpipelineSync(c->pg))
        return lost(c, err);
    pg_wait_begin(c);
    *failed_out = n;
    for (size_t i = 0; i < n; i++) {
        bool was_failed = failed;
        int item_rc = read_result(c, &items[i], &failed, dberr, err);

        if (item_rc == MGR_ECONN || item_rc == MGR_EINTR)
            return item_rc;
        if (failed && !was_failed) {
            *failed_out = i;
            rc = item_rc;
        }
    }
    rc_sync = pg_wait_result(c, &sync, err);
    if (rc_sync != MGR_OK)
        return rc_sync;
    if (!sync || PQresultStatus(sync) != PGRES_PIPELINE_SYNC) {
        if (sync)
            PQclear(sync);
        return lost(c, err);
    }
    PQclear(sync);
    PQexitPipelineMode(c->pg);
    return rc;
}
#endif

int pg_batch(void *conn, struct mgr_batch_item *items, size_t n,
             size_t *failed_out, struct mgr_db_error *dberr,
             struct mgr_error *err)
{
    struct pg_conn *c = conn;

    if (dberr) {
        memset(dberr, 0, sizeof(*dberr));
        dberr->offset = -1;
    }
    for (size_t i = 0; i < n; i++) {
        items[i].affected = -1;
        if (is_copy(items[i].sql))
            return one_by_one(conn, items, n, failed_out, dberr, err);
    }
    /* One statement is one round trip either way: spare it the pipeline's
     * extra Sync and mode switches. */
    if (n == 1)
        return one_by_one(conn, items, n, failed_out, dberr, err);
#ifdef LIBPQ_HAS_PIPELINING
    if (PQstatus(c->pg) == CONNECTION_BAD)
        return c->st->api->error_set(err, MGR_ECONN,
                                     "connection to the database lost");
    return pipeline(c, items, n, failed_out, dberr, err);
#else
    (void)c;
    return one_by_one(conn, items, n, failed_out, dberr, err);
#endif
}
