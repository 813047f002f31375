/*
 * reporter_json.c: the JSON reporter. Writes one JSON object per event,
 * one per line (NDJSON), in schema version 1: every object starts with
 * "v", "event", "time", "elapsed" and "command", then the fields of its
 * event type. Strings are made valid UTF-8 first (a byte that does not
 * start a well-formed sequence becomes U+FFFD) and escaped by jansson.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#endif

#include "autoconfig.h"

#include <errno.h>
#include <limits.h>
#include <math.h> /* isfinite, a macro: plugins are not linked to libm */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include <migrator/plugin.h>

#include "utf8.h"

#define SCHEMA_VERSION 1
#define DUMP_FLAGS                                                     \
    (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9))

/* The per-plugin state: the host's upcalls. */
struct json_state {
    const struct mgr_host_api *api;
    struct mgr_host *host;
};

/* One open report. */
struct json_sink {
    const struct mgr_host_api *api;
    FILE *out;        /* owned by the host */
    const char *path; /* borrowed until close; NULL for stdout */
};

/*
 * Guards for the host's structures: a field past the recorded size counts
 * as absent, and absent fields come out as JSON null.
 */
#define EV_STR(ev, f) (MGR_EVENT_HAS(ev, f) ? jstr((ev)->f) : json_null())
#define EV_NUM(ev, f) (MGR_EVENT_HAS(ev, f) ? jnum((ev)->f) : json_null())
#define EV_INT(ev, f)                                                   \
    (MGR_EVENT_HAS(ev, f) ? json_integer((ev)->f) : json_null())
#define EV_SIZE(ev, f) (MGR_EVENT_HAS(ev, f) ? jsize((ev)->f) : json_null())
#define EV_BOOL(ev, f)                                                  \
    (MGR_EVENT_HAS(ev, f) ? json_boolean((ev)->f) : json_null())

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
static json_t *jstr(const char *s)
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
static json_t *jstr_or_null(const char *s)
{
    return s && *s ? jstr(s) : json_null();
}

/* A JSON number; null for NaN and infinities, which JSON cannot hold. */
static json_t *jnum(double d)
{
    return isfinite(d) ? json_real(d) : json_null();
}

static json_t *jsize(size_t n)
{
    if (n > (unsigned long long)LLONG_MAX)
        return json_integer(LLONG_MAX);
    return json_integer((json_int_t)n);
}

/* An array of the n strings of v (none when v is NULL). */
static json_t *jstrings(const char *const *v, size_t n)
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
static json_t *jtime(double t)
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
static int put(json_t *o, const char *key, json_t *v)
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

static json_t *step_object(const struct mgr_event_step *s)
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

static json_t *error_object(const struct mgr_event_error *e)
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

static json_t *revision_object(const struct mgr_event_revision *r)
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

static json_t *plan_array(const struct mgr_event *ev)
{
    const struct mgr_event_step *const *plan;
    size_t n;
    json_t *a;

    if (!MGR_EVENT_HAS(ev, plan) || !MGR_EVENT_HAS(ev, nplan))
        return json_null();
    plan = ev->plan;
    n = plan ? ev->nplan : 0;
    a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        if (json_array_append_new(a, step_object(plan[i]))) {
            json_decref(a);
            a = NULL;
        }
    }
    return a;
}

/* ---- events ------------------------------------------------------------ */

static int add_run_start(json_t *o, const struct mgr_event *ev)
{
    int rc = 0;

    rc |= put(o, "target", EV_STR(ev, target));
    rc |= put(o, "database", EV_STR(ev, database));
    rc |= put(o, "offline", EV_BOOL(ev, offline));
    return rc;
}

static int add_plan(json_t *o, const struct mgr_event *ev)
{
    return put(o, "steps", plan_array(ev));
}

static json_t *ev_step(const struct mgr_event *ev)
{
    return MGR_EVENT_HAS(ev, step) ? step_object(ev->step) : json_null();
}

static json_t *ev_error(const struct mgr_event *ev)
{
    return MGR_EVENT_HAS(ev, error) ? error_object(ev->error) : json_null();
}

static json_t *ev_ok(const struct mgr_event *ev)
{
    if (!MGR_EVENT_HAS(ev, status))
        return json_null();
    return json_boolean(ev->status == MGR_OK);
}

static int add_step_start(json_t *o, const struct mgr_event *ev)
{
    return put(o, "step", ev_step(ev));
}

static int add_step_end(json_t *o, const struct mgr_event *ev)
{
    int rc = 0;

    rc |= put(o, "step", ev_step(ev));
    rc |= put(o, "ok", ev_ok(ev));
    rc |= put(o, "seconds", EV_NUM(ev, seconds));
    rc |= put(o, "error", ev_error(ev));
    return rc;
}

static const char *level_name(int level)
{
    switch (level) {
    case MGR_LOG_ERR:
        return "error";
    case MGR_LOG_WARNING:
        return "warning";
    case MGR_LOG_INFO:
        return "info";
    default:
        return "debug";
    }
}

static int add_message(json_t *o, const struct mgr_event *ev)
{
    int rc = 0;

    rc |= put(o, "level", MGR_EVENT_HAS(ev, level)
                              ? jstr(level_name(ev->level))
                              : json_null());
    rc |= put(o, "text", EV_STR(ev, text));
    return rc;
}

static int add_error(json_t *o, const struct mgr_event *ev)
{
    return put(o, "error", ev_error(ev));
}

static int add_lock_wait(json_t *o, const struct mgr_event *ev)
{
    int rc = 0;

    rc |= put(o, "lock", EV_STR(ev, lock_key));
    rc |= put(o, "holder", EV_STR(ev, holder));
    rc |= put(o, "waited", EV_NUM(ev, waited));
    rc |= put(o, "lock_wait", EV_NUM(ev, lock_wait));
    rc |= put(o, "text", EV_STR(ev, text));
    return rc;
}

static const char *record_kind_name(enum mgr_record_kind k)
{
    switch (k) {
    case MGR_REC_HEAD:
        return "head";
    case MGR_REC_HISTORY:
        return "history";
    case MGR_REC_CURRENT:
        return "current";
    case MGR_REC_BRANCH:
        return "branch";
    case MGR_REC_SHOW:
        return "show";
    }
    return NULL;
}

static int add_record(json_t *o, const struct mgr_event *ev)
{
    int rc = 0;

    rc |= put(o, "kind", MGR_EVENT_HAS(ev, record_kind)
                             ? jstr(record_kind_name(ev->record_kind))
                             : json_null());
    rc |= put(o, "verbose", EV_BOOL(ev, verbose));
    rc |= put(o, "revision", MGR_EVENT_HAS(ev, revision)
                                 ? revision_object(ev->revision)
                                 : json_null());
    return rc;
}

static int add_output(json_t *o, const struct mgr_event *ev)
{
    return put(o, "text", EV_STR(ev, text));
}

static int add_run_end(json_t *o, const struct mgr_event *ev)
{
    int rc = 0;

    rc |= put(o, "ok", ev_ok(ev));
    rc |= put(o, "exit_code", EV_INT(ev, exit_code));
    rc |= put(o, "seconds", EV_NUM(ev, seconds));
    rc |= put(o, "steps_run", EV_SIZE(ev, steps_run));
    rc |= put(o, "steps_committed", EV_SIZE(ev, steps_committed));
    rc |= put(o, "error", ev_error(ev));
    return rc;
}

struct event_kind {
    const char *name;
    int (*add)(json_t *o, const struct mgr_event *ev);
};

static const struct event_kind event_kinds[] = {
    [MGR_EV_RUN_START] = { "run_start", add_run_start },
    [MGR_EV_RUN_END] = { "run_end", add_run_end },
    [MGR_EV_STEP_START] = { "step_start", add_step_start },
    [MGR_EV_STEP_END] = { "step_end", add_step_end },
    [MGR_EV_MESSAGE] = { "message", add_message },
    [MGR_EV_ERROR] = { "error", add_error },
    [MGR_EV_LOCK_WAIT] = { "lock_wait", add_lock_wait },
    [MGR_EV_RECORD] = { "record", add_record },
    [MGR_EV_OUTPUT] = { "output", add_output },
    [MGR_EV_PLAN] = { "plan", add_plan },
};

#define NKINDS (sizeof(event_kinds) / sizeof(event_kinds[0]))

/* The kind of ev, or NULL when its type is unknown. */
static const struct event_kind *kind_of(const struct mgr_event *ev)
{
    int type;

    if (!MGR_EVENT_HAS(ev, type))
        return NULL;
    type = (int)ev->type;
    if (type <= 0 || (size_t)type >= NKINDS || !event_kinds[type].name)
        return NULL;
    return &event_kinds[type];
}

/* The keys every object starts with, in order. */
static int add_common(json_t *o, const struct mgr_event *ev,
                      const struct event_kind *k)
{
    int rc = 0;

    rc |= put(o, "v", json_integer(SCHEMA_VERSION));
    rc |= put(o, "event", json_string(k ? k->name : "unknown"));
    rc |= put(o, "time", MGR_EVENT_HAS(ev, time) ? jtime(ev->time)
                                                 : json_null());
    rc |= put(o, "elapsed", EV_NUM(ev, elapsed));
    rc |= put(o, "command", EV_STR(ev, command));
    return rc;
}

/* The type of an unknown event, as the int the host meant. */
static json_t *type_of(const struct mgr_event *ev)
{
    return MGR_EVENT_HAS(ev, type) ? json_integer((int)ev->type)
                                   : json_null();
}

/* The object for ev, or NULL when out of memory. */
static json_t *event_object(const struct mgr_event *ev)
{
    const struct event_kind *k = kind_of(ev);
    json_t *o = json_object();
    int rc;

    if (!o)
        return NULL;
    rc = add_common(o, ev, k);
    if (!rc)
        rc = k ? k->add(o, ev) : put(o, "type", type_of(ev));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- the report -------------------------------------------------------- */

static int write_error(struct json_sink *sk, int errnum,
                       struct mgr_error *err)
{
    int rc;

    if (sk->path)
        rc = sk->api->error_set(err, MGR_EIO, "cannot write to '%s': %s",
                                sk->path, strerror(errnum));
    else
        rc = sk->api->error_set(err, MGR_EIO,
                                "cannot write the json report: %s",
                                strerror(errnum));
    if (err)
        err->sys_errno = errnum;
    return rc;
}

/* Write line (len bytes) and a newline, and flush. */
static int write_line(struct json_sink *sk, const char *line, size_t len,
                      struct mgr_error *err)
{
    errno = 0;
    if (fwrite(line, 1, len, sk->out) != len || putc('\n', sk->out) == EOF)
        return write_error(sk, errno ? errno : EIO, err);
    if (fflush(sk->out) == EOF)
        return write_error(sk, errno ? errno : EIO, err);
    return MGR_OK;
}

static int json_event(void *sink, const struct mgr_event *ev,
                      struct mgr_error *err)
{
    struct json_sink *sk = sink;
    json_t *o;
    char *line;
    int rc;

    if (!ev)
        return sk->api->error_set(err, MGR_EPLUGIN, "no event to report");
    o = event_object(ev);
    line = o ? json_dumps(o, DUMP_FLAGS) : NULL;
    json_decref(o);
    if (!line)
        return sk->api->error_set(err, MGR_ENOMEM, "out of memory");
    rc = write_line(sk, line, strlen(line), err);
    free(line);
    return rc;
}

static int json_open(void *state, const struct mgr_report_target *t,
                     void **sink_out, struct mgr_error *err)
{
    struct json_state *st = state;
    struct json_sink *sk;

    if (!t || !MGR_TARGET_HAS(t, out) || !t->out)
        return st->api->error_set(err, MGR_EPLUGIN,
                                  "no stream to write the json report to");
    sk = malloc(sizeof(*sk));
    if (!sk)
        return st->api->error_set(err, MGR_ENOMEM, "out of memory");
    sk->api = st->api;
    sk->out = t->out;
    sk->path = MGR_TARGET_HAS(t, path) ? t->path : NULL;
    *sink_out = sk;
    return MGR_OK;
}

static int json_close(void *sink, struct mgr_error *err)
{
    (void)err;
    free(sink);
    return MGR_OK;
}

/* ---- the plugin -------------------------------------------------------- */

static int json_init(const struct mgr_host_api *api, struct mgr_host *h,
                     void **state_out, struct mgr_error *err)
{
    struct json_state *st;

    if (!api || !MGR_API_HAS(api, error_set) || !api->error_set)
        return MGR_EPLUGIN;
    st = malloc(sizeof(*st));
    if (!st)
        return api->error_set(err, MGR_ENOMEM, "out of memory");
    st->api = api;
    st->host = h;
    *state_out = st;
    return MGR_OK;
}

static void json_fini(void *state)
{
    free(state);
}

static const struct mgr_reporter_ops ops = {
    sizeof(struct mgr_reporter_ops),
    json_open,
    json_event,
    json_close,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_REPORTER, "json", "0.1.0",
                  "one JSON object per event, one per line (NDJSON)",
                  json_init, json_fini, &ops)
