/*
 * exec.h: the host side of mgr_host_api.exec_section_begin / exec_sql,
 * where a format plugin sends a section's statements. A struct mgr_exec
 * either renders them as offline SQL text or (later) hands them to the
 * dialect: one code path, two sinks.
 */
#ifndef MGR_CORE_EXEC_H
#define MGR_CORE_EXEC_H

#include <stdbool.h>

#include <migrator/plugin.h>

#define EXEC_MAGIC 0x6d657863u /* "mexc" */

enum exec_mode {
    EXEC_OFFLINE = 1, /* append SQL text to out */
};

struct mgr_exec {
    unsigned magic;
    enum exec_mode mode;
    const char *path;     /* the script being run, for messages */
    struct mgr_buf *out;  /* EXEC_OFFLINE: the SQL text */
    bool in_transaction;  /* EXEC_OFFLINE: a BEGIN is open */
    unsigned flags;       /* the section's MGR_SECTION_* options */
    int section_line;     /* the line of the section's marker */
    bool began;           /* exec_section_begin was called */
};

/* Prepare x to render offline SQL into out. */
void exec_init_offline(struct mgr_exec *x, struct mgr_buf *out,
                       bool in_transaction);

int exec_section_begin(struct mgr_exec *x, unsigned flags, int line,
                       struct mgr_error *err);
int exec_sql(struct mgr_exec *x, const char *text, size_t len,
             int first_line, struct mgr_error *err);

/* After the format's run_section returned: close what the section opened. */
void exec_section_end(struct mgr_exec *x);

#endif
