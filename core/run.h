/*
 * run.h: struct mgr_run, opaque in <migrator/commands.h>: the context of
 * one command with its reports, and the options it was opened with,
 * copied. The op_*.c files implement the commands on it.
 */
#ifndef MGR_CORE_RUN_H
#define MGR_CORE_RUN_H

#include <stdbool.h>

#include <migrator/commands.h>
#include <migrator/migrator.h>

#include "ctx.h"

struct mgr_run {
    struct mgr_ctx ctx;
    char *command;    /* the reports borrow it */
    char **strings;   /* copies of the options, which ctx points to */
    size_t nstrings;
    bool confirmed;   /* mgr_run_confirm(): a protected database may be
                         downgraded or purged */
    char *protected_name; /* what mgr_run_protected() returned */
};

/*
 * A run whose ctx holds a copy of opts (nothing loaded, no reports);
 * free it with run_free(), which also releases what ctx prepared.
 */
struct mgr_run *run_new(const struct mgr_project_options *opts);
void run_free(struct mgr_run *run);

/* rc, after copying the context's error to err (may be NULL) on failure:
 * the end of every mgr_run_<command>(). */
int run_result(struct mgr_run *run, int rc, struct mgr_error *err);

#endif
