/*
 * report_events.c: the events of a command, built from the core's own
 * structures (plans, graph nodes, errors) into struct mgr_event.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "plan.h"
#include "report_internal.h"
#include "util.h"

/* A copy of s with the database password masked. */
static char *redacted(const struct report *rp, const char *s)
{
    struct mgr_buf text = MGR_BUF_INIT;

    if (!s)
        return NULL;
    mgr_buf_addstr(&text, s);
    report_redact(rp, &text);
    return mgr_buf_detach(&text, NULL);
}

void report_message(struct report *rp, int level, const char *text)
{
    struct mgr_event ev;
    char *masked = redacted(rp, text);

    report_event_init(&ev, MGR_EV_MESSAGE);
    ev.level = level;
    ev.text = masked;
    report_emit(rp, &ev);
    free(masked);
}

static enum mgr_step_action step_action(enum plan_dir dir)
{
    switch (dir) {
    case PLAN_UPGRADE: return MGR_STEP_UPGRADE;
    case PLAN_DOWNGRADE: return MGR_STEP_DOWNGRADE;
    case PLAN_STAMP: break;
    }
    return MGR_STEP_STAMP;
}

static void fill_step(struct mgr_event_step *es, const struct plan *p,
                      size_t i)
{
    const struct plan_step *step = &p->steps[i];

    memset(es, 0, sizeof(*es));
    es->index = i + 1;
    es->action = step_action(step->dir);
    es->revision = step->rev ? step->rev->id : NULL;
    es->message = step->rev && step->rev->message ? step->rev->message : "";
    es->path = step->rev ? step->rev->path : NULL;
    es->from = step->from;
    es->nfrom = step->nfrom;
    es->to = step->to;
    es->nto = step->nto;
}

void report_plan(struct report *rp, const struct plan *p)
{
    struct mgr_event ev;
    struct mgr_event_step *steps;
    const struct mgr_event_step **list;

    if (!rp)
        return;
    steps = xcalloc(p->nsteps ? p->nsteps : 1, sizeof(*steps));
    list = xcalloc(p->nsteps ? p->nsteps : 1, sizeof(*list));
    for (size_t i = 0; i < p->nsteps; i++) {
        fill_step(&steps[i], p, i);
        list[i] = &steps[i];
    }
    report_event_init(&ev, MGR_EV_PLAN);
    ev.plan = list;
    ev.nplan = p->nsteps;
    report_emit(rp, &ev);
    free(list);
    free(steps);
}

void report_step_start(struct report *rp, const struct plan *p, size_t i)
{
    struct mgr_event ev;
    struct mgr_event_step step;

    if (!rp)
        return;
    fill_step(&step, p, i);
    report_event_init(&ev, MGR_EV_STEP_START);
    ev.step = &step;
    report_emit(rp, &ev);
}

void report_error_release(struct report_error *e)
{
    free(e->message);
    free(e->reason);
    free(e->file);
    free(e->sqlstate);
    free(e->detail);
    free(e->hint);
    free(e->revision);
    memset(e, 0, sizeof(*e));
}

/* Point the event at the strings (NULL and "" stay as they are). */
static void error_link(struct report_error *e)
{
    e->ev.message = e->message ? e->message : "";
    e->ev.reason = e->reason;
    e->ev.file = e->file;
    e->ev.sqlstate = e->sqlstate ? e->sqlstate : "";
    e->ev.detail = e->detail ? e->detail : "";
    e->ev.hint = e->hint ? e->hint : "";
    e->ev.revision = e->revision;
}

/*
 * "path:12: reason" -> path, 12, reason: the house format of errors that
 * name a place (config lines, script headers, statements). Anything else
 * is all reason.
 */
static void split_location(struct report_error *e, const char *msg)
{
    const char *sep = strstr(msg, ": ");
    const char *colon, *p;

    if (sep && sep > msg && !memchr(msg, '\n', (size_t)(sep - msg))) {
        for (colon = sep - 1; colon > msg && *colon != ':'; colon--)
            ;
        for (p = colon + 1; *colon == ':' && p < sep; p++)
            if (*p < '0' || *p > '9')
                break;
        if (*colon == ':' && colon > msg && p == sep && p > colon + 1) {
            e->file = xstrndup(msg, (size_t)(colon - msg));
            e->ev.line = (int)strtol(colon + 1, NULL, 10);
            e->reason = xstrdup(sep + 2);
            return;
        }
    }
    e->reason = xstrdup(msg);
}

static void build_error(struct report *rp, struct report_error *e,
                        int status, int exit_code, const char *message,
                        const struct report_failure *why,
                        const char *revision)
{
    report_error_release(e);
    e->ev.status = status;
    e->ev.exit_code = exit_code;
    e->message = redacted(rp, message ? message : "");
    if (why && why->reason) {
        e->reason = redacted(rp, why->reason);
        e->file = why->file ? xstrdup(why->file) : NULL;
        e->ev.line = why->line;
    } else {
        split_location(e, e->message);
    }
    if (why && why->db) {
        e->sqlstate = xstrdup(why->db->sqlstate);
        e->detail = redacted(rp, why->db->detail);
        e->hint = redacted(rp, why->db->hint);
    }
    e->revision = revision ? xstrdup(revision) : NULL;
    error_link(e);
}

void report_step_end(struct report *rp, const struct plan *p, size_t i,
                     int status, double seconds,
                     const struct mgr_error *err,
                     const struct report_failure *why)
{
    struct mgr_event ev;
    struct mgr_event_step step;
    const struct plan_step *ps = &p->steps[i];

    if (!rp)
        return;
    fill_step(&step, p, i);
    report_event_init(&ev, MGR_EV_STEP_END);
    ev.step = &step;
    ev.status = status;
    ev.seconds = seconds;
    if (status != MGR_OK) {
        build_error(rp, &rp->step_error, status,
                    mgr_status_exit_code(status), err ? err->msg : "", why,
                    ps->rev ? ps->rev->id : NULL);
        rp->has_step_error = true;
        ev.error = &rp->step_error.ev;
    } else {
        rp->steps_run++;
    }
    report_emit(rp, &ev);
}

void report_committed(struct report *rp, size_t n)
{
    if (rp)
        rp->steps_committed = n;
}

void report_commit_unknown(struct report *rp, size_t n)
{
    if (rp && n > rp->steps_committed)
        rp->steps_unknown = n - rp->steps_committed;
}

void report_rewind(struct report *rp, size_t n)
{
    if (rp && rp->steps_run > n)
        rp->steps_run = n;
}

void report_forget_steps(struct report *rp)
{
    if (!rp)
        return;
    rp->steps_run = 0;
    rp->steps_committed = 0;
    rp->steps_unknown = 0;
}

void report_failure(struct report *rp, int status, int exit_code,
                    const char *message)
{
    struct mgr_event ev;

    if (!rp || status == MGR_OK)
        return;
    if (rp->has_step_error && rp->step_error.ev.status == status) {
        /* The step's own error, with its SQLSTATE and the like. */
        report_error_release(&rp->error);
        rp->error = rp->step_error;
        memset(&rp->step_error, 0, sizeof(rp->step_error));
        rp->has_step_error = false;
        rp->error.ev.exit_code = exit_code;
        free(rp->error.message);
        rp->error.message = redacted(rp, message);
        error_link(&rp->error);
    } else {
        build_error(rp, &rp->error, status, exit_code, message, NULL, NULL);
    }
    rp->has_error = true;
    report_event_init(&ev, MGR_EV_ERROR);
    ev.status = status;
    ev.error = &rp->error.ev;
    report_emit(rp, &ev);
}

/* ---- listings and output --------------------------------------------- */

static const char **node_ids(const struct graph *g, const size_t *v,
                             size_t n)
{
    const char **ids = xcalloc(n ? n : 1, sizeof(*ids));

    for (size_t i = 0; i < n; i++)
        ids[i] = graph_id(g, v[i]);
    return ids;
}

static unsigned node_flags(const struct graph *g, size_t i, bool current)
{
    unsigned f = 0;

    if (graph_is_head(g, i))
        f |= MGR_REV_HEAD;
    if (graph_is_real_head(g, i))
        f |= MGR_REV_REAL_HEAD;
    if (graph_is_base(g, i))
        f |= MGR_REV_BASE;
    if (graph_is_branch_point(g, i))
        f |= MGR_REV_BRANCHPOINT;
    if (graph_is_merge_point(g, i))
        f |= MGR_REV_MERGEPOINT;
    if (current)
        f |= MGR_REV_CURRENT;
    return f;
}

void report_record(struct report *rp, enum mgr_record_kind kind,
                   bool verbose, const struct graph *g, size_t i,
                   bool current, const char *text)
{
    const struct graph_node *nd = &g->nodes[i];
    const struct revision *r = nd->rev;
    struct mgr_event_revision rev;
    struct mgr_event ev;
    const char **parents, **children;

    if (!rp) {
        fputs(text, stdout);
        return;
    }
    parents = node_ids(g, nd->down, nd->ndown);
    children = node_ids(g, nd->next, nd->nnext);
    memset(&rev, 0, sizeof(rev));
    rev.id = r->id;
    rev.message = r->message ? r->message : "";
    rev.doc = r->doc ? r->doc : "";
    rev.path = r->path;
    rev.create_date = r->create_date ? r->create_date : "";
    rev.parents = parents;
    rev.nparents = nd->ndown;
    rev.depends_on = (const char *const *)r->depends;
    rev.ndepends_on = r->ndepends;
    rev.labels = nd->labels;
    rev.nlabels = nd->nlabels;
    rev.children = children;
    rev.nchildren = nd->nnext;
    rev.flags = node_flags(g, i, current);
    report_event_init(&ev, MGR_EV_RECORD);
    ev.record_kind = kind;
    ev.revision = &rev;
    ev.verbose = verbose;
    ev.text = text;
    report_emit(rp, &ev);
    free(parents);
    free(children);
}

void report_list_item(void *lister, size_t node, bool current,
                      const char *text)
{
    struct report_lister *l = lister;

    report_record(l->report, l->kind, l->verbose, l->graph, node, current,
                  text);
}

void report_output(struct report *rp, const char *text, size_t len)
{
    struct mgr_event ev;
    char *copy;

    if (!rp) {
        fwrite(text, 1, len, stdout);
        return;
    }
    copy = xstrndup(text, len);
    report_event_init(&ev, MGR_EV_OUTPUT);
    ev.text = copy;
    report_emit(rp, &ev);
    free(copy);
}

void report_outputf(struct report *rp, const char *fmt, ...)
{
    struct mgr_buf text = MGR_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    mgr_buf_vaddf(&text, fmt, ap);
    va_end(ap);
    report_output(rp, text.buf, text.len);
    mgr_buf_release(&text);
}

void report_lock_wait(struct report *rp, const char *key,
                      const char *holder, long waited_ms, long wait_ms)
{
    struct mgr_buf text = MGR_BUF_INIT;
    struct mgr_event ev;

    if (!rp)
        return;
    mgr_buf_addf(&text, "waiting for the migration lock '%s' (%.0fs of "
                        "%.0fs)",
                 key ? key : "", (double)waited_ms / 1000.0,
                 (double)wait_ms / 1000.0);
    if (holder && *holder)
        mgr_buf_addf(&text, ": held by %s", holder);
    report_redact(rp, &text);
    report_event_init(&ev, MGR_EV_LOCK_WAIT);
    ev.lock_key = key ? key : "";
    ev.holder = holder ? holder : "";
    ev.waited = (double)waited_ms / 1000.0;
    ev.lock_wait = (double)wait_ms / 1000.0;
    ev.text = text.buf;
    report_emit(rp, &ev);
    mgr_buf_release(&text);
}

void report_finding(struct report *rp, const struct mgr_event_finding *f)
{
    struct mgr_event ev;

    if (!rp)
        return;
    report_event_init(&ev, MGR_EV_FINDING);
    ev.finding = f;
    report_emit(rp, &ev);
}

void report_trace(struct report *rp, const struct mgr_event_trace *t)
{
    struct mgr_event ev;

    if (!rp)
        return;
    report_event_init(&ev, MGR_EV_TRACE);
    ev.trace = t;
    report_emit(rp, &ev);
}
