/*
 * junit.h: what the JUnit reporter collects from the events of one
 * command (reporter_junit.c) and writes as one JUnit XML document when the
 * report is closed (junit_write.c).
 */
#ifndef MGR_REPORTER_JUNIT_H
#define MGR_REPORTER_JUNIT_H

#include <stddef.h>
#include <stdio.h>

#include <migrator/plugin.h>

/* A failure, copied from a struct mgr_event_error (or made up). */
struct junit_fail {
    char *message;  /* the whole message */
    char *reason;   /* the short one: the failure's message attribute */
    char *type;     /* the SQLSTATE, else "exit N" */
    char *file;     /* NULL: not known */
    int line;       /* 0: not known */
    char *sqlstate; /* the rest: "" when not known */
    char *detail;
    char *hint;
};

/* Where a step of the plan got to. */
enum junit_step_state {
    JUNIT_PLANNED = 0,
    JUNIT_STARTED,
    JUNIT_ENDED,
};

struct junit_step {
    size_t index;              /* 1-based position in the plan */
    enum mgr_step_action action;
    char *revision;            /* NULL: none (a stamp step) */
    char *message;
    char *path;                /* NULL: none */
    enum junit_step_state state;
    double seconds;
    struct junit_fail *fail;   /* a failed step's error, else NULL */
};

/* Text being collected: s is NULL until something is added, then
 * NUL-terminated. */
struct junit_text {
    char *s;
    size_t len, alloc;
};

/* A finding of `migrator lint`: a testcase of its own. */
struct junit_finding {
    char *classname; /* the script, or "migrator.lint" without one */
    char *name;      /* "<rule> at line <N>" */
    char *file;      /* NULL: not known */
    int line;        /* 0: not known */
    char *rule;      /* the failure's type */
    char *message;   /* the failure's message */
    int error;       /* an error: a failure; else a pass with output */
    struct junit_text text; /* location and message, statement, hint,
                               table size, trace: one item a line */
};

/* One open report. Strings are copies owned by it (api->alloc). */
struct junit_report {
    const struct mgr_host_api *api;
    FILE *out;          /* the host's */
    const char *path;   /* the report file, or NULL (borrowed) */

    char *command;      /* "" until known */
    char *target;       /* NULL: none */
    char *database;     /* NULL: none */
    int offline;
    int have_start;     /* RUN_START seen: start_time is valid */
    double start_time;  /* RUN_START's wall clock */
    double seconds;     /* the command's duration so far */

    struct junit_step *steps; /* planned or run, in plan order */
    size_t nsteps, alloc;

    struct junit_finding *findings; /* lint's, in script order */
    size_t nfindings, findings_alloc;

    int ended;              /* RUN_END seen */
    size_t steps_committed; /* RUN_END's */
    int failed;             /* an ERROR, or RUN_END with a failure */
    int exit_code;          /* RUN_END's */
    struct junit_fail *run_fail; /* the command's error, or NULL */

    struct junit_text sysout; /* warnings, output and lint traces, in
                                 order */
};

/*
 * Write the whole document to r->out. Returns MGR_OK, or MGR_EIO when
 * the stream reports a write error (checked after a fflush).
 */
int junit_write(const struct junit_report *r);

#endif
