/*
 * reporter_text.c: the default reporter, for people.
 *
 * Listings and command output go to the report's out (stdout) exactly as
 * the host rendered them in Alembic's formats. A run is narrated on the
 * log stream (stderr, as Alembic's logging does): one "Running upgrade
 * A -> B, message" line per step, and a summary line at the end. On a
 * terminal a progress line ("[3/8] b2e8f0a4c6d3 add leases 0.41s") sits
 * under those lines and is redrawn in place, and colour marks revisions,
 * success and failure. -q leaves only errors, which the host prints.
 *
 * A text report written to a file gets everything, warnings and errors
 * included (on a terminal those reach stderr through the host's log), and
 * never escape codes.
 *
 * `migrator lint` findings and traces are the command's output, so they go
 * to out, in blocks for people (squawk's layout): a finding's location,
 * severity, rule and message, then the statement's first line, the hint,
 * the table's size and what the trace saw; a traced statement's locks,
 * rewrites and constraints. -q keeps only the findings of errors. Text from
 * the scripts and the database reaches the terminal without its control
 * characters (put_clean).
 *
 * Everything else that comes from scripts, their headers or the database
 * (messages, revision ids, errors, listings, a lock holder's query) is
 * written with its control characters escaped (visible.h): an ESC or OSC
 * sequence in a message must not drive the reader's terminal. Command
 * output (offline SQL, a schema dump) is data: it is escaped only when
 * it goes to a terminal, and written byte for byte to a pipe or a file.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <migrator/plugin.h>

#include "lint_text.h"
#include "plugin_state.h"
#include "utf8.h"
#include "visible.h"

#define RESET "\033[0m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define CYAN "\033[36m"

struct text_sink {
    const struct mgr_host_api *api;
    const struct mgr_report_target *t;
    int drawn;           /* a progress line is on the screen */
    size_t nplan;        /* steps planned (0: not a run) */
    int planned;         /* a PLAN came */
    int offline;
    size_t failed_index; /* the step that failed, or 0 */
    char failed_revision[64];
    size_t lint_blocks;  /* findings and traces written */
    FILE *line;          /* put_running_line's, kept for the next line */
    char *line_text;
    size_t line_size;
};

static const char *paint(const struct text_sink *s, const char *code)
{
    return s->t->color ? code : "";
}

/* Erase the progress line, if one is drawn. */
static void clear_progress(struct text_sink *s)
{
    if (!s->drawn)
        return;
    fputs("\r\033[K", s->t->log);
    s->drawn = 0;
}

static int quiet(const struct text_sink *s)
{
    return s->t->verbosity < 0;
}

static int to_file(const struct text_sink *s)
{
    return s->t->path != NULL;
}

static void put_joined(FILE *f, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        visible_puts(f, v[i], 0);
    }
}

static const char *action_word(enum mgr_step_action a)
{
    switch (a) {
    case MGR_STEP_UPGRADE: return "upgrade";
    case MGR_STEP_DOWNGRADE: return "downgrade";
    case MGR_STEP_STAMP: break;
    }
    return "stamp_revision";
}

/*
 * Alembic's "Running upgrade a1 -> b2, message", written at once: stderr
 * is unbuffered, and a run of many revisions would otherwise cost a
 * handful of writes per line. Ids and message are escaped (visible.h).
 */
static void put_running_line(struct text_sink *s,
                             const struct mgr_event_step *st)
{
    long len;

    /* One stream for every line: a run of many revisions would spend
     * more on making one per line than on the line itself. */
    if (!s->line)
        s->line = open_memstream(&s->line_text, &s->line_size);
    if (!s->line)
        return;
    rewind(s->line);
    fprintf(s->line, "Running %s ", action_word(st->action));
    put_joined(s->line, st->from, st->nfrom);
    fprintf(s->line, " -> %s", paint(s, YELLOW));
    put_joined(s->line, st->to, st->nto);
    fputs(paint(s, RESET), s->line);
    if (st->action != MGR_STEP_STAMP && st->revision) {
        fputs(", ", s->line);
        visible_puts(s->line, st->message, 0);
    }
    fputc('\n', s->line);
    /* The line is what lies before the position: a longer line before it
     * may have left more in the buffer. */
    if (fflush(s->line) == 0 && (len = ftell(s->line)) > 0)
        fwrite(s->line_text, 1, (size_t)len, s->t->log);
}

static size_t terminal_width(FILE *f)
{
    struct winsize ws;

    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
        return ws.ws_col;
    return 80;
}

/* Append at most room more characters of text (UTF-8 aware) to line. */
static void add_clipped(char *line, size_t cap, const char *text,
                        size_t *room)
{
    size_t len = strlen(line);

    for (const unsigned char *p = (const unsigned char *)text;
         *p && len + 1 < cap; p++) {
        bool starts_char = !utf8_is_continuation(*p);

        if (starts_char && *room == 0)
            break;
        if (*p < 0x20u || *p == 0x7fu)
            continue; /* a newline would break the line in two */
        if (*p == 0xc2u && p[1] >= 0x80u && p[1] < 0xa0u) {
            p++; /* a C1 control (U+0080 to U+009F) */
            continue;
        }
        if (starts_char)
            (*room)--;
        line[len++] = (char)*p;
    }
    line[len] = '\0';
}

/* "[3/8] b2e8f0a4c6d3 add leases" clipped to the terminal, then tail. */
static void draw_progress(struct text_sink *s,
                          const struct mgr_event_step *st, const char *tail,
                          const char *tail_color)
{
    char line[1024], head[64];
    size_t room = terminal_width(s->t->log) - 1;

    snprintf(head, sizeof(head), "[%zu/%zu] ", st->index, s->nplan);
    line[0] = '\0';
    add_clipped(line, sizeof(line), head, &room);
    add_clipped(line, sizeof(line), st->revision ? st->revision : "stamp",
                &room);
    if (st->message && *st->message && room > strlen(tail) + 2) {
        size_t for_message = room - strlen(tail) - 1;

        add_clipped(line, sizeof(line), " ", &for_message);
        add_clipped(line, sizeof(line), st->message, &for_message);
        room = strlen(tail) + 1;
    }
    clear_progress(s);
    fprintf(s->t->log, "%s%s%s %s%s%s", paint(s, DIM), line,
            paint(s, RESET), paint(s, tail_color), tail, paint(s, RESET));
    fflush(s->t->log);
    s->drawn = 1;
}

static void on_step_start(struct text_sink *s, const struct mgr_event *ev)
{
    if (quiet(s))
        return;
    clear_progress(s);
    put_running_line(s, ev->step);
    if (s->t->progress)
        draw_progress(s, ev->step, "...", DIM);
    else
        fflush(s->t->log);
}

static void on_step_end(struct text_sink *s, const struct mgr_event *ev)
{
    char tail[64];
    int ok = ev->status == MGR_OK;

    if (!ok) {
        s->failed_index = ev->step->index;
        snprintf(s->failed_revision, sizeof(s->failed_revision), "%s",
                 ev->step->revision ? ev->step->revision : "stamp");
    }
    if (quiet(s) || !s->t->progress)
        return;
    snprintf(tail, sizeof(tail), "%.2fs%s", ev->seconds,
             ok ? "" : " failed");
    draw_progress(s, ev->step, tail, ok ? GREEN : RED);
}

/* What of a failed run stays: committed, rolled back, or unknown when
 * the connection was lost during a COMMIT. */
static void put_committed(FILE *f, const struct mgr_event *ev)
{
    size_t unknown = MGR_EVENT_HAS(ev, steps_unknown) ? ev->steps_unknown
                                                      : 0;

    if (ev->steps_committed == 0 && unknown == 0)
        fputs("nothing was committed", f);
    else if (ev->steps_committed)
        fprintf(f, "the first %zu step%s stay committed",
                ev->steps_committed, ev->steps_committed == 1 ? "" : "s");
    if (unknown == 1)
        fprintf(f, "%sthe outcome of step %zu is unknown",
                ev->steps_committed ? "; " : "", ev->steps_committed + 1);
    else if (unknown)
        fprintf(f, "%sthe outcome of steps %zu to %zu is unknown",
                ev->steps_committed ? "; " : "", ev->steps_committed + 1,
                ev->steps_committed + unknown);
}

/* "upgrade: 8 steps in 0.35s" or where and how it failed. */
static void put_summary(struct text_sink *s, const struct mgr_event *ev)
{
    FILE *f = s->t->log;
    const char *cmd = ev->command ? ev->command : "run";

    if (ev->status == MGR_OK) {
        fprintf(f, "%s%s: %zu step%s done in %.2fs%s\n",
                paint(s, GREEN), cmd, ev->steps_run,
                ev->steps_run == 1 ? "" : "s", ev->seconds,
                paint(s, RESET));
        return;
    }
    fprintf(f, "%s%s: failed", paint(s, RED), cmd);
    if (s->failed_index) {
        fprintf(f, " at step %zu of %zu (", s->failed_index, s->nplan);
        visible_puts(f, s->failed_revision, 0);
        putc(')', f);
    }
    fprintf(f, " after %.2fs; ", ev->seconds);
    put_committed(f, ev);
    fprintf(f, "%s\n", paint(s, RESET));
}

static void on_run_end(struct text_sink *s, const struct mgr_event *ev)
{
    clear_progress(s);
    /* Only runs that made a plan and had something to do, or failed
     * after planning, get a summary. */
    if (quiet(s) || !s->planned || s->offline)
        return;
    if (s->nplan == 0 && ev->status == MGR_OK)
        return;
    put_summary(s, ev);
}

/* What the host logs on the terminal; a file gets it here. */
static void on_diagnostic(struct text_sink *s, const char *level,
                          const char *text)
{
    clear_progress(s);
    if (!to_file(s))
        return;
    fprintf(s->t->log, "migrator: %s: ", level);
    visible_puts(s->t->log, text, VISIBLE_KEEP_NEWLINE | VISIBLE_KEEP_TAB);
    putc('\n', s->t->log);
}

static const char *level_word(int level)
{
    switch (level) {
    case MGR_LOG_ERR: return "error";
    case MGR_LOG_WARNING: return "warning";
    case MGR_LOG_INFO: return "info";
    }
    return "debug";
}

/* Command output: data, written as is unless a terminal shows it. */
static void put_out(struct text_sink *s, const char *text)
{
    clear_progress(s);
    if (!to_file(s) && isatty(fileno(s->t->out)))
        visible_puts(s->t->out, text, VISIBLE_KEEP_NEWLINE | VISIBLE_KEEP_TAB);
    else
        fputs(text ? text : "", s->t->out);
}

/* A listing (heads, history, show...): for people, always escaped. */
static void put_record(struct text_sink *s, const char *text)
{
    clear_progress(s);
    visible_puts(s->t->out, text, VISIBLE_KEEP_NEWLINE | VISIBLE_KEEP_TAB);
}

/* ---- lint -------------------------------------------------------------- */

/*
 * Write len bytes of s, from a script or the database, so that the
 * terminal shows them and obeys none: a tab becomes a space, any other
 * control character and any byte that starts no UTF-8 sequence a '?'.
 */
static void put_clean(FILE *f, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    while (len) {
        uint32_t cp = *p;
        size_t n = cp < 0x80u ? 1 : utf8_decode(p, len, &cp);

        if (n == 0)
            putc('?', f);
        else if (cp == '\t')
            putc(' ', f);
        else if (visible_is_control(cp))
            putc('?', f);
        else
            fwrite(p, 1, n, f);
        n = n ? n : 1;
        p += n;
        len -= n;
    }
}

static void put_clean_str(FILE *f, const char *s)
{
    if (s)
        put_clean(f, s, strlen(s));
}

/* The lint_sink of out: what came with the event is cleaned. */
static void lint_to_out(void *ctx, const char *text, size_t n, int data)
{
    struct text_sink *s = ctx;

    if (data)
        put_clean(s->t->out, text, n);
    else
        fwrite(text, 1, n, s->t->out);
}

static const char *severity_color(enum mgr_severity sev)
{
    switch (sev) {
    case MGR_SEVERITY_ERROR: return RED;
    case MGR_SEVERITY_WARNING: return YELLOW;
    case MGR_SEVERITY_NOTICE: break;
    }
    return CYAN;
}

/* Start a block of lint output: findings stand apart by a blank line. */
static void begin_lint_block(struct text_sink *s, int finding)
{
    clear_progress(s);
    if (finding && s->lint_blocks)
        putc('\n', s->t->out);
    s->lint_blocks++;
}

/*
 * versions/0003_add_rent.sql:12: error[adding-required-field] message
 *   12 | ALTER TABLE units ADD COLUMN rent numeric NOT NULL
 *   hint: first line
 *         next line
 *   table: units (1.2 M rows, 340 MB)
 *   trace: confirmed
 */
static void on_finding(struct text_sink *s, const struct mgr_event_finding *f)
{
    const struct lint_sink o = { lint_to_out, s };
    const char *sev = lint_severity_name(f);
    FILE *out = s->t->out;
    char size[LINT_WORDS_SIZE];

    if (quiet(s) && f->severity < MGR_SEVERITY_ERROR)
        return;
    begin_lint_block(s, 1);
    lint_put_where(&o, f->file, f->line);
    fprintf(out, "%s", paint(s, severity_color(f->severity)));
    put_clean_str(out, sev ? sev : "finding");
    fprintf(out, "%s[", paint(s, RESET));
    put_clean_str(out, f->rule);
    fputs("] ", out);
    put_clean_str(out, f->message);
    putc('\n', out);
    if (lint_has_text(f->statement)) {
        if (f->line > 0)
            fprintf(out, "  %d | ", f->line);
        else
            fputs("  | ", out);
        lint_put_first_line(&o, lint_statement_at(f->statement,
                                                  f->statement_line,
                                                  f->line));
        putc('\n', out);
    }
    lint_put_lines(&o, "  hint: ", "        ", f->hint);
    if (f->table && *f->table) {
        fputs("  table: ", out);
        put_clean_str(out, f->table);
        lint_size(size, sizeof(size), f->rows, f->bytes);
        if (*size)
            fprintf(out, " (%s)", size);
        putc('\n', out);
    }
    if (f->trace && *f->trace) {
        fputs("  trace: ", out);
        put_clean_str(out, f->trace);
        putc('\n', out);
    }
}

/* A traced statement: its locks, rewrites and constraints (lint_text.h). */
static void on_trace(struct text_sink *s, const struct mgr_event_trace *t)
{
    const struct lint_sink o = { lint_to_out, s };

    if (quiet(s))
        return;
    begin_lint_block(s, 0);
    lint_put_trace(&o, t);
}

/* ---- events ------------------------------------------------------------ */

static void dispatch(struct text_sink *s, const struct mgr_event *ev)
{
    switch (ev->type) {
    case MGR_EV_RUN_START:
        s->offline = ev->offline;
        break;
    case MGR_EV_PLAN:
        s->planned = 1;
        s->nplan = ev->nplan;
        break;
    case MGR_EV_STEP_START: on_step_start(s, ev); break;
    case MGR_EV_STEP_END: on_step_end(s, ev); break;
    case MGR_EV_RECORD: put_record(s, ev->text); break;
    case MGR_EV_OUTPUT: put_out(s, ev->text); break;
    case MGR_EV_MESSAGE: on_diagnostic(s, level_word(ev->level), ev->text);
        break;
    case MGR_EV_ERROR:
        on_diagnostic(s, "error", ev->error ? ev->error->message : "");
        break;
    case MGR_EV_LOCK_WAIT:
        clear_progress(s);
        if (!quiet(s)) {
            fputs("migrator: ", s->t->log);
            visible_puts(s->t->log, ev->text, 0);
            putc('\n', s->t->log);
        }
        break;
    case MGR_EV_RUN_END: on_run_end(s, ev); break;
    case MGR_EV_FINDING: /* 1.3: a 1.2 host sends none */
        if (MGR_EVENT_HAS(ev, finding) && ev->finding)
            on_finding(s, ev->finding);
        break;
    case MGR_EV_TRACE:
        if (MGR_EVENT_HAS(ev, trace) && ev->trace)
            on_trace(s, ev->trace);
        break;
    }
}

/* Called right after the failed write or flush: errno is its cause. */
static int write_failed(const struct text_sink *s, struct mgr_error *err)
{
    int e = errno;

    return s->api->error_set(err, MGR_EIO, "cannot write the report to %s: %s",
                             s->t->path ? s->t->path : "the terminal",
                             e ? strerror(e) : "write error");
}

static int text_event(void *sink, const struct mgr_event *ev,
                      struct mgr_error *err)
{
    struct text_sink *s = sink;

    /* The events of 1.0 reach to lock_wait; an older host's are not
     * read past their size. */
    if (!MGR_EVENT_HAS(ev, lock_wait))
        return MGR_OK;
    dispatch(s, ev);
    if (ferror(s->t->out) || ferror(s->t->log))
        return write_failed(s, err);
    return MGR_OK;
}

static int text_open(void *state, const struct mgr_report_target *t,
                     void **sink_out, struct mgr_error *err)
{
    const struct plugin_state *st = state;
    struct text_sink *s = calloc(1, sizeof(*s));

    if (!s)
        return st->api->error_set(err, MGR_ENOMEM, "out of memory");
    s->api = st->api;
    s->t = t;
    *sink_out = s;
    return MGR_OK;
}

static int text_close(void *sink, struct mgr_error *err)
{
    struct text_sink *s = sink;
    int rc = MGR_OK;

    clear_progress(s);
    if (fflush(s->t->out) != 0 || fflush(s->t->log) != 0)
        rc = write_failed(s, err);
    if (s->line)
        fclose(s->line);
    free(s->line_text);
    free(s);
    return rc;
}

static const struct mgr_reporter_ops ops = {
    sizeof(struct mgr_reporter_ops),
    text_open,
    text_event,
    text_close,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_REPORTER, "text", "0.1.0",
                  "text for people: Alembic's lines, progress and colour",
                  plugin_state_init, plugin_state_fini, &ops)
