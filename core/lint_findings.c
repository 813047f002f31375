/*
 * lint_findings.c: the findings of a lint run, from the moment a rule
 * reports one to the FINDING event: silenced by a directive or the
 * config, sized from a reachable database, raised by the size
 * thresholds, sorted into script order.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "lint.h"
#include "loader.h"
#include "report.h"
#include "revision.h"
#include "util.h"

static const char *const severity_names[] = { "", "notice", "warning",
                                              "error" };

bool lint_rule_known(const struct mgr_lint_rule *const *rules, const char *id)
{
    for (size_t i = 0; rules && rules[i]; i++)
        if (!strcmp(rules[i]->id, id))
            return true;
    return false;
}

/* Whether a directive in list silences rule (and mark it used). */
static bool ignored_by(struct lint_ignore *list, size_t n, const char *rule)
{
    bool hit = false;

    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i].rule, rule) || !strcmp(list[i].rule, "all")) {
            list[i].used = true;
            hit = true;
        }
    return hit;
}

static bool silenced(struct mgr_lint *l, struct lint_stmt *st, size_t script,
                     const char *rule)
{
    struct lint_script *s = &l->scripts[script];

    for (char **r = l->config_ignores; r && *r; r++)
        if (!strcmp(*r, rule))
            return true;
    if (st)
        return ignored_by(st->ignores, st->nignores, rule);
    return ignored_by(s->ignores, s->nignores, rule);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

int lint_add(struct mgr_lint *l, const char *linter, struct lint_stmt *st,
             size_t script, const struct mgr_finding *f,
             struct mgr_error *err)
{
    const struct mgr_lint_rule *const *rules =
        l->current ? ((const struct mgr_linter_ops *)l->current->ops)->rules
                   : lint_core_rules;
    struct lint_finding *lf;

    if (!f || !f->rule || !lint_rule_known(rules, f->rule))
        return mgr_error_set(err, MGR_EPLUGIN,
                             "linter '%s' reported the rule '%s', which its "
                             "catalogue does not declare",
                             linter, f && f->rule ? f->rule : "(null)");
    if (f->severity < MGR_SEVERITY_NOTICE || f->severity > MGR_SEVERITY_ERROR)
        return mgr_error_set(err, MGR_EPLUGIN,
                             "linter '%s' reported %s with severity %d",
                             linter, f->rule, (int)f->severity);
    if (silenced(l, st, script, f->rule)) {
        l->silenced++;
        return MGR_OK;
    }
    if (l->nfindings == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->findings = xrealloc(l->findings, l->cap * sizeof(*l->findings));
    }
    lf = &l->findings[l->nfindings];
    memset(lf, 0, sizeof(*lf));
    lf->seq = l->nfindings++;
    lf->script = script;
    lf->stmt = st;
    lf->rule = xstrdup(f->rule);
    lf->linter = xstrdup(linter);
    lf->message = xstrdup(f->message ? f->message : f->rule);
    lf->hint = xstrdup(f->hint ? f->hint : "");
    lf->table = dup_or_null(f->table);
    lf->lock_mode = dup_or_null(f->lock_mode);
    lf->flags = f->flags;
    lf->ev.severity = f->severity;
    lf->ev.line = f->line > 0 ? f->line : st ? st->pub.line : 1;
    lf->ev.rows = -1;
    lf->ev.bytes = -1;
    return MGR_OK;
}

/* ---- lint_ignore of the config ---------------------------------------- */

static bool rule_declared(const char *rule,
                          const struct mgr_loaded_plugin *const *linters,
                          size_t nlinters)
{
    if (lint_rule_known(lint_core_rules, rule))
        return true;
    for (size_t i = 0; i < nlinters; i++)
        if (lint_rule_known(
                ((const struct mgr_linter_ops *)linters[i]->ops)->rules,
                rule))
            return true;
    return false;
}

/* "a, b c" -> {"a", "b", "c", NULL} */
static char **split_rules(const char *value)
{
    char **v = xcalloc(strlen(value) / 2 + 2, sizeof(*v));
    size_t n = 0;

    for (const char *p = value; *p;) {
        size_t len = strcspn(p, ", \t");

        if (len)
            v[n++] = xstrndup(p, len);
        p += len;
        p += strspn(p, ", \t");
    }
    return v;
}

int lint_read_config_ignores(struct mgr_lint *l,
                             const struct mgr_loaded_plugin *const *linters,
                             size_t nlinters, struct mgr_error *err)
{
    const char *value = config_get(l->ctx->config, "lint_ignore");

    if (!value)
        return MGR_OK;
    l->config_ignores = split_rules(value);
    for (char **r = l->config_ignores; *r; r++)
        if (!rule_declared(*r, linters, nlinters))
            return mgr_error_set(err, MGR_ECONFIG,
                                 "%s:%d: lint_ignore names '%s', which no "
                                 "loaded linter declares (migrator lint "
                                 "--rules lists them)",
                                 config_path(l->ctx->config)
                                     ? config_path(l->ctx->config)
                                     : "config",
                                 config_line(l->ctx->config, "lint_ignore"),
                                 *r);
    return MGR_OK;
}

/* ---- sizes ------------------------------------------------------------- */

struct size_row {
    double rows, bytes;
    bool found;
};

static int on_size(void *ctx, size_t ncols, const char *const *names,
                   const char *const *values)
{
    struct size_row *row = ctx;

    (void)names;
    if (ncols < 2)
        return MGR_OK;
    row->rows = values[0] ? strtod(values[0], NULL) : -1;
    row->bytes = values[1] ? strtod(values[1], NULL) : -1;
    row->found = true;
    return MGR_OK;
}

/* lint_large_rows: a whole number, optionally with k, M or G (powers of
 * 1000, as rows are counted). */
static int large_rows(struct mgr_lint *l, double *out, struct mgr_error *err)
{
    const char *v = config_get(l->ctx->config, "lint_large_rows");
    char *end;
    double n;

    errno = 0;
    n = strtod(v ? v : "1000000", &end);
    if (*end == 'k' || *end == 'K')
        n *= 1e3, end++;
    else if (*end == 'M')
        n *= 1e6, end++;
    else if (*end == 'G')
        n *= 1e9, end++;
    if (errno || end == v || *end || n < 0)
        return mgr_error_set(err, MGR_ECONFIG,
                             "lint_large_rows: '%s' is not a number of rows "
                             "(such as 1000000 or 5M)",
                             v);
    *out = n;
    return MGR_OK;
}

static const char *size_sql_for(const struct lint_finding *f,
                                const struct mgr_loaded_plugin *const *linters,
                                size_t nlinters)
{
    for (size_t i = 0; i < nlinters; i++) {
        const struct mgr_linter_ops *ops = linters[i]->ops;

        if (!strcmp(linters[i]->desc->name, f->linter))
            return ops->table_size_sql;
    }
    return NULL;
}

/* The size of f's table; the same table is asked once. */
static int size_of(struct mgr_lint *l, struct db *db, size_t i,
                   const char *sql, struct mgr_error *err)
{
    struct lint_finding *f = &l->findings[i];
    struct size_row row = { -1, -1, false };
    const char *params[1] = { f->table };
    int rc;

    for (size_t j = 0; j < i; j++)
        if (l->findings[j].table && !strcmp(l->findings[j].table, f->table) &&
            !strcmp(l->findings[j].linter, f->linter)) {
            f->ev.rows = l->findings[j].ev.rows;
            f->ev.bytes = l->findings[j].ev.bytes;
            return MGR_OK;
        }
    rc = db_query(db, sql, params, 1, on_size, &row, NULL, NULL, err);
    if (rc == MGR_EDB) {
        /* A name the database cannot read: no size, no failure. */
        MGR_DBG("lint: no size for %s: %s", f->table, err->msg);
        return MGR_OK;
    }
    f->ev.rows = row.rows;
    f->ev.bytes = row.bytes;
    return rc;
}

int lint_add_sizes(struct mgr_lint *l, struct db *db,
                   const struct mgr_loaded_plugin *const *linters,
                   size_t nlinters, struct mgr_error *err)
{
    double rows_limit = 0;
    size_t bytes_limit = 0;
    int rc = large_rows(l, &rows_limit, err);

    if (rc == MGR_OK)
        rc = config_get_bytes(l->ctx->config, "lint_large_size",
                              &bytes_limit, err);
    for (size_t i = 0; rc == MGR_OK && i < l->nfindings; i++) {
        struct lint_finding *f = &l->findings[i];
        const char *sql = size_sql_for(f, linters, nlinters);

        if (!f->table || !sql || !db || !db->conn)
            continue;
        rc = size_of(l, db, i, sql, err);
        if (rc != MGR_OK || !(f->flags & MGR_FINDING_SIZE))
            continue;
        if ((f->ev.rows >= rows_limit && f->ev.rows > 0) ||
            (f->ev.bytes >= (double)bytes_limit && f->ev.bytes > 0))
            if (f->ev.severity < MGR_SEVERITY_ERROR)
                f->ev.severity++;
    }
    return rc;
}

/* ---- directives that did nothing ---------------------------------------- */

static void check_list(struct mgr_lint *l, struct lint_stmt *st,
                       size_t script, struct lint_ignore *list, size_t n)
{
    struct mgr_buf msg = MGR_BUF_INIT;
    struct mgr_error ignored;
    const struct mgr_loaded_plugin *current = l->current;

    l->current = NULL;
    for (size_t i = 0; i < n; i++) {
        struct mgr_finding f = { sizeof(f), "lint-ignore",
                                 MGR_SEVERITY_NOTICE, NULL, NULL, NULL, 0,
                                 NULL, list[i].line };

        mgr_buf_reset(&msg);
        if (!list[i].used)
            mgr_buf_addf(&msg, "lint-ignore %s silences nothing here",
                         list[i].rule);
        else if (!list[i].has_reason)
            mgr_buf_addf(&msg, "lint-ignore %s gives no reason",
                         list[i].rule);
        else
            continue;
        f.message = msg.buf;
        f.hint = "-- migrator:lint-ignore RULE why it is safe here";
        lint_add(l, LINT_CORE, st, script, &f, &ignored);
    }
    l->current = current;
    mgr_buf_release(&msg);
}

void lint_check_directives(struct mgr_lint *l)
{
    for (size_t k = 0; k < l->nstmts; k++)
        check_list(l, l->stmts[k], l->stmts[k]->script, l->stmts[k]->ignores,
                   l->stmts[k]->nignores);
    for (size_t s = 0; s < l->nscripts; s++)
        check_list(l, NULL, s, l->scripts[s].ignores,
                   l->scripts[s].nignores);
}

/* ---- out ---------------------------------------------------------------- */

static int by_place(const void *a, const void *b)
{
    const struct lint_finding *x = a, *y = b;

    if (x->script != y->script)
        return x->script < y->script ? -1 : 1;
    if (x->ev.line != y->ev.line)
        return x->ev.line < y->ev.line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void lint_emit(struct mgr_lint *l, size_t counts[4])
{
    if (l->nfindings > 1) /* none: findings is NULL, which qsort refuses */
        qsort(l->findings, l->nfindings, sizeof(*l->findings), by_place);
    for (size_t i = 0; i < l->nfindings; i++) {
        struct lint_finding *f = &l->findings[i];
        const struct revision *rev = l->scripts[f->script].rev;

        f->ev.rule = f->rule;
        f->ev.linter = f->linter;
        f->ev.severity_name = severity_names[f->ev.severity];
        f->ev.message = f->message;
        f->ev.hint = f->hint;
        f->ev.file = rev->path;
        f->ev.revision = rev->id;
        f->ev.statement = f->stmt ? f->stmt->text : "";
        f->ev.statement_line = f->stmt ? f->stmt->pub.line : 0;
        f->ev.table = f->table ? f->table : "";
        if (!f->ev.trace)
            f->ev.trace = "";
        counts[f->ev.severity]++;
        report_finding(l->ctx->report, &f->ev);
    }
}

void lint_release(struct mgr_lint *l)
{
    for (size_t i = 0; i < l->nfindings; i++) {
        struct lint_finding *f = &l->findings[i];

        free(f->rule);
        free(f->linter);
        free(f->message);
        free(f->hint);
        free(f->table);
        free(f->lock_mode);
    }
    free(l->findings);
    for (size_t k = 0; k < l->nstmts; k++) {
        struct lint_stmt *st = l->stmts[k];

        for (size_t i = 0; i < st->nignores; i++)
            free(st->ignores[i].rule);
        free(st->ignores);
        free(st->text);
        free(st);
    }
    free(l->stmts);
    for (size_t s = 0; s < l->nscripts; s++) {
        for (size_t i = 0; i < l->scripts[s].nignores; i++)
            free(l->scripts[s].ignores[i].rule);
        free(l->scripts[s].ignores);
    }
    free(l->scripts);
    strv_list_free(l->config_ignores);
    memset(l, 0, sizeof(*l));
}

int lint_host_report(struct mgr_lint *l, const struct mgr_lint_statement *st,
                     const struct mgr_finding *f, struct mgr_error *err)
{
    /* pub is the first member: the host's statement around it. */
    struct lint_stmt *ls = (struct lint_stmt *)st;

    if (!l || !l->current || !st || st->size != sizeof(*st))
        return mgr_error_set(err, MGR_EPLUGIN,
                             "lint_report called outside a lint run, or "
                             "with a statement the host did not give");
    return lint_add(l, l->current->desc->name, ls, ls->script, f, err);
}
