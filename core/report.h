/*
 * report.h: the reports of one command. A report is a reporter plugin
 * writing to a stream; the commands and the runner describe what happens
 * through the functions below, which build struct mgr_event (plugin.h)
 * and hand it to every open report. Nothing here formats text for
 * people: that is the reporters' work.
 *
 * Which reports a command gets (report_open):
 *   - the reporter named by --reporter, else `reporter =` in the config,
 *     else "text", writing to --report-file when given, else to stdout;
 *   - the text reporter on the terminal as well, when that report went to
 *     a file (so people still see the run);
 *   - one more report per --report NAME:PATH.
 *
 * A report that fails to write is closed with a warning; the command goes
 * on (the database work does not depend on its report), and
 * report_finish() then returns MGR_EIO.
 *
 * One command per process: the open report is also reachable from the
 * log (warnings become MESSAGE events) and from the host API
 * (lock_waiting), which have no context pointer.
 */
#ifndef MGR_CORE_REPORT_H
#define MGR_CORE_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/plugin.h>

struct mgr_ctx;
struct graph;
struct plan;
struct report;

/* --report NAME[:PATH], in command-line order. */
struct report_spec {
    const char *reporter;
    const char *path; /* NULL: stdout */
};

/*
 * Load the reporters and open the reports of ctx (ctx->config may be
 * NULL when it failed to load: the failure is then reported). Sets
 * ctx->report. A report file that cannot be created, or a reporter that
 * cannot be loaded, fails with MGR_EUSAGE or the loader's status before
 * anything runs.
 */
int report_open(struct mgr_ctx *ctx, const char *command);

/*
 * As report_open, but without reporters: every event goes to fn (may be
 * NULL) and nowhere else (mgr_project_upgrade()).
 */
int report_open_listener(struct mgr_ctx *ctx, const char *command,
                         mgr_event_fn fn, void *fn_ctx);

/*
 * From now on, keep what the log prints (warnings at least) for the
 * reports: lines logged before report_open() go to the reports after
 * RUN_START. report_drop_held_logs() forgets them (a command without
 * reports, at exit).
 */
void report_hold_logs(void);
void report_drop_held_logs(void);

/*
 * The command's target (its revision arguments, joined by spaces; may be
 * NULL) and whether it runs offline (--sql). Call before the first
 * event: RUN_START goes out with the first event.
 */
void report_set_target(struct report *rp, const char *target,
                       bool offline);

/*
 * The end of the command: an ERROR event when status is a failure
 * (message is what main prints), then RUN_END; every report is closed
 * and rp freed. Returns MGR_EIO when a report could not be written.
 */
void report_failure(struct report *rp, int status, int exit_code,
                    const char *message);
int report_finish(struct report *rp, int status, int exit_code);

/* The plan made (before the first step; also offline). */
void report_plan(struct report *rp, const struct plan *p);

/*
 * A statement failure, field by field, as the runner knows it; every
 * pointer may be NULL.
 */
struct report_failure {
    const char *file;
    int line;
    const char *reason; /* the database's message */
    const struct mgr_db_error *db;
};

/* Step i of p begins / ended (err and why describe a failure). */
void report_step_start(struct report *rp, const struct plan *p, size_t i);
void report_step_end(struct report *rp, const struct plan *p, size_t i,
                     int status, double seconds,
                     const struct mgr_error *err,
                     const struct report_failure *why);
/* The first n steps of the plan are committed. */
void report_committed(struct report *rp, size_t n);
/* The steps up to the n-th were sent a COMMIT that was never confirmed:
 * whether those after the committed ones count is unknown. */
void report_commit_unknown(struct report *rp, size_t n);
/* The steps so far ran on a scratch database that is gone (lint --trace,
 * test): RUN_END counts none of them as run or committed. */
void report_forget_steps(struct report *rp);
/* The steps from the n-th on were rolled back to run again: count them
 * once, when they finish again. */
void report_rewind(struct report *rp, size_t n);

/* Node i of g as an item of a listing, with its Alembic text. */
void report_record(struct report *rp, enum mgr_record_kind kind,
                   bool verbose, const struct graph *g, size_t i,
                   bool current, const char *text);

/* A revfmt_item_fn (revfmt.h) context: each item becomes a record. */
struct report_lister {
    struct report *report;
    const struct graph *graph;
    enum mgr_record_kind kind;
    bool verbose;
};
void report_list_item(void *lister, size_t node, bool current,
                      const char *text);

/* Command output without a structured form. With rp NULL (no reports)
 * it goes to stdout as it is, and so does a record's text. */
void report_output(struct report *rp, const char *text, size_t len);
void report_outputf(struct report *rp, const char *fmt, ...)
    MGR_PRINTF(2, 3);

/* lint: a finding, and a statement traced on a scratch database. */
void report_finding(struct report *rp, const struct mgr_event_finding *f);
void report_trace(struct report *rp, const struct mgr_event_trace *t);

/* The migration lock is held by someone else (the host's lock wait, and
 * the lock_waiting upcall of ABI 1.0 dialects). rp may be NULL. */
void report_lock_wait(struct report *rp, const char *key,
                      const char *holder, long waited_ms, long wait_ms);

#endif
