/*
 * config_expand.c: expansion of the values read from migrator.ini.
 *
 * Expansion follows Python's configparser, which reads alembic.ini:
 * "%%" is a '%', "%(here)s" the file's directory, and any other '%' is
 * an error that says to double it (a URL-encoded password such as
 * "p%40ss" must be written "p%%40ss", exactly as in alembic.ini).
 * "${NAME}" and "${NAME:-default}" read the environment; a default is
 * expanded in turn, a variable's value never is.
 *
 * An environment variable that is not set expands to an empty string with
 * a warning rather than an error: the default template says
 * "database_url = ${DATABASE_URL}", and commands that never connect
 * (history, heads, revision) must work without it. ${VAR:-} says that an
 * empty value is intended and silences the warning.
 */
#include "autoconfig.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_internal.h"
#include "util.h"

struct expand {
    const char *here; /* absolute directory, or NULL */
    const char *key;
    const char *path; /* for the unset-variable warning; NULL: quiet */
    const char *raw;  /* start of the value, for line numbers */
    int line;         /* line of raw[0] */
    struct mgr_buf why;
    const char *why_at; /* where in raw the error is */
};

static int expand_line_at(const struct expand *x, const char *at)
{
    int line = x->line;

    for (const char *p = x->raw; p < at; p++)
        if (*p == '\n')
            line++;
    return line;
}

static bool is_name_char(int c, bool first)
{
    return c == '_' || isalpha(c) || (!first && isdigit(c));
}

static int expand_range(struct expand *x, const char *s, const char *end,
                        struct mgr_buf *out);

/* ${...} at s (s[0..1] == "${"); *next is set past the '}'. */
static int expand_var(struct expand *x, const char *s, const char *end,
                      struct mgr_buf *out, const char **next)
{
    const char *name = s + 2, *p = name, *close = NULL, *def = NULL;
    int depth = 1;
    char *var;
    const char *val;
    int rc = 0;

    for (const char *q = name; q < end; q++) {
        if (q[0] == '$' && q + 1 < end && q[1] == '{') {
            depth++;
            q++;
        } else if (*q == '}' && --depth == 0) {
            close = q;
            break;
        }
    }
    if (!close) {
        x->why_at = s;
        mgr_buf_addf(&x->why, "unterminated '${' in the value of '%s'; "
                     "close it with '}'", x->key);
        return -1;
    }
    while (p < close && is_name_char((unsigned char)*p, p == name))
        p++;
    if (p == name || (p < close && !(close - p >= 2 && p[0] == ':' &&
                                     p[1] == '-'))) {
        x->why_at = s;
        mgr_buf_addf(&x->why, "bad '${...}' in the value of '%s'; use "
                     "${NAME} or ${NAME:-default}", x->key);
        return -1;
    }
    if (p < close)
        def = p + 2;
    var = xstrndup(name, (size_t)(p - name));
    val = getenv(var);
    if (val && (*val || !def)) {
        mgr_buf_addstr(out, val);
    } else if (def) {
        rc = expand_range(x, def, close, out);
    } else if (x->path) {
        MGR_WARN("%s:%d: environment variable '%s' is not set; it expands "
                 "to an empty string in '%s' (write ${%s:-} if that is "
                 "intended)", x->path, expand_line_at(x, s), var, x->key,
                 var);
    }
    free(var);
    *next = close + 1;
    return rc;
}

/* %... at s; *next is set past what was consumed. Messages never quote
 * the value (it may be a password). */
static int expand_percent(struct expand *x, const char *s, const char *end,
                          struct mgr_buf *out, const char **next)
{
    const char *name = s + 2, *close, *p;

    if (s + 1 < end && s[1] == '%') {
        mgr_buf_addch(out, '%');
        *next = s + 2;
        return 0;
    }
    x->why_at = s;
    if (s + 1 >= end || s[1] != '(') {
        mgr_buf_addf(&x->why, "'%%' in the value of '%s' must be written "
                     "'%%%%' (or be part of %%(here)s)", x->key);
        return -1;
    }
    close = memchr(name, ')', (size_t)(end - name));
    for (p = name; close && p < close; p++)
        if (!is_name_char((unsigned char)*p, p == name))
            break;
    if (!close || p < close || p == name || close + 1 >= end ||
        close[1] != 's') {
        mgr_buf_addf(&x->why, "'%%(' in the value of '%s' must be written "
                     "'%%%%(' unless it starts %%(here)s", x->key);
        return -1;
    }
    if (close - name != 4 || strncasecmp(name, "here", 4) || !x->here) {
        mgr_buf_addf(&x->why, "unknown interpolation '%%(%.*s)s' in the "
                     "value of '%s'; only %%(here)s is defined (write "
                     "'%%%%' for a literal '%%')", (int)(close - name), name,
                     x->key);
        return -1;
    }
    mgr_buf_addstr(out, x->here);
    *next = close + 2;
    return 0;
}

static int expand_range(struct expand *x, const char *s, const char *end,
                        struct mgr_buf *out)
{
    while (s < end) {
        const char *next = s + 1;
        int rc = 0;

        if (*s == '%')
            rc = expand_percent(x, s, end, out, &next);
        else if (*s == '$' && s + 1 < end && s[1] == '{')
            rc = expand_var(x, s, end, out, &next);
        else
            mgr_buf_addch(out, *s);
        if (rc)
            return rc;
        s = next;
    }
    return 0;
}

/* ---- all values ---------------------------------------------------- */

/* Expand every value of every section; warn about unset variables only
 * in the main section. */
int config_expand_all(struct parse *ps)
{
    struct mgr_config *cfg = ps->cfg;

    for (size_t i = 0; i < cfg->nr; i++) {
        struct cfg_section *s = &cfg->sections[i];

        for (size_t j = 0; j < s->nr; j++) {
            struct cfg_entry *e = &s->v[j];
            struct mgr_buf out = MGR_BUF_INIT;
            struct expand x = { cfg->dir, e->key,
                                i == cfg->main ? ps->path : NULL, e->raw,
                                e->line, MGR_BUF_INIT, NULL };

            if (expand_range(&x, e->raw, e->raw + strlen(e->raw), &out)) {
                config_parse_fail(ps, MGR_ECONFIG,
                                  expand_line_at(&x, x.why_at), "%s",
                                  x.why.buf);
                mgr_buf_release(&x.why);
                mgr_buf_release(&out);
                return -1;
            }
            e->value = mgr_buf_detach(&out, NULL);
        }
    }
    return 0;
}
