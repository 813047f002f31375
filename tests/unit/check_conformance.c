/*
 * check_conformance.c: replay the recorded Alembic scenarios
 * (tests/data/conformance/scenarios.txt, made by gen.py) through the
 * engine: graph, targets, plans with their version-table changes, and the
 * text of heads/current/history/branches/show. The version table is a
 * row set in memory. One loop test per scenario.
 *
 * Not covered here (the CLI's part, tested end to end): the SQL text of
 * offline runs (only their plans, "-- Running" lines and where CREATE
 * TABLE goes are checked), `check`'s schema diff, the files `merge` and
 * `revision` write.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/migrator.h>

#include "graph.h"
#include "plan.h"
#include "revfmt.h"
#include "revision.h"
#include "target.h"
#include "util.h"

#ifndef CONFORMANCE_FILE
#define CONFORMANCE_FILE "tests/data/conformance/scenarios.txt"
#endif

/* ---- the fixture ---------------------------------------------------- */

struct strv {
    char **v;
    size_t n;
};

struct fx_op {
    char kind[8];
    char *a, *b;
};

struct fx_ops {
    struct fx_op *v;
    size_t n;
};

struct fx_step {
    struct strv argv;
    int rc;
    char *failed;
    struct strv ran;
    struct fx_ops ops;
    bool has_alt;
    struct fx_ops alt;
    struct strv running;
    int creates; /* -1: not recorded */
    bool rows_none;
    struct strv rows;
    char *out;
    bool unordered;
    bool warn_multi;
    bool has_ours;
    struct strv ours_ran;
    struct strv ours_rows;
    struct strv newrev; /* id, message, doc, path */
};

struct fx_rev {
    struct strv f; /* id, down, deps, labels, message, doc, path */
};

struct fx_scenario {
    char *id;
    char *title;
    struct fx_rev *revs;
    size_t nrevs;
    bool graph_error;
    struct fx_step *steps;
    size_t nsteps;
};

static struct fx_scenario *scenarios;
static size_t nscenarios;

static char *unescape(const char *s)
{
    char *out = xmalloc(strlen(s) + 1), *o = out;

    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *o++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

static void strv_push(struct strv *sv, const char *s)
{
    sv->v = xreallocarray(sv->v, sv->n + 1, sizeof(*sv->v));
    sv->v[sv->n++] = xstrdup(s);
}

static void strv_free(struct strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = 0;
}

/* Split a line at tabs into unescaped fields. */
static struct strv split_line(char *line)
{
    struct strv sv = { NULL, 0 };
    char *p = line;

    for (;;) {
        char *tab = strchr(p, '\t');
        char *u;

        if (tab)
            *tab = '\0';
        u = unescape(p);
        strv_push(&sv, u);
        free(u);
        if (!tab)
            break;
        p = tab + 1;
    }
    return sv;
}

static void ops_push(struct fx_ops *ops, const struct strv *f)
{
    struct fx_op *op;

    ops->v = xreallocarray(ops->v, ops->n + 1, sizeof(*ops->v));
    op = &ops->v[ops->n++];
    memset(op, 0, sizeof(*op));
    snprintf(op->kind, sizeof(op->kind), "%s", f->v[1]);
    op->a = f->n > 2 ? xstrdup(f->v[2]) : NULL;
    op->b = f->n > 3 ? xstrdup(f->v[3]) : NULL;
}

static void ops_free(struct fx_ops *ops)
{
    for (size_t i = 0; i < ops->n; i++) {
        free(ops->v[i].a);
        free(ops->v[i].b);
    }
    free(ops->v);
}

static void rest(struct strv *dst, const struct strv *f)
{
    for (size_t i = 1; i < f->n; i++)
        if (*f->v[i])
            strv_push(dst, f->v[i]);
}

static int load_fixture(const char *path)
{
    FILE *fp = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    struct fx_scenario *sc = NULL;
    struct fx_step *st = NULL;

    if (!fp)
        return -1;
    while ((len = getline(&line, &cap, fp)) >= 0) {
        struct strv f;
        const char *k;

        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        if (!len || line[0] == '#')
            continue;
        f = split_line(line);
        k = f.v[0];
        if (strcmp(k, "scenario") == 0) {
            scenarios = xreallocarray(scenarios, nscenarios + 1,
                                      sizeof(*scenarios));
            sc = &scenarios[nscenarios++];
            memset(sc, 0, sizeof(*sc));
            sc->id = xstrdup(f.v[1]);
            sc->title = xstrdup(f.n > 2 ? f.v[2] : "");
        } else if (strcmp(k, "rev") == 0) {
            sc->revs = xreallocarray(sc->revs, sc->nrevs + 1,
                                     sizeof(*sc->revs));
            memset(&sc->revs[sc->nrevs], 0, sizeof(*sc->revs));
            for (size_t i = 1; i < f.n; i++)
                strv_push(&sc->revs[sc->nrevs].f, f.v[i]);
            sc->nrevs++;
        } else if (strcmp(k, "graph_error") == 0) {
            sc->graph_error = true;
        } else if (strcmp(k, "step") == 0) {
            sc->steps = xreallocarray(sc->steps, sc->nsteps + 1,
                                      sizeof(*sc->steps));
            st = &sc->steps[sc->nsteps++];
            memset(st, 0, sizeof(*st));
            st->creates = -1;
            rest(&st->argv, &f);
        } else if (strcmp(k, "rc") == 0) {
            st->rc = (int)strtol(f.v[1], NULL, 10);
        } else if (strcmp(k, "failed") == 0) {
            st->failed = xstrdup(f.v[1]);
        } else if (strcmp(k, "ran") == 0) {
            rest(&st->ran, &f);
        } else if (strcmp(k, "op") == 0) {
            ops_push(&st->ops, &f);
        } else if (strcmp(k, "alt") == 0) {
            st->has_alt = true;
        } else if (strcmp(k, "alt_op") == 0) {
            ops_push(&st->alt, &f);
        } else if (strcmp(k, "running") == 0) {
            strv_push(&st->running, f.v[1]);
        } else if (strcmp(k, "creates") == 0) {
            st->creates = (int)strtol(f.v[1], NULL, 10);
        } else if (strcmp(k, "rows_none") == 0) {
            st->rows_none = true;
        } else if (strcmp(k, "rows") == 0) {
            rest(&st->rows, &f);
        } else if (strcmp(k, "stdout") == 0) {
            st->out = xstrdup(f.v[1]);
        } else if (strcmp(k, "unordered") == 0) {
            st->unordered = true;
        } else if (strcmp(k, "warn_multi") == 0) {
            st->warn_multi = true;
        } else if (strcmp(k, "ours_ran") == 0) {
            st->has_ours = true;
            rest(&st->ours_ran, &f);
        } else if (strcmp(k, "ours_rows") == 0) {
            rest(&st->ours_rows, &f);
        } else if (strcmp(k, "newrev") == 0) {
            for (size_t i = 1; i < f.n; i++)
                strv_push(&st->newrev, f.v[i]);
        }
        strv_free(&f);
    }
    free(line);
    fclose(fp);
    return 0;
}

static void free_fixture(void)
{
    for (size_t s = 0; s < nscenarios; s++) {
        struct fx_scenario *sc = &scenarios[s];

        for (size_t i = 0; i < sc->nrevs; i++)
            strv_free(&sc->revs[i].f);
        for (size_t i = 0; i < sc->nsteps; i++) {
            struct fx_step *st = &sc->steps[i];

            strv_free(&st->argv);
            free(st->failed);
            strv_free(&st->ran);
            ops_free(&st->ops);
            ops_free(&st->alt);
            strv_free(&st->running);
            strv_free(&st->rows);
            free(st->out);
            strv_free(&st->ours_ran);
            strv_free(&st->ours_rows);
            strv_free(&st->newrev);
        }
        free(sc->revs);
        free(sc->steps);
        free(sc->id);
        free(sc->title);
    }
    free(scenarios);
    scenarios = NULL;
    nscenarios = 0;
}

/* ---- the replay ------------------------------------------------------ */

struct replay {
    const struct fx_scenario *sc;
    struct revision_list revs;
    struct graph *g;
    struct plan_rows rows;
    bool exists;        /* the version table exists */
    struct mgr_buf why; /* failures, one per line */
    size_t nfail;
};

static char **split_commas(const char *s, size_t *n)
{
    char **v = NULL;

    *n = 0;
    if (strcmp(s, "-") == 0)
        return NULL;
    for (;;) {
        const char *c = strchr(s, ',');
        size_t len = c ? (size_t)(c - s) : strlen(s);

        v = xreallocarray(v, *n + 1, sizeof(*v));
        v[(*n)++] = xstrndup(s, len);
        if (!c)
            break;
        s = c + 1;
    }
    return v;
}

static void add_revision(struct replay *rp, const char *id, char **down,
                         size_t ndown, const char *deps, const char *labels,
                         const char *message, const char *doc,
                         const char *path)
{
    struct revision *r = revision_list_add(&rp->revs);

    r->id = xstrdup(id);
    r->down = down;
    r->ndown = ndown;
    r->depends = split_commas(deps, &r->ndepends);
    r->labels = split_commas(labels, &r->nlabels);
    r->message = xstrdup(message);
    r->doc = xstrdup(doc);
    r->create_date = xstrdup("");
    r->path = xstrdup(path);
}

static void miss(struct replay *rp, size_t step, const char *fmt, ...)
    MGR_PRINTF(3, 4);

static void miss(struct replay *rp, size_t step, const char *fmt, ...)
{
    va_list ap;
    const struct strv *argv = &rp->sc->steps[step].argv;

    mgr_buf_addf(&rp->why, "%s step %zu (", rp->sc->id, step + 1);
    for (size_t i = 0; i < argv->n; i++)
        mgr_buf_addf(&rp->why, "%s%s", i ? " " : "", argv->v[i]);
    mgr_buf_addstr(&rp->why, "): ");
    va_start(ap, fmt);
    mgr_buf_vaddf(&rp->why, fmt, ap);
    va_end(ap);
    mgr_buf_addch(&rp->why, '\n');
    rp->nfail++;
}

static void set_rows(struct plan_rows *rows, const struct strv *v)
{
    plan_rows_clear(rows);
    for (size_t i = 0; i < v->n; i++)
        plan_rows_add(rows, v->v[i]);
}

static bool rows_equal(const struct plan_rows *rows, const struct strv *v)
{
    if (rows->len != v->n)
        return false;
    for (size_t i = 0; i < v->n; i++)
        if (!plan_rows_has(rows, v->v[i]))
            return false;
    return true;
}

static void rows_text(struct mgr_buf *b, const struct plan_rows *rows)
{
    for (size_t i = 0; i < rows->len; i++)
        mgr_buf_addf(b, "%s%s", i ? " " : "", rows->ids[i]);
}

static void check_rows(struct replay *rp, size_t step)
{
    const struct fx_step *st = &rp->sc->steps[step];
    struct mgr_buf b = MGR_BUF_INIT;

    if (st->rows_none) {
        if (rp->exists)
            miss(rp, step, "version table exists, expected none");
        return;
    }
    if (!rp->exists && st->rows.n == 0)
        return; /* an absent table reads as no rows */
    if (!rows_equal(&rp->rows, &st->rows)) {
        rows_text(&b, &rp->rows);
        miss(rp, step, "rows are [%s]", b.buf);
    }
    mgr_buf_release(&b);
}

/* Compare output text, as lines in any order if unordered. */
static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *sorted_lines(const char *s)
{
    char *copy = xstrdup(s), **lines = NULL, *p = copy;
    size_t n = 0;
    struct mgr_buf b = MGR_BUF_INIT;

    while (*p) {
        char *nl = strchr(p, '\n');

        lines = xreallocarray(lines, n + 1, sizeof(*lines));
        lines[n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    if (n)
        qsort(lines, n, sizeof(*lines), cmp_line);
    for (size_t i = 0; i < n; i++)
        mgr_buf_addf(&b, "%s\n", lines[i]);
    free(lines);
    free(copy);
    return mgr_buf_detach(&b, NULL);
}

static void check_output(struct replay *rp, size_t step,
                         const struct mgr_buf *out)
{
    const struct fx_step *st = &rp->sc->steps[step];
    const char *want = st->out ? st->out : "";

    if (st->unordered) {
        char *a = sorted_lines(out->buf), *b = sorted_lines(want);

        if (strcmp(a, b) != 0)
            miss(rp, step, "output (any order)\n%s--- expected\n%s", a, b);
        free(a);
        free(b);
    } else if (strcmp(out->buf, want) != 0) {
        miss(rp, step, "output\n%s--- expected\n%s", out->buf, want);
    }
}

/* The step failed as Alembic's did: our status maps to exit 1 or 2. */
static void check_failed(struct replay *rp, size_t step, int rc,
                         const struct mgr_error *err)
{
    int code = mgr_status_exit_code(rc);

    if (rc != MGR_OK)
        printf("%s step %zu: refused (Alembic: %s): %s\n", rp->sc->id,
               step + 1,
               rp->sc->steps[step].failed ? rp->sc->steps[step].failed :
                                            "crash",
               err->msg);
    if (rc == MGR_OK)
        miss(rp, step, "succeeded; expected failure '%s'",
             rp->sc->steps[step].failed ? rp->sc->steps[step].failed : "");
    else if (code != 1 && code != 2)
        miss(rp, step, "exit code %d for '%s'", code, err->msg);
}

static const char *op_kind(enum plan_op_kind k)
{
    return k == PLAN_INSERT ? "INSERT" : k == PLAN_UPDATE ? "UPDATE" :
                                                           "DELETE";
}

static void plan_ops_text(struct mgr_buf *b, const struct plan *p)
{
    if (p->purge)
        mgr_buf_addstr(b, "PURGE;");
    for (size_t i = 0; i < p->nsteps; i++)
        for (size_t k = 0; k < p->steps[i].nops; k++) {
            const struct plan_op *op = &p->steps[i].ops[k];

            mgr_buf_addf(b, "%s %s%s%s;", op_kind(op->kind),
                         op->from ? op->from : op->to,
                         op->kind == PLAN_UPDATE ? " " : "",
                         op->kind == PLAN_UPDATE ? op->to : "");
        }
}

static void fx_ops_text(struct mgr_buf *b, const struct fx_ops *ops)
{
    for (size_t i = 0; i < ops->n; i++)
        mgr_buf_addf(b, "%s%s%s%s%s;", ops->v[i].kind,
                     ops->v[i].a ? " " : "", ops->v[i].a ? ops->v[i].a : "",
                     ops->v[i].b ? " " : "", ops->v[i].b ? ops->v[i].b : "");
}

static void plan_ran_text(struct mgr_buf *b, const struct plan *p)
{
    for (size_t i = 0; i < p->nsteps; i++)
        if (p->steps[i].dir != PLAN_STAMP)
            mgr_buf_addf(b, "%s:%s ",
                         p->steps[i].dir == PLAN_UPGRADE ? "up" : "down",
                         p->steps[i].rev->id);
}

static void strv_text(struct mgr_buf *b, const struct strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        mgr_buf_addf(b, "%s ", v->v[i]);
}

/* Collapse runs of spaces, as the recorded "-- Running" lines are. */
static char *squeeze(const char *s)
{
    char *out = xmalloc(strlen(s) + 1), *o = out;

    for (; *s; s++)
        if (*s != ' ' || (o > out && o[-1] != ' '))
            *o++ = *s;
    while (o > out && o[-1] == ' ')
        o--;
    *o = '\0';
    return out;
}

/* Check a successful plan: ran, ops, offline comments, rows. */
static void check_plan(struct replay *rp, size_t step, struct plan *p,
                       bool offline)
{
    const struct fx_step *st = &rp->sc->steps[step];
    struct mgr_buf got = MGR_BUF_INIT, want = MGR_BUF_INIT;
    struct mgr_error err;

    plan_ran_text(&got, p);
    strv_text(&want, st->has_ours ? &st->ours_ran : &st->ran);
    if (strcmp(got.buf, want.buf) != 0)
        miss(rp, step, "ran '%s', expected '%s'", got.buf, want.buf);
    if (st->warn_multi != (p->warning != NULL))
        miss(rp, step, "warning %s", p->warning ? "given" : "missing");
    if (!st->has_ours) {
        mgr_buf_reset(&got);
        mgr_buf_reset(&want);
        plan_ops_text(&got, p);
        fx_ops_text(&want, &st->ops);
        if (strcmp(got.buf, want.buf) != 0) {
            struct mgr_buf alt = MGR_BUF_INIT;

            fx_ops_text(&alt, &st->alt);
            if (!st->has_alt || strcmp(got.buf, alt.buf) != 0)
                miss(rp, step, "ops '%s', expected '%s'", got.buf,
                     want.buf);
            mgr_buf_release(&alt);
        }
    }
    if (offline) {
        struct plan_rows sim = PLAN_ROWS_INIT;
        int creates = 0;

        for (size_t i = 0; i < p->nstart; i++)
            plan_rows_add(&sim, p->start[i]);
        if (p->nsteps != st->running.n)
            miss(rp, step, "%zu steps, expected %zu '-- Running' lines",
                 p->nsteps, st->running.n);
        for (size_t i = 0; i < p->nsteps; i++) {
            struct mgr_buf line = MGR_BUF_INIT;
            char *sq;

            if (!sim.len)
                creates++;
            revfmt_step(&line, &p->steps[i], false);
            sq = squeeze(line.buf);
            if (i < st->running.n && strcmp(sq, st->running.v[i]) != 0)
                miss(rp, step, "'%s', expected '%s'", sq, st->running.v[i]);
            free(sq);
            mgr_buf_release(&line);
            if (plan_apply_step(&p->steps[i], &sim, &err) != MGR_OK)
                miss(rp, step, "offline rows: %s", err.msg);
        }
        if (creates != st->creates)
            miss(rp, step, "CREATE TABLE %d times, expected %d", creates,
                 st->creates);
        plan_rows_release(&sim);
    } else {
        if (plan_apply(p, &rp->rows, &err) != MGR_OK)
            miss(rp, step, "applying: %s", err.msg);
        if (st->has_ours) {
            if (!rows_equal(&rp->rows, &st->ours_rows))
                miss(rp, step, "rows differ from migrator's definition");
            set_rows(&rp->rows, &st->rows);
        }
    }
    mgr_buf_release(&got);
    mgr_buf_release(&want);
}

static const char *const *rows_argv(const struct replay *rp)
{
    return (const char *const *)rp->rows.ids;
}

static bool has_flag(const struct strv *argv, const char *a, const char *b)
{
    for (size_t i = 1; i < argv->n; i++)
        if (strcmp(argv->v[i], a) == 0 || (b && strcmp(argv->v[i], b) == 0))
            return true;
    return false;
}

/* Positional arguments: skip options and the values of -m, --rev-id, -r. */
static void positional(const struct strv *argv, struct strv *out)
{
    for (size_t i = 1; i < argv->n; i++) {
        const char *a = argv->v[i];

        if (strcmp(a, "-m") == 0 || strcmp(a, "--rev-id") == 0 ||
            strcmp(a, "-r") == 0) {
            i++;
            continue;
        }
        if (a[0] == '-' && a[1] == '-')
            continue;
        if (a[0] == '-' && !(a[1] >= '0' && a[1] <= '9'))
            continue;
        strv_push(out, a);
    }
}

static void rebuild_graph(struct replay *rp, size_t step)
{
    struct mgr_error err;

    graph_free(rp->g);
    rp->g = NULL;
    if (graph_build(&rp->g, rp->revs.items, rp->revs.len, &err) != MGR_OK)
        miss(rp, step, "graph: %s", err.msg);
}

static void run_step(struct replay *rp, size_t step)
{
    const struct fx_step *st = &rp->sc->steps[step];
    const struct strv *argv = &st->argv;
    const char *cmd = argv->v[0];
    struct strv pos = { NULL, 0 };
    struct mgr_buf out = MGR_BUF_INIT;
    struct mgr_error err;
    struct plan p = PLAN_INIT;
    bool sql = has_flag(argv, "--sql", NULL);
    bool verbose = has_flag(argv, "--verbose", "-v");
    int rc = MGR_OK;
    bool is_plan = false, is_output = false;

    memset(&err, 0, sizeof(err));
    positional(argv, &pos);
    if (strcmp(cmd, "!sql") == 0) {
        set_rows(&rp->rows, &st->rows);
        rp->exists = true;
    } else if (strcmp(cmd, "upgrade") == 0 || strcmp(cmd, "downgrade") == 0) {
        bool up = cmd[0] == 'u';
        const char *target = pos.n ? pos.v[0] : "";

        is_plan = true;
        if (sql) {
            rc = up ? plan_upgrade_offline(rp->g, target, &p, &err) :
                      plan_downgrade_offline(rp->g, target, &p, &err);
        } else {
            /* A range is refused before the table is created. */
            rp->exists = rp->exists || !target_is_range(target);
            rc = up ? plan_upgrade(rp->g, rows_argv(rp), rp->rows.len,
                                   target, &p, &err) :
                      plan_downgrade(rp->g, rows_argv(rp), rp->rows.len,
                                     target, &p, &err);
        }
    } else if (strcmp(cmd, "stamp") == 0) {
        bool purge = has_flag(argv, "--purge", NULL);

        is_plan = true;
        if (sql) {
            rc = plan_stamp_offline(rp->g, (const char *const *)pos.v, pos.n,
                                    purge, &p, &err);
        } else {
            rp->exists = true;
            rc = plan_stamp(rp->g, rows_argv(rp), rp->rows.len,
                            (const char *const *)pos.v, pos.n, purge, &p,
                            &err);
        }
    } else if (strcmp(cmd, "current") == 0) {
        is_output = true;
        if (has_flag(argv, "--check-heads", NULL) &&
            !plan_rows_are_heads(rp->g, rows_argv(rp), rp->rows.len, false))
            rc = mgr_error_set(&err, MGR_ECHECK, "not on all heads");
        else
            rc = revfmt_current(&out, rp->g, rows_argv(rp), rp->rows.len,
                                verbose, &err);
    } else if (strcmp(cmd, "heads") == 0) {
        is_output = true;
        revfmt_heads(&out, rp->g, verbose,
                     has_flag(argv, "--resolve-dependencies", NULL));
    } else if (strcmp(cmd, "branches") == 0) {
        is_output = true;
        revfmt_branches(&out, rp->g, verbose);
    } else if (strcmp(cmd, "history") == 0) {
        const char *range = NULL;
        bool ind = has_flag(argv, "-i", "--indicate-current");

        for (size_t i = 1; i + 1 < argv->n; i++)
            if (strcmp(argv->v[i], "-r") == 0)
                range = argv->v[i + 1];
        is_output = true;
        if (revfmt_history_needs_rows(range, ind))
            rc = revfmt_history(&out, rp->g, range, rows_argv(rp),
                                rp->rows.len, verbose, ind, &err);
        else
            rc = revfmt_history(&out, rp->g, range, NULL, 0, verbose, ind,
                                &err);
    } else if (strcmp(cmd, "show") == 0) {
        is_output = true;
        rc = revfmt_show(&out, rp->g, pos.n ? pos.v[0] : "", rows_argv(rp),
                         rp->rows.len, &err);
    } else if (strcmp(cmd, "check") == 0) {
        rp->exists = true;
        if (!plan_rows_are_heads(rp->g, rows_argv(rp), rp->rows.len, true))
            rc = mgr_error_set(&err, MGR_ECHECK, "not up to date");
    } else if (strcmp(cmd, "merge") == 0) {
        struct graph_list parents = GRAPH_LIST_INIT;

        rc = target_merge_parents(rp->g, (const char *const *)pos.v, pos.n,
                                  has_flag(argv, "--splice", NULL),
                                  &parents, &err);
        if (rc == MGR_OK && st->newrev.n < 4)
            rc = mgr_error_set(&err, MGR_EUSAGE, "no revision recorded");
        if (rc == MGR_OK)
            rc = target_check_new_id(rp->g, st->newrev.v[0], &err);
        if (rc == MGR_OK) {
            char **down = xreallocarray(NULL, parents.len + 1,
                                        sizeof(*down));

            for (size_t i = 0; i < parents.len; i++)
                down[i] = xstrdup(graph_id(rp->g, parents.v[i]));
            graph_free(rp->g);
            rp->g = NULL;
            add_revision(rp, st->newrev.v[0], down, parents.len, "-", "-",
                         st->newrev.v[1], st->newrev.v[2], st->newrev.v[3]);
            rebuild_graph(rp, step);
        }
        graph_list_release(&parents);
    } else {
        miss(rp, step, "unknown command in fixture");
    }

    if (st->rc != 0 && !st->has_ours) {
        check_failed(rp, step, rc, &err);
    } else if (rc != MGR_OK) {
        miss(rp, step, "failed: %s", err.msg);
    } else if (is_plan) {
        check_plan(rp, step, &p, sql);
    } else if (is_output) {
        check_output(rp, step, &out);
    }
    if (!sql || strcmp(cmd, "!sql") == 0)
        check_rows(rp, step);
    plan_release(&p);
    mgr_buf_release(&out);
    strv_free(&pos);
}

START_TEST(test_scenario)
{
    const struct fx_scenario *sc = &scenarios[_i];
    struct replay rp;
    struct mgr_error err;
    int rc;

    memset(&rp, 0, sizeof(rp));
    rp.sc = sc;
    mgr_buf_init(&rp.why, 0);
    for (size_t i = 0; i < sc->nrevs; i++) {
        const struct strv *f = &sc->revs[i].f;
        size_t ndown;
        char **down = split_commas(f->v[1], &ndown);

        add_revision(&rp, f->v[0], down, ndown, f->v[2], f->v[3], f->v[4],
                     f->v[5], f->v[6]);
    }
    rc = graph_build(&rp.g, rp.revs.items, rp.revs.len, &err);
    if (sc->graph_error) {
        /* Alembic warns or fails on every step; migrator refuses the
         * graph, naming the file. */
        ck_assert_int_eq(rc, MGR_EGRAPH);
        ck_assert_int_eq(mgr_status_exit_code(rc), 2);
        ck_assert_msg(strstr(err.msg, "<proj>/versions/") != NULL,
                      "%s: error names no file: %s", sc->id, err.msg);
        printf("%s: %zu steps: graph refused: %s\n", sc->id, sc->nsteps,
               err.msg);
    } else {
        ck_assert_msg(rc == MGR_OK, "%s: graph: %s", sc->id, err.msg);
        for (size_t s = 0; s < sc->nsteps && rp.g; s++)
            run_step(&rp, s);
        printf("%s: %zu steps, %zu failures\n", sc->id, sc->nsteps,
               rp.nfail);
    }
    graph_free(rp.g);
    revision_list_release(&rp.revs);
    plan_rows_release(&rp.rows);
    ck_assert_msg(rp.nfail == 0, "%s", rp.why.buf);
    mgr_buf_release(&rp.why);
}
END_TEST

START_TEST(test_fixture_complete)
{
    size_t steps = 0, graph_refused = 0;

    for (size_t s = 0; s < nscenarios; s++) {
        steps += scenarios[s].nsteps;
        if (scenarios[s].graph_error)
            graph_refused += scenarios[s].nsteps;
    }
    /* The recorded oracle: 47 scenarios, 196 commands. */
    ck_assert_uint_eq(nscenarios, 47);
    ck_assert_uint_eq(steps, 196);
    ck_assert_uint_eq(graph_refused, 13);
}
END_TEST

static Suite *conformance_suite(void)
{
    Suite *s = suite_create("conformance");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_fixture_complete);
    tcase_add_loop_test(tc, test_scenario, 0, (int)nscenarios);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    if (load_fixture(CONFORMANCE_FILE) != 0) {
        fprintf(stderr, "cannot read %s\n", CONFORMANCE_FILE);
        return 1;
    }
    sr = srunner_create(conformance_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    free_fixture();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
