/*
 * lint_collect.c: a script's sections as statements for lint. The
 * format runs each section in EXEC_LINT mode, so that a C script is
 * read the same way as a SQL one: whatever it would send arrives here.
 * The directive comments are read from the text of the section (a C
 * script has none): a directive belongs to the statement that follows
 * it, or to the one on whose lines it stands.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "exec.h"
#include "lint.h"
#include "loader.h"
#include "revision.h"
#include "util.h"

/* A directive of the section being read, not yet given to a statement. */
struct directive {
    int line;
    bool destructive;      /* migrator:destructive */
    struct lint_ignore ignore; /* migrator:lint-ignore (rule set) */
};

struct collector {
    struct mgr_lint *l;
    size_t script;
    struct mgr_exec *x;
    enum mgr_direction dir;
    struct directive *dirs;
    size_t ndirs;
    size_t first_stmt;     /* l->nstmts when the section began */
    bool had_text;         /* the format gave the section as text */
};

#define DIRECTIVE "migrator:"

static void add_directive(struct collector *c, const struct directive *d)
{
    c->dirs = xrealloc(c->dirs, (c->ndirs + 1) * sizeof(*c->dirs));
    c->dirs[c->ndirs++] = *d;
}

/* "lint-ignore RULE[,RULE...] reason": one directive per rule. */
static void read_ignore(struct collector *c, const char *p, const char *end,
                        int line)
{
    const char *rules = p, *rules_end;

    while (rules < end && (*rules == ' ' || *rules == '\t'))
        rules++;
    rules_end = rules;
    while (rules_end < end && *rules_end != ' ' && *rules_end != '\t')
        rules_end++;
    const char *reason = rules_end;
    while (reason < end && (*reason == ' ' || *reason == '\t' ||
                            *reason == '\r'))
        reason++;
    for (const char *r = rules; r < rules_end;) {
        const char *comma = memchr(r, ',', (size_t)(rules_end - r));
        const char *stop = comma ? comma : rules_end;
        struct directive d = { line, false, { NULL, line, reason < end,
                                              false } };

        if (stop > r) {
            d.ignore.rule = xstrndup(r, (size_t)(stop - r));
            add_directive(c, &d);
        }
        r = stop + 1;
    }
}

/* The directive on one line of the section, if it has one. */
static void read_line(struct collector *c, const char *p, const char *end,
                      int line)
{
    const char *dash = NULL;

    for (const char *q = p; q + 1 < end; q++)
        if (q[0] == '-' && q[1] == '-') {
            dash = q + 2;
            break;
        }
    if (!dash)
        return;
    while (dash < end && (*dash == ' ' || *dash == '\t'))
        dash++;
    if ((size_t)(end - dash) < strlen(DIRECTIVE) ||
        strncmp(dash, DIRECTIVE, strlen(DIRECTIVE)) != 0)
        return;
    dash += strlen(DIRECTIVE);
    if ((size_t)(end - dash) >= 11 && strncmp(dash, "lint-ignore", 11) == 0)
        read_ignore(c, dash + 11, end, line);
    else if ((size_t)(end - dash) >= 11 &&
             strncmp(dash, "destructive", 11) == 0)
        add_directive(c, &(struct directive){ line, true, { 0 } });
}

static int on_section_text(void *ctx, const char *text, size_t len,
                           int first_line, struct mgr_error *err)
{
    struct collector *c = ctx;
    const char *p = text, *end = text + len;
    int line = first_line;

    (void)err;
    c->had_text = true;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;

        read_line(c, p, stop, line++);
        p = nl ? nl + 1 : end;
    }
    return MGR_OK;
}

static int on_statement(void *ctx, const char *stmt, size_t len, int line,
                        struct mgr_error *err)
{
    struct collector *c = ctx;
    struct mgr_lint *l = c->l;
    struct lint_stmt *st = xcalloc(1, sizeof(*st));
    const struct revision *rev = l->scripts[c->script].rev;

    (void)err;
    if (line <= 0)
        line = c->x->section_line;
    st->text = xstrndup(stmt, len);
    st->end_line = exec_line_at(stmt, len, (int)len, line);
    st->section_flags = c->x->flags;
    st->script = c->script;
    st->pub.size = sizeof(st->pub);
    st->pub.revision = rev->id;
    st->pub.path = rev->path;
    st->pub.dir = c->dir;
    st->pub.flags = (c->x->flags & MGR_SECTION_NO_TRANSACTION)
                        ? MGR_LINT_NO_TRANSACTION : 0;
    st->pub.index = l->nstmts - c->first_stmt;
    st->pub.line = line;
    st->pub.text = st->text;
    st->pub.len = len;
    st->pub.parse_format = "";
    st->pub.dialect = l->dialect;
    l->stmts = xrealloc(l->stmts, (l->nstmts + 1) * sizeof(*l->stmts));
    l->stmts[l->nstmts++] = st;
    return MGR_OK;
}

static void give_ignore(struct lint_ignore **list, size_t *n,
                        struct lint_ignore *ig)
{
    *list = xrealloc(*list, (*n + 1) * sizeof(**list));
    (*list)[(*n)++] = *ig;
    ig->rule = NULL;
}

/* Each directive goes to the first statement that ends on or after its
 * line; those after the last statement belong to the script. */
static void assign_directives(struct collector *c)
{
    struct mgr_lint *l = c->l;
    struct lint_script *script = &l->scripts[c->script];

    for (size_t i = 0; i < c->ndirs; i++) {
        struct directive *d = &c->dirs[i];
        struct lint_stmt *owner = NULL;

        for (size_t k = c->first_stmt; k < l->nstmts && !owner; k++)
            if (d->line <= l->stmts[k]->end_line)
                owner = l->stmts[k];
        if (d->destructive) {
            if (owner)
                owner->pub.flags |= MGR_LINT_DESTRUCTIVE;
            continue;
        }
        if (owner)
            give_ignore(&owner->ignores, &owner->nignores, &d->ignore);
        else
            give_ignore(&script->ignores, &script->nignores, &d->ignore);
    }
    free(c->dirs);
    c->dirs = NULL;
    c->ndirs = 0;
}

static int read_section(struct mgr_lint *l, struct db *db, size_t script,
                        enum mgr_direction dir, bool *present,
                        int *marker_line, bool *is_code)
{
    const struct revision *rev = l->scripts[script].rev;
    const struct mgr_format_ops *ops = rev->format->ops;
    struct mgr_exec x;
    struct collector c = { l, script, &x, dir, NULL, 0, l->nstmts, false };
    const struct exec_watch watch = { on_section_text, on_statement, NULL,
                                      NULL, &c };
    int rc;

    exec_init_db(&x, EXEC_LINT, db, rev->path, true);
    x.config = l->ctx->config;
    x.watch = &watch;
    rc = ops->run_section(rev->format->state, rev->path, dir, &x,
                          &l->ctx->err);
    *present = x.began;
    *marker_line = x.section_line;
    *is_code = x.began && !c.had_text;
    exec_section_end(&x);
    exec_release(&x);
    assign_directives(&c);
    /* A format says "no such section" with MGR_ESCRIPT before beginning
     * one: for lint that is a finding, not a failure. */
    if (rc == MGR_ESCRIPT && !*present)
        return MGR_OK;
    return rc;
}

int lint_collect_script(struct mgr_lint *l, struct db *db, size_t i)
{
    struct lint_script *s = &l->scripts[i];
    bool up_present, up_code;
    size_t before_down;
    int rc;

    s->first_stmt = l->nstmts;
    rc = read_section(l, db, i, MGR_UPGRADE, &up_present, &s->upgrade_line,
                      &up_code);
    s->upgrade_statements = l->nstmts - s->first_stmt;
    if (rc == MGR_OK && !up_present)
        rc = mgr_error_set(&l->ctx->err, MGR_ESCRIPT,
                           "%s: no upgrade section", s->rev->path);
    if (rc != MGR_OK)
        return rc;
    before_down = l->nstmts;
    rc = read_section(l, db, i, MGR_DOWNGRADE, &s->has_downgrade,
                      &s->downgrade_line, &s->downgrade_is_code);
    s->downgrade_statements = l->nstmts - before_down;
    s->end_stmt = l->nstmts;
    return rc;
}
