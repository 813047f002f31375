/* vtable_defer.c: version-table changes and log rows written at COMMIT. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "vtable_defer.h"

/* Log rows per INSERT: 100 rows of 8 values stay under the 999 bound
 * parameters of old SQLite builds and far under PostgreSQL's 65535. */
#define DEFER_LOG_ROWS_PER_INSERT 20

static struct vtable_defer_row *row_now_holding(struct vtable_defer *d,
                                                const char *version)
{
    for (size_t i = 0; i < d->nrows; i++)
        if (d->rows[i].current && strcmp(d->rows[i].current, version) == 0)
            return &d->rows[i];
    return NULL;
}

static struct vtable_defer_row *new_row(struct vtable_defer *d,
                                        const char *origin)
{
    struct vtable_defer_row *row;

    if (d->nrows == d->arows) {
        d->arows = d->arows ? 2 * d->arows : 4;
        d->rows = xreallocarray(d->rows, d->arows, sizeof(*d->rows));
    }
    row = &d->rows[d->nrows++];
    row->origin = origin ? xstrdup(origin) : NULL;
    row->current = NULL;
    return row;
}

void vtable_defer_op(struct vtable_defer *d, const struct plan_op *op)
{
    struct vtable_defer_row *row = NULL;

    if (op->kind != PLAN_INSERT)
        row = row_now_holding(d, op->from);
    if (!row)
        row = new_row(d, op->kind == PLAN_INSERT ? NULL : op->from);
    free(row->current);
    row->current = op->kind == PLAN_DELETE ? NULL : xstrdup(op->to);
}

void vtable_defer_log(struct vtable *vt, struct vtable_defer *d,
                      const struct vtable_log_entry *e)
{
    char when[32], duration[24];
    const char *values[VTABLE_LOG_NCOLS];

    vtable_log_values(vt, e, when, duration, values);
    if (d->nlog == d->alog) {
        d->alog = d->alog ? 2 * d->alog : 16;
        d->log = xreallocarray(d->log, d->alog * VTABLE_LOG_NCOLS,
                               sizeof(*d->log));
    }
    for (size_t i = 0; i < VTABLE_LOG_NCOLS; i++)
        d->log[d->nlog * VTABLE_LOG_NCOLS + i] = xstrdup(values[i]);
    d->nlog++;
}

bool vtable_defer_empty(const struct vtable_defer *d)
{
    return d->nrows == 0 && d->nlog == 0;
}

static bool row_changed(const struct vtable_defer_row *row)
{
    if (!row->origin || !row->current)
        return row->origin != row->current; /* not both NULL */
    return strcmp(row->origin, row->current) != 0;
}

static enum plan_op_kind row_kind(const struct vtable_defer_row *row)
{
    return !row->origin ? PLAN_INSERT
           : !row->current ? PLAN_DELETE
                           : PLAN_UPDATE;
}

/*
 * The net change of each row: deletes first, then updates, then inserts,
 * so that a version that leaves one row and enters another never meets
 * itself in the primary key.
 */
static void flush_rows(struct vtable *vt, struct vtable_defer *d,
                       struct vtable_batch *b)
{
    static const enum plan_op_kind order[] = { PLAN_DELETE, PLAN_UPDATE,
                                               PLAN_INSERT };
    struct mgr_buf sql = MGR_BUF_INIT;
    size_t nops = 0;

    d->ops = xcalloc(d->nrows ? d->nrows : 1, sizeof(*d->ops));
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
        for (size_t i = 0; i < d->nrows; i++) {
            const struct vtable_defer_row *row = &d->rows[i];
            struct plan_op *op;
            const char *params[2];
            size_t n;

            if (!row_changed(row) || row_kind(row) != order[k])
                continue;
            op = &d->ops[nops++];
            op->kind = order[k];
            op->from = row->origin;
            op->to = row->current;
            mgr_buf_reset(&sql);
            n = vtable_op_sql(vt, op, &sql, params);
            vtable_batch_add(b, sql.buf, params, n,
                             op->kind == PLAN_INSERT ? NULL : op);
        }
    }
    mgr_buf_release(&sql);
}

/* INSERT ... VALUES ($1, ..., $8), ($9, ...): rows [first, first + n). */
static void flush_log_rows(struct vtable *vt, struct vtable_defer *d,
                           size_t first, size_t n, struct vtable_batch *b)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    size_t param = 1;

    mgr_buf_addf(&sql, "INSERT INTO %s (" VTABLE_LOG_COLUMNS ") VALUES ",
                 vt->qlog.buf);
    for (size_t r = 0; r < n; r++) {
        mgr_buf_addstr(&sql, r ? ", (" : "(");
        for (size_t c = 0; c < VTABLE_LOG_NCOLS; c++)
            mgr_buf_addf(&sql, c ? ", $%zu" : "$%zu", param++);
        mgr_buf_addch(&sql, ')');
    }
    vtable_batch_add(b, sql.buf,
                     (const char *const *)&d->log[first * VTABLE_LOG_NCOLS],
                     n * VTABLE_LOG_NCOLS, NULL);
    mgr_buf_release(&sql);
}

void vtable_defer_flush(struct vtable *vt, struct vtable_defer *d,
                        struct vtable_batch *b)
{
    free(d->ops);
    d->ops = NULL;
    flush_rows(vt, d, b);
    for (size_t first = 0; first < d->nlog;
         first += DEFER_LOG_ROWS_PER_INSERT) {
        size_t n = d->nlog - first;

        if (n > DEFER_LOG_ROWS_PER_INSERT)
            n = DEFER_LOG_ROWS_PER_INSERT;
        flush_log_rows(vt, d, first, n, b);
    }
}

void vtable_defer_reset(struct vtable_defer *d)
{
    for (size_t i = 0; i < d->nrows; i++) {
        free(d->rows[i].origin);
        free(d->rows[i].current);
    }
    for (size_t i = 0; i < d->nlog * VTABLE_LOG_NCOLS; i++)
        free(d->log[i]);
    free(d->rows);
    free(d->log);
    free(d->ops);
    memset(d, 0, sizeof(*d));
}
