/*
 * script.h: the API a migration script written in C sees (format/c).
 *
 * A C revision script starts with its header in a comment block: the
 * message on the first line, then "Revision ID:", "Revises:" and the other
 * keys of an SQL script's header, one a line (see migrator-script(3) for
 * a complete script). After it, the script includes this file and
 * defines two functions:
 *
 *     #include <migrator/script.h>
 *
 *     int mgr_script_upgrade(struct mgr_script *s);
 *     int mgr_script_downgrade(struct mgr_script *s);
 *
 * Each returns 0 for success; anything else fails the step, which is then
 * rolled back like a failing statement. The format plugin compiles the
 * file into a module, loads it and calls the function of the direction
 * being run with a handle s. The script reaches migrator only through
 * s->api, a table of function pointers, so it never links against
 * libmigrator; the inline functions and macros below wrap that table.
 *
 * Errors. Every call that sends something to the database returns 0
 * (MGR_OK) or the status of the failure (MGR_EDB, MGR_ECONN, ...). The
 * first failure of a run is kept on the handle: later calls send nothing
 * and return the same status, and the step fails with that error even if
 * the function returns 0. mgr_script_fail() records a failure of the
 * script's own, with a message.
 *
 * Lines. The macros pass __LINE__, so that error messages name the line
 * of the script that made the call ("versions/0008_x.c:41: ...").
 *
 * Offline (upgrade --sql). The functions are called as online, but
 * statements run with mgr_script_exec*() are written to the SQL output
 * (parameters as literals) and queries fail with "needs a live
 * connection". mgr_script_offline() says which mode is on. The
 * pre-flight check that precedes a run compiles and loads the script but
 * does not call it.
 *
 * Ownership. What a call returns as const char * is borrowed: strings of
 * a result live until mgr_result_free(); xarg and dialect strings live
 * until the function returns. A result from mgr_script_query() is the
 * script's to free with mgr_result_free().
 */
#ifndef MIGRATOR_SCRIPT_H
#define MIGRATOR_SCRIPT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <migrator/migrator.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The version of struct mgr_script_api. Members are only ever appended;
 * one added after version 1 is present when MGR_SCRIPT_API_HAS() says so.
 */
#define MGR_SCRIPT_API_VERSION 1u

struct mgr_script_api;

/* The handle a script's function gets. Valid during the call only. */
struct mgr_script {
    const struct mgr_script_api *api; /* never NULL */
};

/* The rows of a query; free with mgr_result_free(). */
struct mgr_result {
    const struct mgr_script_api *api; /* never NULL */
};

/*
 * The functions behind the wrappers below. A script calls the wrappers;
 * the table is what makes a compiled script independent of libmigrator.
 * line is the script line to name in error messages (0: none).
 */
struct mgr_script_api {
    uint32_t version; /* the host's MGR_SCRIPT_API_VERSION */
    uint32_t size;    /* sizeof(struct mgr_script_api) in the host */

    int (*exec)(struct mgr_script *s, const char *sql, size_t nparams,
                const char *const *params, int line);
    long (*affected)(struct mgr_script *s);
    int (*query)(struct mgr_script *s, const char *sql, size_t nparams,
                 const char *const *params, struct mgr_result **res_out,
                 int line);

    size_t (*result_rows)(const struct mgr_result *r);
    size_t (*result_cols)(const struct mgr_result *r);
    const char *(*result_name)(const struct mgr_result *r, size_t col,
                               int line);
    const char *(*result_text)(const struct mgr_result *r, size_t row,
                               size_t col, int line);
    int (*result_is_null)(const struct mgr_result *r, size_t row,
                          size_t col, int line);
    int (*result_int)(const struct mgr_result *r, size_t row, size_t col,
                      long long *out, int line);
    int (*result_double)(const struct mgr_result *r, size_t row,
                         size_t col, double *out, int line);
    void (*result_free)(struct mgr_result *r);

    void (*vlog)(struct mgr_script *s, int level, int line, const char *fmt,
                 va_list ap) MGR_PRINTF(4, 0);
    int (*vfail)(struct mgr_script *s, int line, const char *fmt,
                 va_list ap) MGR_PRINTF(3, 0);
    const char *(*error)(struct mgr_script *s);

    const char *(*xarg)(struct mgr_script *s, const char *key);
    const char *(*dialect)(struct mgr_script *s);
    int (*offline)(struct mgr_script *s);
};

#define MGR_SCRIPT_API_HAS(api, member)                                  \
    ((api)->size >= offsetof(struct mgr_script_api, member) +            \
                        sizeof((api)->member))

/* The two functions a script defines (0: success). */
int mgr_script_upgrade(struct mgr_script *s);
int mgr_script_downgrade(struct mgr_script *s);

/* ---- statements ------------------------------------------------------- */

/*
 * mgr_script_exec(s, sql): run one statement (no trailing ';' needed) in
 * the migration's transaction. Returns 0 or the status of the failure.
 *
 * mgr_script_exec_params(s, sql, nparams, params): the same with params
 * bound to $1..$n, in every dialect. params[i] is the text of $i+1, or
 * NULL for SQL NULL; the strings are the caller's and are not kept.
 */
static inline int mgr_script_exec_at(struct mgr_script *s, const char *sql,
                                     size_t nparams,
                                     const char *const *params, int line)
{
    return s->api->exec(s, sql, nparams, params, line);
}
#define mgr_script_exec(s, sql)                                          \
    mgr_script_exec_at((s), (sql), 0, NULL, __LINE__)
#define mgr_script_exec_params(s, sql, nparams, params)                  \
    mgr_script_exec_at((s), (sql), (nparams), (params), __LINE__)

/*
 * The rows the last mgr_script_exec*() changed (INSERT, UPDATE, DELETE),
 * or -1 when unknown (offline, or the statement failed).
 */
static inline long mgr_script_affected(struct mgr_script *s)
{
    return s->api->affected(s);
}

/*
 * mgr_script_query(s, sql, nparams, params, res_out): run a statement
 * that returns rows, with params bound as for mgr_script_exec_params()
 * (nparams 0 and params NULL for none). On success *res_out is a result
 * holding every row, which the caller frees with mgr_result_free(); on
 * failure *res_out is NULL. Offline, a query fails: it needs a live
 * connection.
 */
static inline int mgr_script_query_at(struct mgr_script *s, const char *sql,
                                      size_t nparams,
                                      const char *const *params,
                                      struct mgr_result **res_out, int line)
{
    return s->api->query(s, sql, nparams, params, res_out, line);
}
#define mgr_script_query(s, sql, nparams, params, res_out)               \
    mgr_script_query_at((s), (sql), (nparams), (params), (res_out),      \
                        __LINE__)

/* ---- results ---------------------------------------------------------- */

/* The number of rows, and of columns (0 when no row came back). */
static inline size_t mgr_result_rows(const struct mgr_result *r)
{
    return r->api->result_rows(r);
}
static inline size_t mgr_result_cols(const struct mgr_result *r)
{
    return r->api->result_cols(r);
}

/*
 * Cell access, rows and columns counted from 0. A row or column out of
 * range is a bug in the script: it records a failure naming the line
 * (the step fails) and the call returns NULL / 1 / non-zero.
 *
 * mgr_result_name: the column's name.
 * mgr_result_text: the value as the database prints it, or NULL for SQL
 *     NULL. Borrowed until mgr_result_free().
 * mgr_result_is_null: 1 for SQL NULL, else 0.
 * mgr_result_int: 0 with *out set when the value is a base-10 integer
 *     that fits a long long; non-zero with *out = 0 when it is NULL or
 *     anything else ("12.50", "").
 * mgr_result_double: the same for a floating-point number (strtod() in
 *     the "C" locale's format, e.g. "1250000.5", "NaN").
 */
static inline const char *mgr_result_name_at(const struct mgr_result *r,
                                             size_t col, int line)
{
    return r->api->result_name(r, col, line);
}
static inline const char *mgr_result_text_at(const struct mgr_result *r,
                                             size_t row, size_t col,
                                             int line)
{
    return r->api->result_text(r, row, col, line);
}
static inline int mgr_result_is_null_at(const struct mgr_result *r,
                                        size_t row, size_t col, int line)
{
    return r->api->result_is_null(r, row, col, line);
}
static inline int mgr_result_int_at(const struct mgr_result *r, size_t row,
                                    size_t col, long long *out, int line)
{
    return r->api->result_int(r, row, col, out, line);
}
static inline int mgr_result_double_at(const struct mgr_result *r,
                                       size_t row, size_t col, double *out,
                                       int line)
{
    return r->api->result_double(r, row, col, out, line);
}
#define mgr_result_name(r, col) mgr_result_name_at((r), (col), __LINE__)
#define mgr_result_text(r, row, col)                                     \
    mgr_result_text_at((r), (row), (col), __LINE__)
#define mgr_result_is_null(r, row, col)                                  \
    mgr_result_is_null_at((r), (row), (col), __LINE__)
#define mgr_result_int(r, row, col, out)                                 \
    mgr_result_int_at((r), (row), (col), (out), __LINE__)
#define mgr_result_double(r, row, col, out)                              \
    mgr_result_double_at((r), (row), (col), (out), __LINE__)

/* Free a result and its strings. NULL does nothing. */
static inline void mgr_result_free(struct mgr_result *r)
{
    if (r)
        r->api->result_free(r);
}

/* ---- diagnostics ------------------------------------------------------ */

/*
 * mgr_script_log(s, level, fmt, ...): a message on stderr at level
 * (MGR_LOG_ERR, MGR_LOG_WARNING, MGR_LOG_INFO, MGR_LOG_DEBUG), prefixed
 * with the script's file and line. Shown as migrator's own messages are
 * (-v shows MGR_LOG_INFO).
 */
static inline void mgr_script_log_at(struct mgr_script *s, int line,
                                     int level, const char *fmt, ...)
    MGR_PRINTF(4, 5);
static inline void mgr_script_log_at(struct mgr_script *s, int line,
                                     int level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    s->api->vlog(s, level, line, fmt, ap);
    va_end(ap);
}
#define mgr_script_log(s, level, ...)                                    \
    mgr_script_log_at((s), __LINE__, (level), __VA_ARGS__)

/*
 * mgr_script_fail(s, fmt, ...): fail the step with a message of the
 * script's own ("file:line: message"); nothing more is sent. Returns a
 * non-zero status for the function to return:
 *     return mgr_script_fail(s, "property %lld: bad price '%s'", id, p);
 * Only the first failure of a run is kept.
 */
static inline int mgr_script_fail_at(struct mgr_script *s, int line,
                                     const char *fmt, ...) MGR_PRINTF(3, 4);
static inline int mgr_script_fail_at(struct mgr_script *s, int line,
                                     const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = s->api->vfail(s, line, fmt, ap);
    va_end(ap);
    return rc;
}
#define mgr_script_fail(s, ...) mgr_script_fail_at((s), __LINE__, __VA_ARGS__)

/* The message of the failure kept on the handle, or NULL. Borrowed. */
static inline const char *mgr_script_error(struct mgr_script *s)
{
    return s->api->error(s);
}

/* ---- the run ---------------------------------------------------------- */

/* The -x KEY=VALUE argument KEY, or NULL. */
static inline const char *mgr_script_xarg(struct mgr_script *s,
                                          const char *key)
{
    return s->api->xarg(s, key);
}

/* The dialect's name: "sqlite", "postgresql", or "" when unknown. */
static inline const char *mgr_script_dialect(struct mgr_script *s)
{
    return s->api->dialect(s);
}

/* 1 when rendering offline SQL (upgrade --sql), 0 against a database. */
static inline int mgr_script_offline(struct mgr_script *s)
{
    return s->api->offline(s);
}

#ifdef __cplusplus
}
#endif

#endif /* MIGRATOR_SCRIPT_H */
