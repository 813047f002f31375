/*
 * exec.c: where a section's statements go.
 *
 * Offline, the section's text is copied into the SQL output as written,
 * followed by a blank line. A transaction=false section cannot run inside
 * the run's transaction, so the output commits before it and begins again
 * after it. Online, the dialect splits the text into statements, and
 * each runs on its own; in a transactional section, statements that
 * cannot run in a transaction are refused (the pre-flight check does the
 * same before anything is sent).
 */
#include "autoconfig.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "exec.h"
#include "offline.h"
#include "runner.h"
#include "trust.h"

void exec_init_offline(struct mgr_exec *x, struct mgr_buf *out,
                       bool in_transaction)
{
    memset(x, 0, sizeof(*x));
    x->magic = EXEC_MAGIC;
    x->mode = EXEC_OFFLINE;
    x->out = out;
    x->in_transaction = in_transaction;
    mgr_buf_init(&x->held, 0);
}

void exec_init_db(struct mgr_exec *x, enum exec_mode mode, struct db *db,
                  const char *path, bool in_transaction)
{
    memset(x, 0, sizeof(*x));
    x->magic = EXEC_MAGIC;
    x->mode = mode;
    x->db = db;
    x->path = path;
    x->in_transaction = in_transaction;
    mgr_buf_init(&x->held, 0);
}

void exec_release(struct mgr_exec *x)
{
    mgr_buf_release(&x->held);
}

static const char *script_name(const struct mgr_exec *x)
{
    return x->path ? x->path : "script";
}

int exec_section_begin(struct mgr_exec *x, unsigned flags, int line,
                       struct mgr_error *err)
{
    int rc;

    assert(x && x->magic == EXEC_MAGIC);
    if (x->began)
        return mgr_error_set(err, MGR_EPLUGIN,
                             "%s: the format plugin began a section twice",
                             script_name(x));
    x->began = true;
    x->flags = flags;
    x->section_line = line;
    if (!(flags & MGR_SECTION_NO_TRANSACTION))
        return MGR_OK;
    switch (x->in_transaction ? x->mode : EXEC_CHECK) {
    case EXEC_OFFLINE:
        mgr_buf_addstr(x->out, "COMMIT;\n\n");
        break;
    case EXEC_ONLINE:
        /* What ran before commits; this section runs statement by
         * statement. A lost connection stays MGR_ECONN: the outcome of
         * that COMMIT is unknown. */
        rc = x->before_commit ? x->before_commit(x->hook_ctx, err) : MGR_OK;
        if (rc == MGR_OK)
            rc = x->db->ops->commit(x->db->conn, err);
        if (rc != MGR_OK)
            return rc;
        x->in_transaction = false;
        break;
    case EXEC_CHECK:
    case EXEC_LINT:
        break;
    }
    if (x->mode == EXEC_ONLINE && (flags & MGR_SECTION_NO_TRANSACTION) &&
        x->nontx_begin)
        return x->nontx_begin(x->hook_ctx, err);
    return MGR_OK;
}

static int offline_text(struct mgr_exec *x, const char *text, size_t len)
{
    while (len && isspace((unsigned char)*text)) {
        text++;
        len--;
    }
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    if (len) {
        mgr_buf_add(x->out, text, len);
        mgr_buf_addstr(x->out, "\n\n");
    }
    return MGR_OK;
}

/* Offline with a dialect: each statement as the dialect split it,
 * terminated, so that what follows is never glued onto it. */
static int offline_statement(void *ctx, const char *stmt, size_t len,
                             int line, struct mgr_error *err)
{
    struct mgr_exec *x = ctx;

    (void)line;
    (void)err;
    x->statements++;
    mgr_buf_add(x->out, stmt, len);
    mgr_buf_addstr(x->out, ";\n\n");
    return MGR_OK;
}

int exec_line_at(const char *stmt, size_t len, int offset, int line)
{
    for (int i = 0; i < offset && (size_t)i < len; i++)
        if (stmt[i] == '\n')
            line++;
    return line;
}

/* Prefix err->msg with "path:line: ". */
static int at_line(struct mgr_exec *x, int line, int rc,
                   struct mgr_error *err)
{
    mgr_error_prefix(err, "%s:%d: ", script_name(x), line);
    return rc;
}

/* EXEC_LINT: the statement goes to lint, as it is. */
static int hand_to_lint(struct mgr_exec *x, const char *stmt, size_t len,
                        int line, struct mgr_error *err)
{
    if (!x->watch || !x->watch->statement)
        return MGR_OK;
    return x->watch->statement(x->watch->ctx, stmt, len, line, err);
}

/* The splitter's callback in EXEC_LINT. */
static int lint_statement(void *ctx, const char *stmt, size_t len, int line,
                          struct mgr_error *err)
{
    struct mgr_exec *x = ctx;

    x->statements++;
    return hand_to_lint(x, stmt, len, line, err);
}

/* Run one statement now; a failure names its line. */
static int run_now(struct mgr_exec *x, const char *stmt, size_t len, int line,
                   struct mgr_error *err)
{
    struct mgr_buf sql = MGR_BUF_INIT;
    struct mgr_db_error dberr;
    int rc = MGR_OK;

    if (runner_interrupted())
        return mgr_error_set(err, MGR_EINTR, "interrupted before %s:%d",
                             script_name(x), line);
    mgr_buf_add(&sql, stmt, len);
    if (x->watch && x->watch->before)
        rc = x->watch->before(x->watch->ctx, err);
    if (rc == MGR_OK)
        rc = db_query(x->db, sql.buf, NULL, 0, NULL, NULL, NULL, &dberr,
                      err);
    else
        dberr.offset = -1;
    mgr_buf_release(&sql);
    if (rc == MGR_OK && x->watch && x->watch->after)
        rc = x->watch->after(x->watch->ctx, stmt, len, line, err);
    if (rc != MGR_OK) {
        line = dberr.offset >= 0 ? exec_line_at(stmt, len, dberr.offset, line)
                                 : line;
        x->failed = true;
        x->failed_line = line;
        at_line(x, line, rc, err);
        if ((x->flags & MGR_SECTION_NO_TRANSACTION) && x->nontx_failed)
            x->nontx_failed(x->hook_ctx, x->statements, line, err);
    }
    return rc;
}

/* The statement held back runs now (another one follows it). */
static int run_held(struct mgr_exec *x, struct mgr_error *err)
{
    int rc;

    if (!x->held.len)
        return MGR_OK;
    rc = run_now(x, x->held.buf, x->held.len, x->held_line, err);
    mgr_buf_reset(&x->held);
    return rc;
}

static int run_statement(void *ctx, const char *stmt, size_t len, int line,
                         struct mgr_error *err)
{
    struct mgr_exec *x = ctx;
    struct mgr_buf why = MGR_BUF_INIT;
    int rc = MGR_OK;

    x->statements++;
    if (!(x->flags & MGR_SECTION_NO_TRANSACTION) &&
        x->db->ops->needs_no_transaction &&
        x->db->ops->needs_no_transaction(x->db->state, stmt, len, &why)) {
        rc = mgr_error_set(err, MGR_ESCRIPT,
                           "%s:%d: %s cannot run inside a transaction; "
                           "move it to a section marked "
                           "'transaction=false'",
                           script_name(x), line, why.buf);
        mgr_buf_release(&why);
        return rc;
    }
    mgr_buf_release(&why);
    if (x->mode == EXEC_CHECK)
        return MGR_OK;
    if (!x->hold_last || (x->flags & MGR_SECTION_NO_TRANSACTION))
        return run_now(x, stmt, len, line, err);
    rc = run_held(x, err);
    if (rc == MGR_OK) {
        mgr_buf_add(&x->held, stmt, len);
        x->held_line = line;
    }
    return rc;
}

/*
 * The splitter's own complaints know the line but not the file:
 * "line 8: unterminated string" becomes "path:8: unterminated string".
 */
static void name_file(struct mgr_exec *x, struct mgr_error *err)
{
    const char *p;
    char *end;
    long line;

    if (!err || strncmp(err->msg, script_name(x),
                        strlen(script_name(x))) == 0)
        return;
    if (strncmp(err->msg, "line ", 5) == 0) {
        line = strtol(err->msg + 5, &end, 10);
        if (end != err->msg + 5 && end[0] == ':' && end[1] == ' ') {
            p = end + 2;
            memmove(err->msg, p, strlen(p) + 1);
            mgr_error_prefix(err, "%s:%ld: ", script_name(x), line);
            return;
        }
    }
    mgr_error_prefix(err, "%s: ", script_name(x));
}

int exec_sql(struct mgr_exec *x, const char *text, size_t len,
             int first_line, struct mgr_error *err)
{
    int rc;

    assert(x && x->magic == EXEC_MAGIC);
    if (!x->began)
        return mgr_error_set(err, MGR_EPLUGIN,
                             "%s: the format plugin sent statements before "
                             "beginning a section",
                             script_name(x));
    if (x->mode == EXEC_OFFLINE && !x->db)
        return offline_text(x, text, len);
    if (x->mode == EXEC_LINT && x->watch && x->watch->section_text) {
        rc = x->watch->section_text(x->watch->ctx, text, len, first_line,
                                    err);
        if (rc != MGR_OK)
            return rc;
    }
    rc = x->db->ops->split(x->db->state, text, len, first_line,
                           x->mode == EXEC_OFFLINE ? offline_statement
                           : x->mode == EXEC_LINT  ? lint_statement
                                                   : run_statement,
                           x, err);
    if (rc == MGR_ESCRIPT)
        name_file(x, err);
    return rc;
}

void exec_section_end(struct mgr_exec *x)
{
    if ((x->flags & MGR_SECTION_NO_TRANSACTION) && x->in_transaction &&
        x->mode == EXEC_OFFLINE)
        mgr_buf_addstr(x->out, "BEGIN;\n\n");
    x->began = false;
    x->flags = 0;
}

/* Offline rendering of a statement with $n parameters as literals. */
static void render_with_params(struct mgr_exec *x, const char *sql,
                               const char *const *params, size_t nparams)
{
    const char *p = sql;

    while (*p) {
        size_t n = 0;
        const char *q = p + 1;

        if (*p != '$' || q[0] < '1' || q[0] > '9') {
            mgr_buf_addch(x->out, *p++);
            continue;
        }
        while (*q >= '0' && *q <= '9')
            n = n * 10 + (size_t)(*q++ - '0');
        if (n == 0 || n > nparams) {
            mgr_buf_add(x->out, p, (size_t)(q - p));
        } else if (!params[n - 1]) {
            mgr_buf_addstr(x->out, "NULL");
        } else {
            offline_quote_literal(x->db, params[n - 1], x->out);
        }
        p = q;
    }
    mgr_buf_addstr(x->out, ";\n\n");
}

int exec_query(struct mgr_exec *x, const char *sql,
               const char *const *params, size_t nparams, mgr_row_fn row,
               void *row_ctx, long *affected_out, int line,
               struct mgr_error *err)
{
    struct mgr_db_error dberr;
    int rc;

    assert(x && x->magic == EXEC_MAGIC);
    if (affected_out)
        *affected_out = -1;
    if (!x->began)
        return mgr_error_set(err, MGR_EPLUGIN,
                             "%s: the format plugin sent statements before "
                             "beginning a section",
                             script_name(x));
    x->statements++;
    switch (x->mode) {
    case EXEC_OFFLINE:
        if (row)
            return mgr_error_set(err, MGR_EUSAGE,
                                 "%s:%d: this query needs a live connection; "
                                 "offline (--sql) mode cannot run it",
                                 script_name(x), line);
        render_with_params(x, sql, params, nparams);
        return MGR_OK;
    case EXEC_CHECK:
        return MGR_OK;
    case EXEC_LINT:
        return hand_to_lint(x, sql, strlen(sql), line, err);
    case EXEC_ONLINE:
        break;
    }
    rc = run_held(x, err);
    if (rc != MGR_OK)
        return rc;
    if (runner_interrupted())
        return mgr_error_set(err, MGR_EINTR, "interrupted before %s:%d",
                             script_name(x), line);
    rc = x->watch && x->watch->before ? x->watch->before(x->watch->ctx, err)
                                      : MGR_OK;
    if (rc == MGR_OK)
        rc = db_query(x->db, sql, params, nparams, row, row_ctx,
                      affected_out, &dberr, err);
    if (rc == MGR_OK && x->watch && x->watch->after)
        rc = x->watch->after(x->watch->ctx, sql, strlen(sql), line, err);
    if (rc != MGR_OK) {
        x->failed = true;
        x->failed_line = line;
        if (line > 0)
            at_line(x, line, rc, err);
        else
            mgr_error_prefix(err, "%s: ", script_name(x));
        if ((x->flags & MGR_SECTION_NO_TRANSACTION) && x->nontx_failed)
            x->nontx_failed(x->hook_ctx, x->statements, line, err);
    }
    return rc;
}

const char *exec_xarg(struct mgr_exec *x, const char *key)
{
    return x->config ? config_xarg(x->config, key) : NULL;
}

const char *exec_config(struct mgr_exec *x, const char *key)
{
    return x->config ? config_get(x->config, key) : NULL;
}

const char *exec_dialect(struct mgr_exec *x)
{
    if (x->db && x->db->dialect)
        return x->db->dialect;
    return x->dialect ? x->dialect : "";
}

int exec_mode_of(struct mgr_exec *x)
{
    switch (x->mode) {
    case EXEC_OFFLINE: return 1;
    case EXEC_CHECK:
    case EXEC_LINT: return 2;
    case EXEC_ONLINE: break;
    }
    return 0;
}

int exec_trust_check(const char *path, struct mgr_error *err)
{
    struct mgr_error why;
    char *real = NULL;
    int rc = trust_check_file(path, &real, &why);

    free(real);
    if (rc != MGR_OK)
        return mgr_error_set(err, rc, "refusing to load '%s': %s", path,
                             why.msg);
    return MGR_OK;
}
