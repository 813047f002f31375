/*
 * report_internal.h: what report.c (the reports and their streams) and
 * report_events.c (building the events) share.
 */
#ifndef MGR_CORE_REPORT_INTERNAL_H
#define MGR_CORE_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "report.h"
#include "report_file.h"

struct mgr_loaded_plugin;

struct report_sink {
    const struct mgr_loaded_plugin *plugin;
    void *sink;          /* the reporter's, from open */
    FILE *file;          /* a report file we opened, or NULL (stdout) */
    char *path;          /* its path */
    struct report_file rf; /* the file behind file */
    bool closed;         /* closed, or stopped after a write error */
    bool failed;         /* a write failed: the file is not kept */
    struct mgr_report_target target;
};

/* An error event and the strings it points to. */
struct report_error {
    struct mgr_event_error ev;
    char *message, *reason, *file, *sqlstate, *detail, *hint, *revision;
};

struct report {
    struct report_sink **sinks; /* each its own allocation: reporters
                                   keep a pointer to its target */
    size_t nsinks;
    const char *command;    /* borrowed: the command table's name */
    struct timespec t0;     /* CLOCK_MONOTONIC at report_open */
    char *target;
    bool offline;
    char *url;              /* database_url, for redaction */
    char *database;         /* the URL, masked */
    bool started;           /* RUN_START went out */
    bool io_failed;
    size_t steps_run;
    size_t steps_committed;
    size_t steps_unknown; /* after steps_committed: COMMIT lost */
    struct report_error step_error; /* the last failed step's */
    bool has_step_error;
    struct report_error error;      /* the command's */
    bool has_error;
    struct mgr_plugin_set *plugins; /* whose lock_waiting upcall reports
                                       here while open; borrowed */
    mgr_event_fn listener;          /* sees every event first, or NULL */
    void *listener_ctx;
};

/* An event of type with size set and everything else zero. */
void report_event_init(struct mgr_event *ev, enum mgr_event_type type);
/* Stamp ev (command, time, elapsed) and hand it to every report;
 * RUN_START goes out first if it has not. */
void report_emit(struct report *rp, struct mgr_event *ev);
double report_elapsed(const struct report *rp);
/* Mask the database password wherever it appears in text (R11). */
void report_redact(const struct report *rp, struct mgr_buf *text);

void report_message(struct report *rp, int level, const char *text);
void report_error_release(struct report_error *e);

#endif
