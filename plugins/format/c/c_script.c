/*
 * c_script.c: the handle a C script's function gets (struct mgr_script of
 * <migrator/script.h>), on top of the host's exec_query.
 *
 * The handle keeps the first failure of the call: after it nothing more is
 * sent, every call returns its status, and the step fails with its message
 * whatever the function returns. Results hold copies of every row; those
 * the script did not free are freed when its function returns.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c.h"

#define HANDLE_MAGIC 0x63736372u /* "cscr" */

struct c_result;

struct c_handle {
    struct mgr_script pub; /* first: the script sees only this */
    unsigned magic;
    const struct c_state *st;
    struct mgr_exec *x;
    const char *path;
    int mode;              /* api->exec_mode(x) */
    long affected;         /* of the last exec */
    int status;            /* the first failure, or MGR_OK */
    struct mgr_error err;  /* its message */
    struct c_result *live; /* results not freed yet */
};

struct c_result {
    struct mgr_result pub; /* first */
    struct c_handle *h;
    struct c_result *next, *prev;
    size_t nrows, ncols, alloc;
    char **names;          /* ncols names */
    char **cells;          /* nrows * ncols values, NULL for SQL NULL */
};

static struct c_handle *handle_of(struct mgr_script *s)
{
    struct c_handle *h = (struct c_handle *)s;

    if (h->magic != HANDLE_MAGIC)
        abort(); /* not a handle this plugin made */
    return h;
}

static struct c_result *result_of(const struct mgr_result *r)
{
    return (struct c_result *)r;
}

/* Keep e as the handle's failure unless there is one already. */
static int keep_failure(struct c_handle *h, int code,
                        const struct mgr_error *e)
{
    if (h->status != MGR_OK)
        return h->status;
    h->status = code ? code : MGR_EDB;
    h->err = *e;
    h->err.code = h->status;
    return h->status;
}

/* Keep a failure of the script's own: "path:line: message". */
static int fail_at(struct c_handle *h, int line, const char *fmt, ...)
    MGR_PRINTF(3, 4);
static int fail_at(struct c_handle *h, int line, const char *fmt, ...)
{
    struct mgr_error e;
    char msg[MGR_ERROR_SIZE];
    va_list ap;

    if (h->status != MGR_OK)
        return h->status;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    memset(&e, 0, sizeof(e));
    if (line > 0)
        h->st->api->error_set(&e, MGR_EDB, "%s:%d: %s", h->path, line, msg);
    else
        h->st->api->error_set(&e, MGR_EDB, "%s: %s", h->path, msg);
    return keep_failure(h, MGR_EDB, &e);
}

/* ---- statements --------------------------------------------------------- */

static int s_exec(struct mgr_script *s, const char *sql, size_t nparams,
                  const char *const *params, int line)
{
    struct c_handle *h = handle_of(s);
    struct mgr_error e;
    long affected = -1;
    int rc;

    h->affected = -1;
    if (h->status != MGR_OK)
        return h->status;
    if (!sql)
        return fail_at(h, line, "exec without a statement (NULL)");
    if (nparams && !params)
        return fail_at(h, line, "%zu parameters given as NULL", nparams);
    memset(&e, 0, sizeof(e));
    rc = h->st->api->exec_query(h->x, sql, params, nparams, NULL, NULL,
                                &affected, line, &e);
    if (rc != MGR_OK)
        return keep_failure(h, rc, &e);
    h->affected = affected;
    return MGR_OK;
}

static long s_affected(struct mgr_script *s)
{
    return handle_of(s)->affected;
}

static void result_link(struct c_handle *h, struct c_result *r)
{
    r->prev = NULL;
    r->next = h->live;
    if (h->live)
        h->live->prev = r;
    h->live = r;
}

static void result_unlink(struct c_result *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else if (r->h && r->h->live == r)
        r->h->live = r->next;
    if (r->next)
        r->next->prev = r->prev;
    r->next = r->prev = NULL;
}

static void result_destroy(struct c_result *r)
{
    for (size_t i = 0; i < r->ncols; i++)
        free(r->names[i]);
    for (size_t i = 0; i < r->nrows * r->ncols; i++)
        free(r->cells[i]);
    free(r->names);
    free(r->cells);
    free(r);
}

/* mgr_row_fn: copy one row into the result. */
static int collect_row(void *ctx, size_t ncols, const char *const *names,
                       const char *const *values)
{
    struct c_result *r = ctx;

    if (r->nrows == 0 && r->ncols == 0 && ncols) {
        r->ncols = ncols;
        r->names = c_xmalloc(ncols * sizeof(*r->names));
        for (size_t i = 0; i < ncols; i++)
            r->names[i] = c_xstrdup(names[i] ? names[i] : "");
    }
    if (ncols != r->ncols)
        return r->h->st->api->error_set(NULL, MGR_EDB,
                                        "rows of different widths");
    if (r->nrows == r->alloc) {
        r->alloc = r->alloc ? 2 * r->alloc : 16;
        r->cells = c_xrealloc(r->cells,
                              r->alloc * (ncols ? ncols : 1) *
                                  sizeof(*r->cells));
    }
    for (size_t i = 0; i < ncols; i++)
        r->cells[r->nrows * ncols + i] =
            values[i] ? c_xstrdup(values[i]) : NULL;
    r->nrows++;
    return MGR_OK;
}

static int s_query(struct mgr_script *s, const char *sql, size_t nparams,
                   const char *const *params, struct mgr_result **res_out,
                   int line)
{
    struct c_handle *h = handle_of(s);
    struct c_result *r;
    struct mgr_error e;
    int rc;

    if (res_out)
        *res_out = NULL;
    if (h->status != MGR_OK)
        return h->status;
    if (!sql || !res_out)
        return fail_at(h, line, "query without a %s (NULL)",
                       sql ? "place for the result" : "statement");
    if (nparams && !params)
        return fail_at(h, line, "%zu parameters given as NULL", nparams);
    r = c_xmalloc(sizeof(*r));
    memset(r, 0, sizeof(*r));
    r->pub.api = h->pub.api;
    r->h = h;
    memset(&e, 0, sizeof(e));
    rc = h->st->api->exec_query(h->x, sql, params, nparams, collect_row, r,
                                NULL, line, &e);
    if (rc != MGR_OK) {
        result_destroy(r);
        return keep_failure(h, rc, &e);
    }
    result_link(h, r);
    *res_out = &r->pub;
    return MGR_OK;
}

/* ---- results ------------------------------------------------------------ */

static size_t r_rows(const struct mgr_result *res)
{
    return res ? result_of(res)->nrows : 0;
}

static size_t r_cols(const struct mgr_result *res)
{
    return res ? result_of(res)->ncols : 0;
}

/* Whether row, col is in r; if not, fail the handle naming line. */
static bool in_range(struct c_result *r, size_t row, size_t col, int line)
{
    if (row < r->nrows && col < r->ncols)
        return true;
    if (row >= r->nrows)
        fail_at(r->h, line, "row %zu is out of range; the result has %zu "
                "row%s (counted from 0)",
                row, r->nrows, r->nrows == 1 ? "" : "s");
    else
        fail_at(r->h, line, "column %zu is out of range; the result has "
                "%zu column%s (counted from 0)",
                col, r->ncols, r->ncols == 1 ? "" : "s");
    return false;
}

static const char *r_name(const struct mgr_result *res, size_t col,
                          int line)
{
    struct c_result *r = result_of(res);

    if (col < r->ncols)
        return r->names[col];
    fail_at(r->h, line, "column %zu is out of range; the result has %zu "
            "column%s (counted from 0)",
            col, r->ncols, r->ncols == 1 ? "" : "s");
    return NULL;
}

static const char *r_text(const struct mgr_result *res, size_t row,
                          size_t col, int line)
{
    struct c_result *r = result_of(res);

    if (!in_range(r, row, col, line))
        return NULL;
    return r->cells[row * r->ncols + col];
}

static int r_is_null(const struct mgr_result *res, size_t row, size_t col,
                     int line)
{
    struct c_result *r = result_of(res);

    if (!in_range(r, row, col, line))
        return 1;
    return r->cells[row * r->ncols + col] == NULL;
}

static int r_int(const struct mgr_result *res, size_t row, size_t col,
                 long long *out, int line)
{
    const char *t = r_text(res, row, col, line);
    char *end = NULL;
    long long v;

    *out = 0;
    if (!t || !*t || *t == ' ' || *t == '\t' || *t == '\n')
        return 1;
    errno = 0;
    v = strtoll(t, &end, 10);
    if (errno || *end)
        return 1;
    *out = v;
    return 0;
}

static int r_double(const struct mgr_result *res, size_t row, size_t col,
                    double *out, int line)
{
    const char *t = r_text(res, row, col, line);
    char *end = NULL;
    double v;

    *out = 0;
    if (!t || !*t || *t == ' ' || *t == '\t' || *t == '\n')
        return 1;
    errno = 0;
    v = strtod(t, &end);
    if (errno == ERANGE || *end)
        return 1;
    *out = v;
    return 0;
}

static void r_free(struct mgr_result *res)
{
    struct c_result *r = result_of(res);

    if (!r)
        return;
    result_unlink(r);
    result_destroy(r);
}

/* ---- diagnostics and the run -------------------------------------------- */

static void s_vlog(struct mgr_script *s, int level, int line,
                   const char *fmt, va_list ap)
{
    struct c_handle *h = handle_of(s);
    char msg[MGR_ERROR_SIZE];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (line > 0)
        h->st->api->log(h->st->host, level, "%s:%d: %s", h->path, line,
                        msg);
    else
        h->st->api->log(h->st->host, level, "%s: %s", h->path, msg);
}

static int s_vfail(struct mgr_script *s, int line, const char *fmt,
                   va_list ap)
{
    struct c_handle *h = handle_of(s);
    char msg[MGR_ERROR_SIZE];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    return fail_at(h, line, "%s", msg);
}

static const char *s_error(struct mgr_script *s)
{
    struct c_handle *h = handle_of(s);

    return h->status != MGR_OK ? h->err.msg : NULL;
}

static const char *s_xarg(struct mgr_script *s, const char *key)
{
    struct c_handle *h = handle_of(s);

    return key ? h->st->api->exec_xarg(h->x, key) : NULL;
}

static const char *s_dialect(struct mgr_script *s)
{
    struct c_handle *h = handle_of(s);
    const char *d = h->st->api->exec_dialect(h->x);

    return d ? d : "";
}

static int s_offline(struct mgr_script *s)
{
    return handle_of(s)->mode == 1;
}

static const struct mgr_script_api script_api = {
    .version = MGR_SCRIPT_API_VERSION,
    .size = sizeof(struct mgr_script_api),
    .exec = s_exec,
    .affected = s_affected,
    .query = s_query,
    .result_rows = r_rows,
    .result_cols = r_cols,
    .result_name = r_name,
    .result_text = r_text,
    .result_is_null = r_is_null,
    .result_int = r_int,
    .result_double = r_double,
    .result_free = r_free,
    .vlog = s_vlog,
    .vfail = s_vfail,
    .error = s_error,
    .xarg = s_xarg,
    .dialect = s_dialect,
    .offline = s_offline,
};

int c_script_call(const struct c_state *st, struct mgr_exec *x,
                  const char *path, enum mgr_direction dir, c_script_fn fn,
                  struct mgr_error *err)
{
    const char *what = dir == MGR_UPGRADE ? "upgrade" : "downgrade";
    struct c_handle h;
    int ret;

    memset(&h, 0, sizeof(h));
    h.pub.api = &script_api;
    h.magic = HANDLE_MAGIC;
    h.st = st;
    h.x = x;
    h.path = path;
    h.mode = st->api->exec_mode(x);
    h.affected = -1;

    ret = fn(&h.pub);

    while (h.live) {
        struct c_result *r = h.live;

        result_unlink(r);
        result_destroy(r);
    }
    h.magic = 0;
    if (h.status != MGR_OK)
        return st->api->error_set(err, h.status, "%s", h.err.msg);
    if (ret != 0)
        return plugin_fail(st->api, err, MGR_EDB, 0,
                           "%s of '%s' returned %d", what, path, ret);
    return MGR_OK;
}
