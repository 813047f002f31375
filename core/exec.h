/*
 * exec.h: the host side of mgr_host_api.exec_section_begin / exec_sql,
 * where a format plugin sends a section's statements. One code path,
 * three sinks:
 *   EXEC_OFFLINE  append the text to the offline SQL output;
 *   EXEC_CHECK    split it with the dialect and check each statement
 *                 (nothing is sent): the pre-flight of a run;
 *   EXEC_ONLINE   split it and run each statement through the dialect;
 *   EXEC_LINT     split it and hand each statement to `lint` (nothing
 *                 is sent; the format sees the mode of EXEC_CHECK).
 */
#ifndef MGR_CORE_EXEC_H
#define MGR_CORE_EXEC_H

#include <stdbool.h>

#include <migrator/plugin.h>

#define EXEC_MAGIC 0x6d657863u /* "mexc" */

struct db;

enum exec_mode {
    EXEC_OFFLINE = 1,
    EXEC_CHECK,
    EXEC_ONLINE,
    EXEC_LINT,
};

/* What lint (EXEC_LINT) and lint --trace (EXEC_ONLINE) see of a
 * section. Every member may be NULL. */
struct exec_watch {
    /* EXEC_LINT: the text of the section as the format gave it (for the
     * directive comments between statements), before its statements. */
    int (*section_text)(void *ctx, const char *text, size_t len,
                        int first_line, struct mgr_error *err);
    /* EXEC_LINT: one statement (line 0 when the format does not know). */
    int (*statement)(void *ctx, const char *stmt, size_t len, int line,
                     struct mgr_error *err);
    /* EXEC_ONLINE: just before and just after a statement runs (after:
     * only when it succeeded). A failure stops the section. */
    int (*before)(void *ctx, struct mgr_error *err);
    int (*after)(void *ctx, const char *stmt, size_t len, int line,
                 struct mgr_error *err);
    void *ctx;
};

struct mgr_exec {
    unsigned magic;
    enum exec_mode mode;
    const char *path;     /* the script being run, for messages */
    struct mgr_buf *out;  /* EXEC_OFFLINE: the SQL text */
    struct db *db;        /* EXEC_CHECK, EXEC_ONLINE: the dialect */
    const struct mgr_config *config; /* for -x arguments, or NULL */
    const char *dialect;  /* the dialect's name when db is NULL (offline) */
    bool in_transaction;  /* a transaction is open (OFFLINE: a BEGIN
                             was written) */
    unsigned flags;       /* the section's MGR_SECTION_* options */
    int section_line;     /* the line of the section's marker */
    bool began;           /* exec_section_begin was called */
    int statements;       /* statements seen in this section */
    bool failed;          /* a statement of the script failed... */
    int failed_line;      /* ...on this line (0: unknown) */

    /*
     * EXEC_ONLINE, transaction=false sections: called once the run's
     * transaction is committed and before the first statement (to record
     * the revision as pending), and when statement number n (from 1)
     * fails (to record where).
     */
    int (*nontx_begin)(void *ctx, struct mgr_error *err);
    /* EXEC_ONLINE: just before a transaction=false section commits what
     * ran before it (the runner's lock check, R1). May be NULL. */
    int (*before_commit)(void *ctx, struct mgr_error *err);
    void (*nontx_failed)(void *ctx, int n, int line,
                         const struct mgr_error *why);
    void *hook_ctx;

    const struct exec_watch *watch; /* or NULL */

    /*
     * EXEC_ONLINE, transactional sections: hold the last statement back
     * instead of running it, so that the runner sends it with the
     * revision's version-table change (db_batch). Each statement runs
     * when the next one arrives; what is left in held after the section
     * is the runner's to send (held_line its line).
     */
    bool hold_last;
    struct mgr_buf held;
    int held_line;
};

/* Prepare x to render offline SQL into out. */
void exec_init_offline(struct mgr_exec *x, struct mgr_buf *out,
                       bool in_transaction);
/* Prepare x to check or run statements of path through db. */
void exec_init_db(struct mgr_exec *x, enum exec_mode mode, struct db *db,
                  const char *path, bool in_transaction);

int exec_section_begin(struct mgr_exec *x, unsigned flags, int line,
                       struct mgr_error *err);
int exec_sql(struct mgr_exec *x, const char *text, size_t len,
             int first_line, struct mgr_error *err);

/* mgr_host_api.exec_query, exec_xarg, exec_dialect, exec_mode. */
int exec_query(struct mgr_exec *x, const char *sql,
               const char *const *params, size_t nparams, mgr_row_fn row,
               void *row_ctx, long *affected_out, int line,
               struct mgr_error *err);
const char *exec_xarg(struct mgr_exec *x, const char *key);
const char *exec_config(struct mgr_exec *x, const char *key);
const char *exec_dialect(struct mgr_exec *x);
int exec_mode_of(struct mgr_exec *x);

/* The line of byte offset in stmt, which starts on line (offsets past
 * len count up to len): where in a script an error inside a statement
 * is. */
int exec_line_at(const char *stmt, size_t len, int offset, int line);

/* mgr_host_api.trust_check: "refusing to load '<path>': <reason>". */
int exec_trust_check(const char *path, struct mgr_error *err);

/* Free what x holds (the held statement). */
void exec_release(struct mgr_exec *x);

/* After the format's run_section returned: close what the section
 * opened (offline: BEGIN again after a transaction=false section). */
void exec_section_end(struct mgr_exec *x);

#endif
