/*
 * json_values.c: JSON values for the JSON reporter: strings made valid
 * UTF-8, numbers, times, and the objects of steps, errors, revisions and
 * locks (json_values.h).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#endif

#include "autoconfig.h"

#include <limits.h>
#include <math.h> /* isfinite, a macro: plugins are not linked to libm */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_values.h"
#include "utf8.h"

/* ---- values ------------------------------------------------------------ */

/* The length of s once every ill-formed byte is replaced by U+FFFD. */
static size_t sanitized_len(const unsigned char *s, size_t len, int *bad)
{
    size_t i = 0, out = 0, n;
    uint32_t cp;

    *bad = 0;
    while (i < len) {
        n = utf8_decode(s + i, len - i, &cp);
        if (n) {
            out += n;
            i += n;
        } else {
            out += sizeof(UTF8_REPLACEMENT) - 1;
            i++;
            *bad = 1;
        }
    }
    return out;
}

/* Copy s to dst, replacing every ill-formed byte by U+FFFD. */
static void sanitize(char *dst, const unsigned char *s, size_t len)
{
    size_t i = 0, n;
    uint32_t cp;

    while (i < len) {
        n = utf8_decode(s + i, len - i, &cp);
        if (n) {
            memcpy(dst, s + i, n);
            dst += n;
            i += n;
        } else {
            memcpy(dst, UTF8_REPLACEMENT, sizeof(UTF8_REPLACEMENT) - 1);
            dst += sizeof(UTF8_REPLACEMENT) - 1;
            i++;
        }
    }
}

/* A JSON string holding s as valid UTF-8; null for a NULL s. */
json_t *jstr(const char *s)
{
    size_t len, n;
    int bad;
    char *buf;
    json_t *v;

    if (!s)
        return json_null();
    len = strlen(s);
    n = sanitized_len((const unsigned char *)s, len, &bad);
    if (!bad)
        return json_stringn(s, len);
    buf = malloc(n ? n : 1);
    if (!buf)
        return NULL;
    sanitize(buf, (const unsigned char *)s, len);
    v = json_stringn(buf, n);
    free(buf);
    return v;
}

/* As jstr, but null for "" too (sqlstate, detail, hint). */
json_t *jstr_or_null(const char *s)
{
    return s && *s ? jstr(s) : json_null();
}

/* A JSON number; null for NaN and infinities, which JSON cannot hold. */
json_t *jnum(double d)
{
    return isfinite(d) ? json_real(d) : json_null();
}

json_t *jcount(double d)
{
    if (!(d >= 0.0) || !isfinite(d))
        return json_null();
    if (d < 9007199254740992.0 && d == (double)(json_int_t)d)
        return json_integer((json_int_t)d);
    return json_real(d);
}

json_t *jsize(size_t n)
{
    if (n > (unsigned long long)LLONG_MAX)
        return json_integer(LLONG_MAX);
    return json_integer((json_int_t)n);
}

/* An array of the n strings of v (none when v is NULL). */
json_t *jstrings(const char *const *v, size_t n)
{
    json_t *a = json_array();

    if (!a || !v)
        return a;
    for (size_t i = 0; i < n; i++) {
        if (json_array_append_new(a, jstr(v[i]))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/*
 * t seconds (|t| <= 1e15) as whole milliseconds, rounded to the nearest:
 * the nearest double to "...14.123" may be a hair below it. No floor():
 * plugins are not linked against libm.
 */
static long long round_ms(double t)
{
    double x = t * 1000.0 + 0.5;
    long long ms = (long long)x; /* truncates toward zero */

    if ((double)ms > x)
        ms--;
    return ms;
}

/*
 * t (seconds since the epoch) as UTC RFC 3339 with milliseconds,
 * "2026-12-03T00:05:14.123Z"; null when it has no such form.
 */
json_t *jtime(double t)
{
    long long ms, secs, rem;
    time_t tt;
    struct tm tm;
    char s[80]; /* room for any int; the fields are in range */

    if (!isfinite(t) || t > 1e15 || t < -1e15)
        return json_null();
    ms = round_ms(t);
    secs = ms / 1000;
    rem = ms % 1000;
    if (rem < 0) {
        rem += 1000;
        secs--;
    }
    tt = (time_t)secs;
    if (!gmtime_r(&tt, &tm) || tm.tm_year < -1900 || tm.tm_year > 8099)
        return json_null();
    snprintf(s, sizeof(s), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, (int)rem);
    return json_string(s);
}

/*
 * Set key in o to v; v is stolen even on failure. Returns 0, or -1 (out
 * of memory), so that results can be or-ed together.
 */
int put(json_t *o, const char *key, json_t *v)
{
    return json_object_set_new(o, key, v) ? -1 : 0;
}

/* ---- objects ----------------------------------------------------------- */

static const char *action_name(enum mgr_step_action a)
{
    switch (a) {
    case MGR_STEP_UPGRADE:
        return "upgrade";
    case MGR_STEP_DOWNGRADE:
        return "downgrade";
    case MGR_STEP_STAMP:
        return "stamp";
    }
    return NULL;
}

json_t *step_object(const struct mgr_event_step *s)
{
    json_t *o;
    int rc = 0;

    if (!s)
        return json_null();
    o = json_object();
    if (!o)
        return NULL;
    rc |= put(o, "index", jsize(s->index));
    rc |= put(o, "action", jstr(action_name(s->action)));
    rc |= put(o, "revision", jstr(s->revision));
    rc |= put(o, "message", jstr(s->message));
    rc |= put(o, "path", jstr(s->path));
    rc |= put(o, "from", jstrings(s->from, s->nfrom));
    rc |= put(o, "to", jstrings(s->to, s->nto));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *error_object(const struct mgr_event_error *e)
{
    json_t *o;
    int rc = 0;

    if (!e)
        return json_null();
    o = json_object();
    if (!o)
        return NULL;
    rc |= put(o, "status", json_integer(e->status));
    rc |= put(o, "exit_code", json_integer(e->exit_code));
    rc |= put(o, "message", jstr(e->message));
    rc |= put(o, "reason", jstr(e->reason));
    rc |= put(o, "file", jstr(e->file));
    rc |= put(o, "line", e->line ? json_integer(e->line) : json_null());
    rc |= put(o, "sqlstate", jstr_or_null(e->sqlstate));
    rc |= put(o, "detail", jstr_or_null(e->detail));
    rc |= put(o, "hint", jstr_or_null(e->hint));
    rc |= put(o, "revision", jstr(e->revision));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int put_flag(json_t *o, const char *key, unsigned flags,
                    unsigned bit)
{
    return put(o, key, json_boolean((flags & bit) != 0));
}

static int put_revision_flags(json_t *o, unsigned flags)
{
    int rc = 0;

    rc |= put_flag(o, "head", flags, MGR_REV_HEAD);
    rc |= put_flag(o, "real_head", flags, MGR_REV_REAL_HEAD);
    rc |= put_flag(o, "base", flags, MGR_REV_BASE);
    rc |= put_flag(o, "branchpoint", flags, MGR_REV_BRANCHPOINT);
    rc |= put_flag(o, "mergepoint", flags, MGR_REV_MERGEPOINT);
    rc |= put_flag(o, "current", flags, MGR_REV_CURRENT);
    return rc;
}

json_t *revision_object(const struct mgr_event_revision *r)
{
    json_t *o;
    int rc = 0;

    if (!r)
        return json_null();
    o = json_object();
    if (!o)
        return NULL;
    rc |= put(o, "id", jstr(r->id));
    rc |= put(o, "message", jstr(r->message));
    rc |= put(o, "doc", jstr(r->doc));
    rc |= put(o, "path", jstr(r->path));
    rc |= put(o, "create_date", jstr(r->create_date));
    rc |= put(o, "parents", jstrings(r->parents, r->nparents));
    rc |= put(o, "depends_on", jstrings(r->depends_on, r->ndepends_on));
    rc |= put(o, "branch_labels", jstrings(r->labels, r->nlabels));
    rc |= put(o, "children", jstrings(r->children, r->nchildren));
    rc |= put_revision_flags(o, r->flags);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}


/* A lock a traced statement took: "blocks" is null when it blocks
 * neither reads nor writes. */
json_t *lock_object(const struct mgr_event_lock *l)
{
    json_t *o;
    int rc = 0;

    if (!l)
        return json_null();
    o = json_object();
    if (!o)
        return NULL;
    rc |= put(o, "relation", jstr(l->relation));
    rc |= put(o, "mode", jstr(l->mode));
    rc |= put(o, "blocks", jstr_or_null(l->blocks));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}
