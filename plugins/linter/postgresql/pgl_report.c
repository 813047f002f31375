/*
 * pgl_report.c: findings to the host (pgl.h). The first failure of
 * lint_report is kept in the run and the findings after it are dropped:
 * statement() and end() return it.
 */
#include "autoconfig.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_walk.h"
#include "pgl.h"

static void vsay(struct pgl_run *run, struct mgr_lint *l,
                 const struct mgr_lint_statement *st,
                 const struct pgl_say *say, int offset, const char *fmt,
                 va_list ap) MGR_PRINTF(6, 0);

static void vsay(struct pgl_run *run, struct mgr_lint *l,
                 const struct mgr_lint_statement *st,
                 const struct pgl_say *say, int offset, const char *fmt,
                 va_list ap)
{
    struct mgr_finding f;
    char message[1024];

    if (run->rc != MGR_OK)
        return;
    vsnprintf(message, sizeof(message), fmt, ap);
    memset(&f, 0, sizeof(f));
    f.size = sizeof(f);
    f.rule = say->rule;
    f.severity = say->severity ? say->severity
                               : pgl_rule_severity(say->rule);
    f.message = message;
    f.hint = say->hint && say->hint[0] ? say->hint : NULL;
    f.table = say->table && say->table[0] ? say->table : NULL;
    f.flags = say->flags;
    f.lock_mode = say->lock ? pgl_lock_name(say->lock) : NULL;
    f.line = 0;
    if (offset > 0) {
        f.line = st->line;
        for (int i = 0; i + 1 < offset && (size_t)i < st->len; i++)
            f.line += st->text[i] == '\n';
    }
    run->rc = run->api->lint_report(l, st, &f, run->err);
}

void pgl_say(struct pgl_stmt *s, const struct pgl_say *say, const char *fmt,
             ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsay(s->run, s->l, s->st, say, 0, fmt, ap);
    va_end(ap);
}

void pgl_say_near(struct pgl_stmt *s, const struct pgl_say *say, int offset,
                  const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsay(s->run, s->l, s->st, say, offset, fmt, ap);
    va_end(ap);
}

void pgl_say_at(struct pgl_run *run, struct mgr_lint *l,
                const struct mgr_lint_statement *st,
                const struct pgl_say *say, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsay(run, l, st, say, 0, fmt, ap);
    va_end(ap);
}

int pgl_offset(const struct mgr_json *v)
{
    double loc = jw_get_num(v, "location", -1);

    return loc >= 0 && loc < 1e9 ? (int)loc + 1 : 0;
}

void pgl_hint_begin(struct pgl_run *run, struct mgr_buf *b)
{
    run->api->buf_init(b, 256);
}

void pgl_hint_end(struct pgl_run *run, struct mgr_buf *b)
{
    run->api->buf_release(b);
}
