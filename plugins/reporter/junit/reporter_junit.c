/*
 * reporter_junit.c: the JUnit XML reporter ("--reporter junit"), for CI
 * systems (Jenkins, GitLab) that show a command's steps as tests. The
 * entry point, and the collecting of events: the document needs totals in
 * its first elements, so nothing is written before close (junit_write.c).
 *
 * One testcase per step that ran; planned steps that never started are
 * skipped testcases; a command that failed outside any step gets one
 * testcase of its own carrying the failure, and a command without steps
 * one passing testcase, so CI always shows a test.
 *
 * `migrator lint`: one testcase per finding (classname the script, name
 * "<rule> at line <N>"), failed for an error and passed with its text as
 * output for a warning or a notice. The findings of errors carry the
 * failure of a lint that exits 1, so it gets no testcase of its own. Each
 * traced statement adds its lines (lint_text.h) to the suite's output.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <migrator/plugin.h>

#include "junit.h"
#include "lint_text.h"
#include "plugin_state.h"

/* ev->member, or dflt when the host's struct is too old to have it. */
#define EV(ev, member, dflt)                                            \
    (MGR_EVENT_HAS(ev, member) ? (ev)->member : (dflt))

/* ---- copies ------------------------------------------------------------ */

/* A copy of s, or of "" when s is NULL. */
static char *dup_str(const struct mgr_host_api *api, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *p = api->alloc(n + 1);

    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* A copy of s, or NULL when s is NULL. */
static char *dup_opt(const struct mgr_host_api *api, const char *s)
{
    return s ? dup_str(api, s) : NULL;
}

/* A copy of short printf-style text: a phrase and a number. */
static char *dup_printf(const struct mgr_host_api *api, const char *fmt,
                        ...) MGR_PRINTF(2, 3);
static char *dup_printf(const struct mgr_host_api *api, const char *fmt, ...)
{
    char buf[64] = "";
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return dup_str(api, buf);
}

/* The array p of *alloc elements of size elem, grown to hold need. */
static void *grow(const struct mgr_host_api *api, void *p, size_t *alloc,
                  size_t need, size_t elem)
{
    size_t n = *alloc ? *alloc : 8;
    void *q;

    if (need <= *alloc)
        return p;
    while (n < need)
        n *= 2;
    q = api->alloc(n * elem);
    if (*alloc)
        memcpy(q, p, *alloc * elem);
    api->free(p);
    *alloc = n;
    return q;
}

static void fail_free(const struct mgr_host_api *api, struct junit_fail *f)
{
    if (!f)
        return;
    api->free(f->message);
    api->free(f->reason);
    api->free(f->type);
    api->free(f->file);
    api->free(f->sqlstate);
    api->free(f->detail);
    api->free(f->hint);
    api->free(f);
}

/* A failure known only by its type and a sentence (no error given). */
static struct junit_fail *fail_make(const struct mgr_host_api *api,
                                    char *type, const char *message)
{
    struct junit_fail *f = api->alloc(sizeof(*f));

    memset(f, 0, sizeof(*f));
    f->type = type;
    f->message = dup_str(api, message);
    f->reason = dup_str(api, message);
    f->sqlstate = dup_str(api, "");
    f->detail = dup_str(api, "");
    f->hint = dup_str(api, "");
    return f;
}

static struct junit_fail *fail_copy(const struct mgr_host_api *api,
                                    const struct mgr_event_error *e)
{
    struct junit_fail *f = api->alloc(sizeof(*f));

    if (e->sqlstate && *e->sqlstate)
        f->type = dup_str(api, e->sqlstate);
    else
        f->type = dup_printf(api, "exit %d", e->exit_code);
    if (e->message && *e->message)
        f->message = dup_str(api, e->message);
    else if (e->reason && *e->reason)
        f->message = dup_str(api, e->reason);
    else
        f->message = dup_printf(api, "failed (status %d)", e->status);
    f->reason = dup_str(api, e->reason);
    f->file = dup_opt(api, e->file);
    f->line = e->line;
    f->sqlstate = dup_str(api, e->sqlstate);
    f->detail = dup_str(api, e->detail);
    f->hint = dup_str(api, e->hint);
    return f;
}

static void text_add(const struct mgr_host_api *api, struct junit_text *t,
                     const char *s, size_t n)
{
    t->s = grow(api, t->s, &t->alloc, t->len + n + 1, 1);
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void sysout_add(struct junit_report *r, const char *s, size_t n)
{
    text_add(r->api, &r->sysout, s, n);
}

/* A lint_sink (lint_text.h) adding to text: the document is escaped as a
 * whole when written, so data needs nothing more. */
struct text_sink {
    const struct mgr_host_api *api;
    struct junit_text *text;
};

static void lint_to_text(void *ctx, const char *s, size_t n, int data)
{
    struct text_sink *ts = ctx;

    (void)data;
    text_add(ts->api, ts->text, s, n);
}

/* Add text as a line (a newline is added when it has none); no text, no
 * line. */
static void sysout_line(struct junit_report *r, const char *prefix,
                        const char *text)
{
    size_t n = text ? strlen(text) : 0;

    if (n == 0)
        return;
    sysout_add(r, prefix, strlen(prefix));
    sysout_add(r, text, n);
    if (text[n - 1] != '\n')
        sysout_add(r, "\n", 1);
}

/* ---- events ------------------------------------------------------------ */

/* The entry for the plan step s: found by index, or added. */
static struct junit_step *step_get(struct junit_report *r,
                                   const struct mgr_event_step *s)
{
    const struct mgr_host_api *api = r->api;
    struct junit_step *js;

    for (size_t i = 0; i < r->nsteps; i++)
        if (r->steps[i].index == s->index)
            return &r->steps[i];
    r->steps = grow(api, r->steps, &r->alloc, r->nsteps + 1, sizeof(*js));
    js = &r->steps[r->nsteps++];
    memset(js, 0, sizeof(*js));
    js->index = s->index;
    js->action = s->action;
    js->revision = s->revision && *s->revision ? dup_str(api, s->revision)
                                               : NULL;
    js->message = dup_str(api, s->message);
    js->path = dup_opt(api, s->path);
    return js;
}

static void on_run_start(struct junit_report *r, const struct mgr_event *ev)
{
    const struct mgr_host_api *api = r->api;

    api->free(r->target);
    api->free(r->database);
    r->target = dup_opt(api, EV(ev, target, NULL));
    r->database = dup_opt(api, EV(ev, database, NULL));
    r->offline = EV(ev, offline, 0) != 0;
    r->have_start = MGR_EVENT_HAS(ev, time);
    r->start_time = EV(ev, time, 0.0);
}

static void on_plan(struct junit_report *r, const struct mgr_event *ev)
{
    const struct mgr_event_step *const *plan = EV(ev, plan, NULL);
    size_t n = plan ? EV(ev, nplan, 0) : 0;

    for (size_t i = 0; i < n; i++)
        step_get(r, plan[i]);
}

static void on_step(struct junit_report *r, const struct mgr_event *ev,
                    int end)
{
    const struct mgr_event_step *s = EV(ev, step, NULL);
    const struct mgr_event_error *e = EV(ev, error, NULL);
    int status = EV(ev, status, MGR_OK);
    struct junit_step *js;

    if (!s)
        return;
    js = step_get(r, s);
    js->state = end ? JUNIT_ENDED : JUNIT_STARTED;
    if (!end)
        return;
    js->seconds = EV(ev, seconds, 0.0);
    if (status == MGR_OK || js->fail)
        return;
    if (e)
        js->fail = fail_copy(r->api, e);
    else
        js->fail = fail_make(r->api, dup_printf(r->api, "status %d", status),
                             "the step failed");
}

/* The command failed: keep the first error given (ERROR, then RUN_END). */
static void on_failure(struct junit_report *r, const struct mgr_event *ev)
{
    const struct mgr_event_error *e = EV(ev, error, NULL);

    r->failed = 1;
    if (!r->run_fail && e)
        r->run_fail = fail_copy(r->api, e);
}

/* The command failed without saying how: make the failure up. */
static void fail_unexplained(struct junit_report *r)
{
    const struct mgr_host_api *api = r->api;

    if (!r->failed || r->run_fail)
        return;
    if (r->ended)
        r->run_fail = fail_make(api, dup_printf(api, "exit %d", r->exit_code),
                                "the command failed");
    else
        r->run_fail = fail_make(api, dup_str(api, "error"),
                                "the command failed");
}

static void on_run_end(struct junit_report *r, const struct mgr_event *ev)
{
    r->ended = 1;
    r->steps_committed = EV(ev, steps_committed, SIZE_MAX);
    r->exit_code = EV(ev, exit_code, 0);
    if (MGR_EVENT_HAS(ev, seconds))
        r->seconds = ev->seconds;
    if (EV(ev, status, MGR_OK) != MGR_OK)
        on_failure(r, ev);
}

static void on_message(struct junit_report *r, const struct mgr_event *ev)
{
    int level = EV(ev, level, MGR_LOG_INFO);

    if (level > MGR_LOG_WARNING)
        return;
    sysout_line(r, level <= MGR_LOG_ERR ? "error: " : "warning: ",
                EV(ev, text, NULL));
}

/* "adding-required-field at line 12", or the rule alone without a
 * line. */
static char *finding_name(const struct mgr_host_api *api,
                          const struct mgr_event_finding *f)
{
    struct junit_text t = { NULL, 0, 0 };
    char at[40];

    if (f->rule && *f->rule)
        text_add(api, &t, f->rule, strlen(f->rule));
    else
        text_add(api, &t, "finding", strlen("finding"));
    if (f->line > 0) {
        snprintf(at, sizeof(at), " at line %d", f->line);
        text_add(api, &t, at, strlen(at));
    }
    return t.s;
}

/*
 * The text of a finding, one item a line:
 *   versions/0003_add_rent.sql:12: error[adding-required-field] message
 *   statement: ALTER TABLE units ADD COLUMN rent numeric NOT NULL
 *   hint: first line
 *         next line
 *   table: units (1.2 M rows, 340 MB)
 *   trace: confirmed
 */
static void finding_text(const struct mgr_host_api *api,
                         struct junit_text *t,
                         const struct mgr_event_finding *f)
{
    struct text_sink ts = { api, t };
    const struct lint_sink o = { lint_to_text, &ts };
    const char *sev = lint_severity_name(f);
    char size[LINT_WORDS_SIZE];

    lint_put_where(&o, f->file, f->line);
    lint_put(&o, sev ? sev : "finding");
    lint_put(&o, "[");
    lint_put_data(&o, f->rule);
    lint_put(&o, "] ");
    lint_put_data(&o, f->message);
    if (lint_has_text(f->statement)) {
        lint_put(&o, "\nstatement: ");
        lint_put_first_line(&o, lint_statement_at(f->statement,
                                                  f->statement_line,
                                                  f->line));
    }
    lint_put(&o, "\n");
    lint_put_lines(&o, "hint: ", "      ", f->hint);
    if (f->table && *f->table) {
        lint_put(&o, "table: ");
        lint_put_data(&o, f->table);
        lint_size(size, sizeof(size), f->rows, f->bytes);
        if (*size) {
            lint_put(&o, " (");
            lint_put(&o, size);
            lint_put(&o, ")");
        }
        lint_put(&o, "\n");
    }
    if (f->trace && *f->trace) {
        lint_put(&o, "trace: ");
        lint_put_data(&o, f->trace);
        lint_put(&o, "\n");
    }
    t->s[--t->len] = '\0'; /* the last newline */
}

static void on_finding(struct junit_report *r, const struct mgr_event *ev)
{
    const struct mgr_host_api *api = r->api;
    const struct mgr_event_finding *f = EV(ev, finding, NULL);
    struct junit_finding *jf;
    int has_file;

    if (!f)
        return;
    r->findings = grow(api, r->findings, &r->findings_alloc,
                       r->nfindings + 1, sizeof(*jf));
    jf = &r->findings[r->nfindings++];
    memset(jf, 0, sizeof(*jf));
    has_file = f->file && *f->file;
    jf->classname = dup_str(api, has_file ? f->file : "migrator.lint");
    jf->name = finding_name(api, f);
    jf->file = has_file ? dup_str(api, f->file) : NULL;
    jf->line = f->line > 0 ? f->line : 0;
    jf->rule = dup_str(api, f->rule);
    jf->message = dup_str(api, f->message);
    jf->error = f->severity >= MGR_SEVERITY_ERROR;
    finding_text(api, &jf->text, f);
}

/* A traced statement: its lines go to the suite's output. */
static void on_trace(struct junit_report *r, const struct mgr_event *ev)
{
    const struct mgr_event_trace *t = EV(ev, trace, NULL);
    struct text_sink ts = { r->api, &r->sysout };
    const struct lint_sink o = { lint_to_text, &ts };

    if (t)
        lint_put_trace(&o, t);
}

/* What every event carries: the command, the time so far. */
static void note_common(struct junit_report *r, const struct mgr_event *ev)
{
    const char *command = EV(ev, command, NULL);

    if (!*r->command && command && *command) {
        r->api->free(r->command);
        r->command = dup_str(r->api, command);
    }
    if (!r->ended && MGR_EVENT_HAS(ev, elapsed))
        r->seconds = ev->elapsed;
}

static int junit_event(void *sink, const struct mgr_event *ev,
                       struct mgr_error *err)
{
    struct junit_report *r = sink;

    (void)err;
    if (!r || !ev || !MGR_EVENT_HAS(ev, type))
        return MGR_OK;
    note_common(r, ev);
    switch (ev->type) {
    case MGR_EV_RUN_START: on_run_start(r, ev); break;
    case MGR_EV_PLAN: on_plan(r, ev); break;
    case MGR_EV_STEP_START: on_step(r, ev, 0); break;
    case MGR_EV_STEP_END: on_step(r, ev, 1); break;
    case MGR_EV_ERROR: on_failure(r, ev); break;
    case MGR_EV_RUN_END: on_run_end(r, ev); break;
    case MGR_EV_MESSAGE: on_message(r, ev); break;
    case MGR_EV_OUTPUT: sysout_line(r, "", EV(ev, text, NULL)); break;
    case MGR_EV_FINDING: on_finding(r, ev); break;
    case MGR_EV_TRACE: on_trace(r, ev); break;
    default: break; /* RECORD, LOCK_WAIT: not reported */
    }
    return MGR_OK;
}

/* ---- open, close ------------------------------------------------------- */

/* The plugin's state is a struct plugin_state (plugin_state.h). */
static int junit_open(void *state, const struct mgr_report_target *t,
                      void **sink_out, struct mgr_error *err)
{
    const struct mgr_host_api *api = ((struct plugin_state *)state)->api;
    struct junit_report *r;

    if (!t || !MGR_TARGET_HAS(t, out) || !t->out)
        return api->error_set(err, MGR_EPLUGIN,
                              "junit: the report target has no stream");
    r = api->alloc(sizeof(*r));
    memset(r, 0, sizeof(*r));
    r->api = api;
    r->out = t->out;
    if (MGR_TARGET_HAS(t, path))
        r->path = t->path;
    r->command = dup_str(api, "");
    r->steps_committed = SIZE_MAX;
    *sink_out = r;
    return MGR_OK;
}

static void report_free(struct junit_report *r)
{
    const struct mgr_host_api *api = r->api;

    for (size_t i = 0; i < r->nsteps; i++) {
        api->free(r->steps[i].revision);
        api->free(r->steps[i].message);
        api->free(r->steps[i].path);
        fail_free(api, r->steps[i].fail);
    }
    api->free(r->steps);
    for (size_t i = 0; i < r->nfindings; i++) {
        api->free(r->findings[i].classname);
        api->free(r->findings[i].name);
        api->free(r->findings[i].file);
        api->free(r->findings[i].rule);
        api->free(r->findings[i].message);
        api->free(r->findings[i].text.s);
    }
    api->free(r->findings);
    fail_free(api, r->run_fail);
    api->free(r->command);
    api->free(r->target);
    api->free(r->database);
    api->free(r->sysout.s);
    api->free(r);
}

static int junit_close(void *sink, struct mgr_error *err)
{
    struct junit_report *r = sink;
    const struct mgr_host_api *api;
    int rc, errnum;

    if (!r)
        return MGR_OK;
    api = r->api;
    fail_unexplained(r);
    errno = 0;
    rc = junit_write(r);
    errnum = errno;
    if (rc != MGR_OK)
        api->error_set(err, MGR_EIO, "cannot write the JUnit report to %s: %s",
                       r->path ? r->path : "standard output",
                       errnum ? strerror(errnum) : "write error");
    report_free(r);
    return rc;
}

/* ---- the plugin -------------------------------------------------------- */

static const struct mgr_reporter_ops ops = {
    sizeof(struct mgr_reporter_ops),
    junit_open,
    junit_event,
    junit_close,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_REPORTER, "junit", "0.1.0",
                  "JUnit XML reports: one testcase per step",
                  plugin_state_init, plugin_state_fini, &ops)
