/* lint_text.c: the shared words and lines of `migrator lint` (lint_text.h). */
#include "autoconfig.h"

#include <math.h> /* isfinite, a macro: plugins are not linked to libm */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lint_text.h"
#include "utf8.h"

/* ---- numbers ----------------------------------------------------------- */

/* v with one decimal below 100 and none from there ("12.3", "340"); a
 * decimal that is 0 is left out ("8", not "8.0"). */
static void put_number(char *buf, size_t size, double v)
{
    size_t n;

    if (v >= 99.95) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    snprintf(buf, size, "%.1f", v);
    n = strlen(buf);
    /* "8.0" (or "8,0" in a locale with a decimal comma) */
    if (n >= 3 && buf[n - 1] == '0' && (buf[n - 2] < '0' || buf[n - 2] > '9'))
        buf[n - 2] = '\0';
}

/*
 * v (>= 0) in the largest of the n units (each base times the one before)
 * that keeps it below 1000: "12.3 k rows". A count of the first unit is
 * whole: "842 rows".
 */
static void put_scaled(char *buf, size_t size, double v, double base,
                       const char *const *units, size_t n)
{
    char num[LINT_WORDS_SIZE];
    size_t u = 0;

    while (v >= 999.5 && u + 1 < n) {
        v /= base;
        u++;
    }
    if (u == 0)
        snprintf(num, sizeof(num), "%.0f", v);
    else
        put_number(num, sizeof(num), v);
    snprintf(buf, size, "%.24s %s", num, units[u]);
}

static int known(double v)
{
    return v >= 0.0 && isfinite(v);
}

void lint_rows(char *buf, size_t size, double rows)
{
    static const char *const units[] = { "rows", "k rows", "M rows",
                                         "G rows", "T rows" };

    if (!known(rows))
        snprintf(buf, size, "%s", "");
    else if (rows >= 0.5 && rows < 1.5)
        snprintf(buf, size, "%s", "1 row");
    else
        put_scaled(buf, size, rows, 1000.0, units,
                   sizeof(units) / sizeof(units[0]));
}

void lint_bytes(char *buf, size_t size, double bytes)
{
    static const char *const units[] = { "bytes", "kB", "MB", "GB", "TB",
                                         "PB" };

    if (!known(bytes))
        snprintf(buf, size, "%s", "");
    else
        put_scaled(buf, size, bytes, 1024.0, units,
                   sizeof(units) / sizeof(units[0]));
}

void lint_size(char *buf, size_t size, double rows, double bytes)
{
    char r[LINT_WORDS_SIZE], b[LINT_WORDS_SIZE];

    lint_rows(r, sizeof(r), rows);
    lint_bytes(b, sizeof(b), bytes);
    snprintf(buf, size, "%.30s%s%.30s", r, *r && *b ? ", " : "", b);
}

void lint_duration(char *buf, size_t size, double seconds)
{
    char num[LINT_WORDS_SIZE];

    if (!known(seconds)) {
        snprintf(buf, size, "%s", "");
        return;
    }
    if (seconds * 1000.0 < 999.5) {
        put_number(num, sizeof(num), seconds * 1000.0);
        snprintf(buf, size, "%s ms", num);
    } else {
        put_number(num, sizeof(num), seconds);
        snprintf(buf, size, "%s s", num);
    }
}

/* ---- words ------------------------------------------------------------- */

const char *lint_severity_name(const struct mgr_event_finding *f)
{
    if (f->severity_name && *f->severity_name)
        return f->severity_name;
    switch (f->severity) {
    case MGR_SEVERITY_NOTICE: return "notice";
    case MGR_SEVERITY_WARNING: return "warning";
    case MGR_SEVERITY_ERROR: return "error";
    }
    return NULL;
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

int lint_has_text(const char *s)
{
    for (; s && *s; s++)
        if (!blank(*s))
            return 1;
    return 0;
}

/* ---- lines ------------------------------------------------------------- */

void lint_put(const struct lint_sink *o, const char *s)
{
    if (s)
        o->put(o->ctx, s, strlen(s), 0);
}

void lint_put_data(const struct lint_sink *o, const char *s)
{
    if (s)
        o->put(o->ctx, s, strlen(s), 1);
}

void lint_put_where(const struct lint_sink *o, const char *file, int line)
{
    char num[32];

    if (!file || !*file)
        return;
    lint_put_data(o, file);
    if (line > 0) {
        snprintf(num, sizeof(num), ":%d", line);
        lint_put(o, num);
    }
    lint_put(o, ": ");
}

/* How many bytes of s (len bytes) hold its first max characters; a byte
 * that starts no UTF-8 sequence counts as one. */
static size_t char_prefix(const char *s, size_t len, size_t max)
{
    size_t i = 0, n;
    uint32_t cp;

    while (i < len && max--) {
        n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
        i += n ? n : 1;
    }
    return i;
}

void lint_put_first_line(const struct lint_sink *o, const char *statement)
{
    const char *p = statement ? statement : "", *end;
    size_t len, keep;

    while (blank(*p))
        p++;
    end = strchr(p, '\n');
    if (!end)
        end = p + strlen(p);
    len = (size_t)(end - p);
    while (len && blank(p[len - 1]))
        len--;
    keep = char_prefix(p, len, LINT_STATEMENT_MAX);
    o->put(o->ctx, p, keep, 1);
    if (keep < len)
        lint_put(o, "...");
    else if (lint_has_text(end))
        lint_put(o, " ...");
}

const char *lint_statement_at(const char *statement, int statement_line,
                              int line)
{
    const char *p = statement ? statement : "";

    if (statement_line <= 0 || line <= statement_line)
        return p;
    for (int n = line - statement_line; n > 0; n--) {
        const char *nl = strchr(p, '\n');

        if (!nl)
            return statement;
        p = nl + 1;
    }
    return p;
}

void lint_put_lines(const struct lint_sink *o, const char *first,
                    const char *next, const char *text)
{
    const char *p = text ? text : "", *end;
    int n = 0;

    for (; *p; p = *end ? end + 1 : end) {
        size_t len;

        end = strchr(p, '\n');
        if (!end)
            end = p + strlen(p);
        len = (size_t)(end - p);
        while (len && blank(p[len - 1]))
            len--;
        if (len == 0)
            continue;
        lint_put(o, n++ ? next : first);
        o->put(o->ctx, p, len, 1);
        lint_put(o, "\n");
    }
}

/* "rewrites a, b": the n strings of v after head, on one line. */
static void put_list(const struct lint_sink *o, const char *head,
                     const char *const *v, size_t n)
{
    size_t shown = 0;

    for (size_t i = 0; v && i < n; i++) {
        if (!v[i])
            continue;
        lint_put(o, shown++ ? ", " : head);
        lint_put_data(o, v[i]);
    }
    if (shown)
        lint_put(o, "\n");
}

static void put_lock(const struct lint_sink *o, const struct mgr_event_lock *l)
{
    lint_put(o, "    ");
    lint_put_data(o, l->mode && *l->mode ? l->mode : "lock");
    lint_put(o, " on ");
    lint_put_data(o, l->relation ? l->relation : "?");
    if (l->blocks && *l->blocks) {
        lint_put(o, ": blocks ");
        lint_put_data(o, l->blocks);
    }
    lint_put(o, "\n");
}

void lint_put_trace(const struct lint_sink *o,
                    const struct mgr_event_trace *t)
{
    char took[LINT_WORDS_SIZE];
    size_t nlocks = 0;

    lint_put_where(o, t->file, t->line);
    lint_put_first_line(o, t->statement);
    lint_duration(took, sizeof(took), t->seconds);
    if (*took) {
        lint_put(o, "  (");
        lint_put(o, took);
        lint_put(o, ")");
    }
    lint_put(o, "\n");
    for (size_t i = 0; t->locks && i < t->nlocks; i++) {
        if (t->locks[i]) {
            put_lock(o, t->locks[i]);
            nlocks++;
        }
    }
    if (nlocks == 0)
        lint_put(o, "    no lock on an existing relation\n");
    put_list(o, "    rewrites ", t->rewritten, t->nrewritten);
    for (size_t i = 0; t->constraints && i < t->nconstraints; i++) {
        if (!t->constraints[i])
            continue;
        lint_put(o, "    constraint ");
        lint_put_data(o, t->constraints[i]);
        lint_put(o, "\n");
    }
}
