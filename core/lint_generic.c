/*
 * lint_generic.c: the rules of the core, which hold for every dialect:
 * a downgrade to undo the revision, no data change among schema
 * changes, no data destroyed without saying so, and transaction=false
 * sections that can run again after a partial failure. They read the
 * words of a statement (lint_words.c), never a parse tree, so they are
 * written to be sure rather than complete: what they cannot tell, they
 * leave to the dialect's linter.
 */
#include "autoconfig.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint.h"
#include "revision.h"
#include "util.h"

static const struct mgr_lint_rule rule_missing_downgrade = {
    "missing-downgrade", MGR_SEVERITY_ERROR,
    "a revision without a downgrade, or with an empty one"
};
static const struct mgr_lint_rule rule_mixed = {
    "mixed-ddl-dml", MGR_SEVERITY_WARNING,
    "a data change in a section that also changes the schema"
};
static const struct mgr_lint_rule rule_destructive = {
    "destructive-without-marker", MGR_SEVERITY_ERROR,
    "DROP TABLE, DROP COLUMN, TRUNCATE or DELETE without WHERE in an "
    "upgrade, without '-- migrator:destructive' before it"
};
static const struct mgr_lint_rule rule_rerun = {
    "nontransactional-not-rerunnable", MGR_SEVERITY_WARNING,
    "DDL in a transaction=false section that fails when run again "
    "(no IF [NOT] EXISTS)"
};
static const struct mgr_lint_rule rule_syntax = {
    "syntax-error", MGR_SEVERITY_ERROR,
    "a statement the dialect's grammar refuses"
};
static const struct mgr_lint_rule rule_directive = {
    "lint-ignore", MGR_SEVERITY_NOTICE,
    "a lint-ignore directive without a reason, or that silences nothing"
};

const struct mgr_lint_rule *const lint_core_rules[] = {
    &rule_missing_downgrade, &rule_mixed, &rule_destructive, &rule_rerun,
    &rule_syntax, &rule_directive, NULL
};

/* The words of one statement. */
struct words {
    struct lint_word *w;
    size_t n;
};

static bool is(const struct words *ws, size_t i, const char *kw)
{
    return i < ws->n && lint_word_is(&ws->w[i], kw);
}

/* The index of the first word kw at the top level from i, or n. */
static size_t find_top(const struct words *ws, size_t i, const char *kw)
{
    for (; i < ws->n; i++)
        if (ws->w[i].depth == 0 && lint_word_is(&ws->w[i], kw))
            return i;
    return ws->n;
}

/* The (maybe qualified) name at word i, lower-cased unless quoted, into
 * out; returns the index after it. */
static size_t name_at(const struct words *ws, size_t i, struct mgr_buf *out)
{
    mgr_buf_reset(out);
    while (i < ws->n) {
        const struct lint_word *w = &ws->w[i++];
        bool quoted = w->s[0] == '"' || w->s[0] == '`' || w->s[0] == '[';

        for (size_t k = 0; k < w->len; k++)
            mgr_buf_addch(out, quoted ? w->s[k]
                                      : (char)tolower((unsigned char)w->s[k]));
        if (w->s[w->len] != '.')
            break;
        mgr_buf_addch(out, '.');
    }
    return i;
}

/* Skip "IF [NOT] EXISTS" and "ONLY" at i. */
static size_t skip_guards(const struct words *ws, size_t i)
{
    if (is(ws, i, "IF") && is(ws, i + 1, "NOT") && is(ws, i + 2, "EXISTS"))
        i += 3;
    else if (is(ws, i, "IF") && is(ws, i + 1, "EXISTS"))
        i += 2;
    if (is(ws, i, "ONLY"))
        i++;
    return i;
}

static int add(struct mgr_lint *l, struct lint_stmt *st, size_t script,
               const struct mgr_lint_rule *rule, int line, const char *msg,
               const char *hint, struct mgr_error *err)
{
    struct mgr_finding f = { sizeof(f), rule->id, rule->severity, msg, hint,
                             NULL, 0, NULL, line };

    return lint_add(l, LINT_CORE, st, script, &f, err);
}

/* The first line of a statement, for messages and hints. */
static void first_line(const struct lint_stmt *st, struct mgr_buf *out)
{
    const char *nl = strchr(st->text, '\n');

    mgr_buf_add(out, st->text, nl ? (size_t)(nl - st->text)
                                  : strlen(st->text));
}

/* ---- missing-downgrade ---------------------------------------------- */

static int missing_downgrade(struct mgr_lint *l, size_t script,
                             struct mgr_error *err)
{
    const struct lint_script *s = &l->scripts[script];
    const char *hint = "write the statements that undo the upgrade; "
                       "`migrator test` checks that they restore the "
                       "schema";

    if (!s->has_downgrade)
        return add(l, NULL, script, &rule_missing_downgrade,
                   s->upgrade_line > 0 ? s->upgrade_line : 1,
                   "no downgrade section: the revision cannot be undone",
                   hint, err);
    /* A merge (nothing to undo) and a downgrade written in code (whose
     * statements depend on the data) are not judged by their count. */
    if (s->downgrade_statements == 0 && s->upgrade_statements > 0 &&
        !s->downgrade_is_code)
        return add(l, NULL, script, &rule_missing_downgrade,
                   s->downgrade_line > 0 ? s->downgrade_line : 1,
                   "the downgrade section is empty: the revision cannot be "
                   "undone",
                   hint, err);
    return MGR_OK;
}

/* ---- what a statement does ------------------------------------------- */

enum verb_kind { V_OTHER, V_DDL, V_DML };

static enum verb_kind kind_of(const struct words *ws)
{
    static const char *const ddl[] = { "CREATE", "ALTER", "DROP", "COMMENT",
                                       "GRANT", "REVOKE", NULL };
    static const char *const dml[] = { "INSERT", "UPDATE", "DELETE",
                                       "MERGE", "COPY", "REPLACE",
                                       "TRUNCATE", NULL };

    if (ws->n == 0)
        return V_OTHER;
    for (size_t i = 0; ddl[i]; i++)
        if (is(ws, 0, ddl[i]))
            return V_DDL;
    for (size_t i = 0; dml[i]; i++)
        if (is(ws, 0, dml[i]))
            return V_DML;
    /* WITH ... INSERT/UPDATE/DELETE */
    if (is(ws, 0, "WITH"))
        for (size_t i = 1; i < ws->n; i++)
            if (lint_word_is(&ws->w[i], "INSERT") ||
                lint_word_is(&ws->w[i], "UPDATE") ||
                lint_word_is(&ws->w[i], "DELETE"))
                return V_DML;
    return V_OTHER;
}

/* The table a DML statement writes ("" when it cannot tell). */
static void dml_target(const struct words *ws, struct mgr_buf *out)
{
    size_t i = 1;

    mgr_buf_reset(out);
    if (is(ws, 0, "INSERT") || is(ws, 0, "REPLACE")) {
        i = find_top(ws, 1, "INTO") + 1;
    } else if (is(ws, 0, "DELETE")) {
        i = find_top(ws, 1, "FROM") + 1;
    } else if (is(ws, 0, "TRUNCATE") && is(ws, 1, "TABLE")) {
        i = 2;
    } else if (!is(ws, 0, "UPDATE") && !is(ws, 0, "TRUNCATE") &&
               !is(ws, 0, "COPY")) {
        return;
    }
    if (i < ws->n)
        name_at(ws, skip_guards(ws, i), out);
}

/* The table "CREATE [...] TABLE name" creates, or "". */
static void created_table(const struct words *ws, struct mgr_buf *out)
{
    size_t i = find_top(ws, 1, "TABLE");

    mgr_buf_reset(out);
    if (!is(ws, 0, "CREATE") || i >= ws->n || i > 3)
        return;
    name_at(ws, skip_guards(ws, i + 1), out);
}

static void words_of(const struct lint_stmt *st, struct words *ws)
{
    ws->n = lint_words(st->text, st->pub.len, &ws->w);
}

static bool in_list(char **list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], s))
            return true;
    return false;
}

/* ---- mixed-ddl-dml ----------------------------------------------------- */

/* The first DML statement of [from, to) that writes a table the section
 * did not create, when the section also has DDL. Seeding a new table
 * and the copy of a table rebuild are fine. */
static int mixed(struct mgr_lint *l, size_t script, size_t from, size_t to,
                 struct mgr_error *err)
{
    struct mgr_buf name = MGR_BUF_INIT, msg = MGR_BUF_INIT;
    char **created = NULL;
    size_t ncreated = 0;
    struct lint_stmt *dml = NULL, *ddl = NULL;
    int rc = MGR_OK;

    for (size_t k = from; k < to; k++) {
        struct words ws;

        words_of(l->stmts[k], &ws);
        switch (kind_of(&ws)) {
        case V_DDL:
            if (!ddl)
                ddl = l->stmts[k];
            created_table(&ws, &name);
            if (name.len) {
                created = xrealloc(created, (ncreated + 1) * sizeof(char *));
                created[ncreated++] = xstrdup(name.buf);
            }
            break;
        case V_DML:
            dml_target(&ws, &name);
            if (!dml && !(name.len && in_list(created, ncreated, name.buf)))
                dml = l->stmts[k];
            break;
        case V_OTHER:
            break;
        }
        free(ws.w);
    }
    if (dml && ddl) {
        mgr_buf_addstr(&msg, "a data change (");
        first_line(dml, &msg);
        mgr_buf_addf(&msg, ") in a section that also changes the schema "
                           "(line %d)", ddl->pub.line);
        rc = add(l, dml, script, &rule_mixed, 0, msg.buf,
                 "move the data change to a revision of its own: it holds "
                 "the locks of the schema change until the section commits, "
                 "and a failure of either undoes both",
                 err);
    }
    for (size_t i = 0; i < ncreated; i++)
        free(created[i]);
    free(created);
    mgr_buf_release(&name);
    mgr_buf_release(&msg);
    return rc;
}

/* ---- destructive-without-marker --------------------------------------- */

/* Whether a later statement of the section renames a table to name:
 * DROP then RENAME is a table rebuild, which keeps the data. */
static bool renamed_later(struct mgr_lint *l, size_t k, size_t to,
                          const char *name)
{
    struct mgr_buf other = MGR_BUF_INIT;
    bool found = false;

    for (size_t j = k + 1; j < to && !found; j++) {
        struct words ws;
        size_t t;

        words_of(l->stmts[j], &ws);
        t = find_top(&ws, 0, "TO");
        if (is(&ws, 0, "ALTER") && is(&ws, 1, "TABLE") && t < ws.n &&
            is(&ws, t - 1, "RENAME")) {
            name_at(&ws, t + 1, &other);
            found = !strcmp(other.buf, name);
        }
        free(ws.w);
    }
    mgr_buf_release(&other);
    return found;
}

/* What a destructive statement destroys, into what (empty: nothing). */
static void destroys(struct mgr_lint *l, size_t k, size_t to,
                     const struct words *ws, struct mgr_buf *what)
{
    struct mgr_buf name = MGR_BUF_INIT;
    size_t i;

    mgr_buf_reset(what);
    if (is(ws, 0, "DROP") && is(ws, 1, "TABLE")) {
        name_at(ws, skip_guards(ws, 2), &name);
        if (!renamed_later(l, k, to, name.buf))
            mgr_buf_addf(what, "DROP TABLE %s destroys the table and its "
                               "rows", name.buf);
    } else if (is(ws, 0, "TRUNCATE")) {
        mgr_buf_addstr(what, "TRUNCATE empties the table");
    } else if (is(ws, 0, "DELETE") &&
               find_top(ws, 1, "WHERE") == ws->n) {
        dml_target(ws, &name);
        mgr_buf_addf(what, "DELETE without WHERE empties %s", name.buf);
    } else if (is(ws, 0, "ALTER") && is(ws, 1, "TABLE")) {
        for (i = 2; i + 1 < ws->n; i++) {
            if (ws->w[i].depth || !lint_word_is(&ws->w[i], "DROP"))
                continue;
            if (is(ws, i + 1, "COLUMN") ||
                !(is(ws, i + 1, "CONSTRAINT") || is(ws, i + 1, "DEFAULT") ||
                  is(ws, i + 1, "NOT") || is(ws, i + 1, "IDENTITY") ||
                  is(ws, i + 1, "EXPRESSION") || is(ws, i + 1, "INDEX") ||
                  is(ws, i + 1, "PRIMARY") || is(ws, i + 1, "FOREIGN") ||
                  is(ws, i + 1, "CHECK") || is(ws, i + 1, "UNIQUE"))) {
                size_t c = is(ws, i + 1, "COLUMN") ? i + 2 : i + 1;
                struct mgr_buf table = MGR_BUF_INIT;

                name_at(ws, skip_guards(ws, c), &name);
                name_at(ws, skip_guards(ws, 2), &table);
                mgr_buf_addf(what, "DROP COLUMN %s.%s destroys the column "
                                   "and its values",
                             table.buf, name.buf);
                mgr_buf_release(&table);
                break;
            }
        }
    }
    mgr_buf_release(&name);
}

static int destructive(struct mgr_lint *l, size_t script, size_t from,
                       size_t to, struct mgr_error *err)
{
    struct mgr_buf what = MGR_BUF_INIT, hint = MGR_BUF_INIT;
    int rc = MGR_OK;

    for (size_t k = from; k < to && rc == MGR_OK; k++) {
        struct lint_stmt *st = l->stmts[k];
        struct words ws;

        if (st->pub.flags & MGR_LINT_DESTRUCTIVE)
            continue;
        words_of(st, &ws);
        destroys(l, k, to, &ws, &what);
        free(ws.w);
        if (!what.len)
            continue;
        mgr_buf_reset(&hint);
        mgr_buf_addstr(&hint, "when that is meant, say so on the line "
                              "before it:\n-- migrator:destructive\n");
        first_line(st, &hint);
        rc = add(l, st, script, &rule_destructive, 0, what.buf, hint.buf,
                 err);
    }
    mgr_buf_release(&what);
    mgr_buf_release(&hint);
    return rc;
}

/* ---- nontransactional-not-rerunnable ---------------------------------- */

static bool has_guard(const struct words *ws)
{
    for (size_t i = 0; i + 1 < ws->n; i++) {
        if (ws->w[i].depth)
            continue;
        if (lint_word_is(&ws->w[i], "IF") &&
            (lint_word_is(&ws->w[i + 1], "EXISTS") ||
             (lint_word_is(&ws->w[i + 1], "NOT") &&
              is(ws, i + 2, "EXISTS"))))
            return true;
        if (lint_word_is(&ws->w[i], "OR") &&
            lint_word_is(&ws->w[i + 1], "REPLACE"))
            return true;
    }
    return false;
}

/* ALTER ... that only sets, resets or validates: running it again does
 * the same. */
static bool alter_is_idempotent(const struct words *ws)
{
    for (size_t i = 2; i < ws->n; i++)
        if (ws->w[i].depth == 0 &&
            (lint_word_is(&ws->w[i], "ADD") ||
             lint_word_is(&ws->w[i], "DROP") ||
             lint_word_is(&ws->w[i], "RENAME")))
            return false;
    return true;
}

/* Where "IF [NOT] EXISTS" goes in st: after CREATE [UNIQUE] INDEX
 * [CONCURRENTLY], CREATE TABLE, DROP <kind> [CONCURRENTLY]... Returns
 * the byte offset, or 0 when there is no such place. */
static size_t guard_offset(const struct words *ws, const char *text)
{
    size_t i = 1;

    if (is(ws, i, "UNIQUE"))
        i++;
    if (!(is(ws, i, "INDEX") || is(ws, i, "TABLE") || is(ws, i, "SCHEMA") ||
          is(ws, i, "SEQUENCE") || is(ws, i, "VIEW") || is(ws, i, "TYPE") ||
          is(ws, i, "EXTENSION") || is(ws, i, "COLUMN")))
        return 0;
    if (is(ws, 0, "CREATE") && is(ws, i, "TYPE"))
        return 0; /* PostgreSQL has no CREATE TYPE IF NOT EXISTS */
    if (is(ws, i + 1, "CONCURRENTLY"))
        i++;
    return (size_t)(ws->w[i].s + ws->w[i].len - text);
}

static void rerun_hint(const struct lint_stmt *st, const struct words *ws,
                       struct mgr_buf *hint)
{
    size_t at = guard_offset(ws, st->text);
    const char *nl;

    mgr_buf_reset(hint);
    if (!at || !(is(ws, 0, "CREATE") || is(ws, 0, "DROP"))) {
        mgr_buf_addstr(hint, "make it safe to run again: IF [NOT] EXISTS, "
                             "OR REPLACE, or split it so that each "
                             "statement can be retried");
        return;
    }
    mgr_buf_addstr(hint, "make it safe to run again:\n");
    mgr_buf_add(hint, st->text, at);
    mgr_buf_addstr(hint, is(ws, 0, "CREATE") ? " IF NOT EXISTS"
                                             : " IF EXISTS");
    nl = strchr(st->text + at, '\n');
    mgr_buf_add(hint, st->text + at,
                nl ? (size_t)(nl - st->text) - at : strlen(st->text + at));
    if (is(ws, 0, "CREATE") && find_top(ws, 1, "CONCURRENTLY") < ws->n)
        mgr_buf_addstr(hint, "\na failed CONCURRENTLY build leaves an "
                             "invalid index that IF NOT EXISTS keeps: drop "
                             "it first with DROP INDEX CONCURRENTLY IF "
                             "EXISTS");
}

static int rerunnable(struct mgr_lint *l, size_t script, size_t from,
                      size_t to, struct mgr_error *err)
{
    struct mgr_buf msg = MGR_BUF_INIT, hint = MGR_BUF_INIT;
    int rc = MGR_OK;

    for (size_t k = from; k < to && rc == MGR_OK; k++) {
        struct lint_stmt *st = l->stmts[k];
        struct words ws;
        bool risky;

        if (!(st->pub.flags & MGR_LINT_NO_TRANSACTION))
            continue;
        words_of(st, &ws);
        risky = (is(&ws, 0, "CREATE") || is(&ws, 0, "DROP") ||
                 (is(&ws, 0, "ALTER") && !alter_is_idempotent(&ws))) &&
                !has_guard(&ws);
        if (risky) {
            mgr_buf_reset(&msg);
            first_line(st, &msg);
            mgr_buf_addstr(&msg, ": outside a transaction, it fails when "
                                 "the section runs again after a partial "
                                 "failure");
            rerun_hint(st, &ws, &hint);
            rc = add(l, st, script, &rule_rerun, 0, msg.buf, hint.buf, err);
        }
        free(ws.w);
    }
    mgr_buf_release(&msg);
    mgr_buf_release(&hint);
    return rc;
}

/* ---- a script ------------------------------------------------------------ */

/* The end of the upgrade section's statements in [from, to). */
static size_t upgrade_end(struct mgr_lint *l, size_t from, size_t to)
{
    while (from < to && l->stmts[from]->pub.dir == MGR_UPGRADE)
        from++;
    return from;
}

int lint_generic_script(struct mgr_lint *l, size_t script,
                        struct mgr_error *err)
{
    const struct lint_script *s = &l->scripts[script];
    size_t mid = upgrade_end(l, s->first_stmt, s->end_stmt);
    int rc;

    rc = missing_downgrade(l, script, err);
    if (rc == MGR_OK)
        rc = mixed(l, script, s->first_stmt, mid, err);
    if (rc == MGR_OK)
        rc = mixed(l, script, mid, s->end_stmt, err);
    if (rc == MGR_OK)
        rc = destructive(l, script, s->first_stmt, mid, err);
    if (rc == MGR_OK)
        rc = rerunnable(l, script, s->first_stmt, s->end_stmt, err);
    return rc;
}
