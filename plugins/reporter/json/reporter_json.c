/*
 * reporter_json.c: the JSON reporter. Writes one JSON object per event,
 * one per line (NDJSON), in schema version 1: every object starts with
 * "v", "event", "time", "elapsed" and "command", then the fields of its
 * event type. Strings are made valid UTF-8 first (a byte that does not
 * start a well-formed sequence becomes U+FFFD, json_values.c) and
 * escaped by jansson.
 *
 * `migrator lint` (ABI 1.3) adds two: "finding", with the fields of
 * struct mgr_event_finding under their own names ("severity" the name,
 * "severity_level" its number), and "trace", with those of struct
 * mgr_event_trace ("locks" objects of relation, mode, blocks). As for
 * errors, a string the header allows to be "" when there is nothing to
 * say (hint, statement, table, trace, blocks) is null then, and so are
 * rows and bytes when not known.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <migrator/plugin.h>

#include "json_values.h"
#include "lint_text.h"
#include "plugin_state.h"

#define SCHEMA_VERSION 1
#define DUMP_FLAGS                                                     \
    (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9))

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
    rc |= put(o, "steps_unknown", EV_SIZE(ev, steps_unknown));
    rc |= put(o, "error", ev_error(ev));
    return rc;
}

/* Every key in keys (NULL-terminated) set to null: the event's own
 * fields, when the host's struct is too old to have them. */
static int put_nulls(json_t *o, const char *const *keys)
{
    int rc = 0;

    for (size_t i = 0; keys[i]; i++)
        rc |= put(o, keys[i], json_null());
    return rc;
}

static json_t *jline(int line)
{
    return line > 0 ? json_integer(line) : json_null();
}

static const char *const finding_keys[] = {
    "rule", "linter", "severity", "severity_level", "message", "hint",
    "file", "line", "revision", "statement", "statement_line", "table",
    "rows", "bytes", "trace", NULL };

static int add_finding(json_t *o, const struct mgr_event *ev)
{
    const struct mgr_event_finding *f =
        MGR_EVENT_HAS(ev, finding) ? ev->finding : NULL;
    int rc = 0;

    if (!f)
        return put_nulls(o, finding_keys);
    rc |= put(o, "rule", jstr(f->rule));
    rc |= put(o, "linter", jstr(f->linter));
    rc |= put(o, "severity", jstr(lint_severity_name(f)));
    rc |= put(o, "severity_level", (int)f->severity > 0
                                       ? json_integer((int)f->severity)
                                       : json_null());
    rc |= put(o, "message", jstr(f->message));
    rc |= put(o, "hint", jstr_or_null(f->hint));
    rc |= put(o, "file", jstr(f->file));
    rc |= put(o, "line", jline(f->line));
    rc |= put(o, "revision", jstr(f->revision));
    rc |= put(o, "statement", jstr_or_null(f->statement));
    rc |= put(o, "statement_line", jline(f->statement_line));
    rc |= put(o, "table", jstr_or_null(f->table));
    rc |= put(o, "rows", jcount(f->rows));
    rc |= put(o, "bytes", jcount(f->bytes));
    rc |= put(o, "trace", jstr_or_null(f->trace));
    return rc;
}

static json_t *lock_array(const struct mgr_event_trace *t)
{
    json_t *a = json_array();

    for (size_t i = 0; a && t->locks && i < t->nlocks; i++) {
        if (json_array_append_new(a, lock_object(t->locks[i]))) {
            json_decref(a);
            a = NULL;
        }
    }
    return a;
}

static const char *const trace_keys[] = {
    "file", "line", "revision", "statement", "seconds", "locks",
    "rewritten", "constraints", NULL };

static int add_trace(json_t *o, const struct mgr_event *ev)
{
    const struct mgr_event_trace *t =
        MGR_EVENT_HAS(ev, trace) ? ev->trace : NULL;
    int rc = 0;

    if (!t)
        return put_nulls(o, trace_keys);
    rc |= put(o, "file", jstr(t->file));
    rc |= put(o, "line", jline(t->line));
    rc |= put(o, "revision", jstr(t->revision));
    rc |= put(o, "statement", jstr_or_null(t->statement));
    rc |= put(o, "seconds", t->seconds >= 0.0 ? jnum(t->seconds)
                                              : json_null());
    rc |= put(o, "locks", lock_array(t));
    rc |= put(o, "rewritten", jstrings(t->rewritten, t->nrewritten));
    rc |= put(o, "constraints", jstrings(t->constraints, t->nconstraints));
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
    [MGR_EV_FINDING] = { "finding", add_finding },
    [MGR_EV_TRACE] = { "trace", add_trace },
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
    struct plugin_state *st = state;
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

static const struct mgr_reporter_ops ops = {
    sizeof(struct mgr_reporter_ops),
    json_open,
    json_event,
    json_close,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_REPORTER, "json", "0.1.0",
                  "one JSON object per event, one per line (NDJSON)",
                  plugin_state_init, plugin_state_fini, &ops)
