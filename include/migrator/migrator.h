/*
 * migrator.h: the library API of migrator, for the CLI and for
 * applications that embed the engine.
 *
 * Conventions (see doc/ and STYLE.md):
 *  - public names start with mgr_ / MGR_;
 *  - a fallible function returns an int status (enum mgr_status) and takes
 *    a trailing struct mgr_error * that may be NULL and is filled only on
 *    failure;
 *  - objects named S have mgr_S_new()/mgr_S_free() (free(NULL) is a no-op)
 *    or mgr_S_init()/mgr_S_release() for storage the caller provides;
 *  - a returned const char * is borrowed until its owner changes or is
 *    freed.
 */
#ifndef MIGRATOR_MIGRATOR_H
#define MIGRATOR_MIGRATOR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <migrator/version.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define MGR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define MGR_PRINTF(fmt, args)
#endif

/*
 * Status codes. Codes are only ever appended: never renumbered or removed.
 */
enum mgr_status {
    MGR_OK = 0,
    MGR_ENOMEM,     /* out of memory */
    MGR_EIO,        /* a file could not be read or written */
    MGR_ECONFIG,    /* bad configuration */
    MGR_EPLUGIN,    /* a plugin could not be loaded or failed */
    MGR_EABI,       /* a plugin was built for another ABI */
    MGR_EDB,        /* the database reported an error */
    MGR_ECHECKSUM,  /* an applied script was edited or is missing */
    MGR_ELOCKED,    /* the migration lock was not acquired in time */
    MGR_EUSAGE,     /* bad command line */
    MGR_ESCRIPT,    /* a revision script is malformed */
    MGR_EGRAPH,     /* the revision graph is invalid */
    MGR_EREVISION,  /* unknown or ambiguous revision identifier */
    MGR_ETRUST,     /* security refusal: untrusted path or permissions */
    MGR_ECONN,      /* the connection was lost, outcome unknown */
    MGR_EINTEGRITY, /* failed non-transactional revision awaits resolve */
    MGR_EINTR,      /* interrupted by a signal */
    MGR_ECHECK,     /* a check found a problem (drift, lint errors) */
    MGR_EEXIST,     /* the thing to create exists already */
    MGR_ELOCKTIMEOUT, /* a statement gave up waiting for a lock held by
                         another session (ABI 1.4) */
};

#define MGR_ERROR_SIZE 1024 /* room for a message naming two long paths */

/* Filled only on failure. */
struct mgr_error {
    int code;                 /* enum mgr_status */
    int sys_errno;            /* errno at the failure site, or 0 */
    char msg[MGR_ERROR_SIZE]; /* "what failed: why", no trailing newline */
};

/* Static description of a status code; never NULL. */
const char *mgr_strerror(int code);

/*
 * The process exit code DESIGN.md assigns to a status: 0 ok, 1 failure with
 * a consistent database, 2 request not understood, 3 lock (the migration
 * lock, or a statement's lock timeout), 4 integrity,
 * 5 connection lost, 6 security refusal, 130 interrupted.
 */
int mgr_status_exit_code(int code);

/*
 * Fill err (if not NULL) with code and a printf-style message, and return
 * code, so that "return mgr_error_set(err, MGR_EIO, ...)" reads well.
 */
int mgr_error_set(struct mgr_error *err, int code, const char *fmt, ...)
    MGR_PRINTF(3, 4);
int mgr_error_setv(struct mgr_error *err, int code, const char *fmt,
                   va_list ap) MGR_PRINTF(3, 0);
/* Put printf-style text in front of err->msg ("file:3: "); returns
 * err->code (MGR_OK for a NULL err). */
int mgr_error_prefix(struct mgr_error *err, const char *fmt, ...)
    MGR_PRINTF(2, 3);
/* As mgr_error_set, and record errno as sys_errno and append ": strerror". */
int mgr_error_set_errno(struct mgr_error *err, int code, int errnum,
                        const char *fmt, ...) MGR_PRINTF(4, 5);

/*
 * Growable string buffer (a clone of git's strbuf). buf is never NULL and
 * always NUL-terminated; len excludes the NUL. Initialise with
 * MGR_BUF_INIT or mgr_buf_init(). Allocation failure aborts the process
 * (as git's xmalloc does): callers need not check.
 */
struct mgr_buf {
    size_t alloc;
    size_t len;
    char *buf;
};
extern char mgr_buf_empty[];
#define MGR_BUF_INIT { 0, 0, mgr_buf_empty }

void mgr_buf_init(struct mgr_buf *sb, size_t hint);
void mgr_buf_release(struct mgr_buf *sb);
void mgr_buf_reset(struct mgr_buf *sb);
void mgr_buf_grow(struct mgr_buf *sb, size_t extra);
void mgr_buf_add(struct mgr_buf *sb, const void *data, size_t len);
void mgr_buf_addstr(struct mgr_buf *sb, const char *s);
void mgr_buf_addch(struct mgr_buf *sb, int c);
void mgr_buf_addf(struct mgr_buf *sb, const char *fmt, ...) MGR_PRINTF(2, 3);
void mgr_buf_vaddf(struct mgr_buf *sb, const char *fmt, va_list ap)
    MGR_PRINTF(2, 0);
void mgr_buf_setlen(struct mgr_buf *sb, size_t len);
/* Hand the string to the caller (free() it); sb is left empty. */
char *mgr_buf_detach(struct mgr_buf *sb, size_t *len_out);

/*
 * Logging to stderr as "migrator: <level>: message". Diagnostics only:
 * command output goes to stdout through the commands.
 */
enum mgr_log_level {
    MGR_LOG_ERR = 3,
    MGR_LOG_WARNING = 4,
    MGR_LOG_INFO = 6,
    MGR_LOG_DEBUG = 7,
};
void mgr_log(int level, const char *fmt, ...) MGR_PRINTF(2, 3);
void mgr_vlog(int level, const char *prefix, const char *fmt, va_list ap)
    MGR_PRINTF(3, 0);
/* Messages above level are dropped. Default MGR_LOG_WARNING. */
void mgr_log_set_level(int level);
int mgr_log_get_level(void);

#define MGR_ERR(...) mgr_log(MGR_LOG_ERR, __VA_ARGS__)
#define MGR_WARN(...) mgr_log(MGR_LOG_WARNING, __VA_ARGS__)
#define MGR_INFO(...) mgr_log(MGR_LOG_INFO, __VA_ARGS__)
#ifdef MGR_DEBUG
#define MGR_DBG(...) mgr_log(MGR_LOG_DEBUG, __VA_ARGS__)
#else
#define MGR_DBG(...) ((void)0)
#endif

/* ---- projects: the engine for applications --------------------------- */

/*
 * A project: a config (migrator.ini or values), its plugins, its
 * revision scripts and their graph. Opening reads the scripts' headers
 * and builds the graph; it touches no database.
 */
struct mgr_project;

/* One more report of a run: reporter plugin name and file (NULL:
 * stdout), as `--report NAME:PATH` gives them. */
struct mgr_report_spec {
    const char *reporter;
    const char *path;
};

struct mgr_project_options {
    uint32_t size;             /* sizeof(struct mgr_project_options) */
    const char *config_path;   /* NULL: $MIGRATOR_CONFIG, else
                                  ./migrator.ini; "" reads no file (the
                                  values must say everything) */
    const char *section;       /* NULL: "migrator" */
    const char *database_url;  /* NULL: the config's database_url */
    const char *const *values; /* "key=value" settings over the config
                                  (as -x), NULL-terminated, or NULL */
    const char *plugin_dir;    /* searched before the config's
                                  plugin_path and the installed plugins,
                                  or NULL */

    /*
     * Since 0.2 (fields past size count as NULL/0): what the migrator CLI
     * sets from its global options. mgr_project_open() uses
     * default_plugin_dir; the runs of <migrator/commands.h> use them all.
     */
    const char *default_plugin_dir; /* searched last; NULL: the installed
                                       plugins */
    const char *template_dir;  /* init templates; NULL: the installed
                                  ones */
    const char *reporter;      /* NULL: the config's reporter, else
                                  "text" */
    const char *report_file;   /* that report's file; NULL: stdout */
    const struct mgr_report_spec *reports; /* more reports, or NULL */
    size_t nreports;
    int verbosity;             /* -1 quiet, 0 normal, 1 verbose */
    int color;                 /* 0 never, 1 always, -1 auto (a
                                  terminal); 0 before 0.2 */
};

/*
 * Open the project described by opts (copied). *project_out is set only
 * on success; free it with mgr_project_free(). Errors name the file and
 * line (config, scripts): MGR_ECONFIG, MGR_ESCRIPT, MGR_EGRAPH,
 * MGR_EPLUGIN, MGR_ETRUST.
 */
int mgr_project_open(const struct mgr_project_options *opts,
                     struct mgr_project **project_out,
                     struct mgr_error *err);
void mgr_project_free(struct mgr_project *project);

/* The revisions in the project. */
size_t mgr_project_revision_count(const struct mgr_project *project);

/*
 * The heads (revisions no other revises), in the order `migrator heads`
 * prints them, as a NULL-terminated array of ids; free it with
 * mgr_strings_free(). *n_out (may be NULL) gets the count.
 */
int mgr_project_heads(const struct mgr_project *project, char ***ids_out,
                      size_t *n_out, struct mgr_error *err);

/*
 * The revisions from lo to hi, newest first, as `migrator history -r
 * lo:hi` lists them (NULL or "" for base and heads). Free *ids_out with
 * mgr_strings_free(). MGR_EREVISION for an unknown or ambiguous bound.
 */
int mgr_project_history(const struct mgr_project *project, const char *lo,
                        const char *hi, char ***ids_out, size_t *n_out,
                        struct mgr_error *err);

/* One revision, as its script's header says. Strings are borrowed until
 * the project is freed. */
struct mgr_revision_info {
    const char *id;
    const char *message;           /* first line of the header */
    const char *path;              /* the script file */
    const char *const *parents;    /* Revises (none: a base) */
    size_t nparents;
    const char *const *labels;     /* Branch Labels, as declared */
    size_t nlabels;
    const char *const *depends_on; /* Depends On, as written */
    size_t ndepends_on;
};

/*
 * The revision rev names (an id, a unique prefix, "head" with one head,
 * "label@head", ...), as `migrator show` finds it. MGR_EREVISION when it
 * names none, several, or base.
 */
int mgr_project_show(const struct mgr_project *project, const char *rev,
                     struct mgr_revision_info *info_out,
                     struct mgr_error *err);

/* Free a NULL-terminated array of strings and the strings; NULL does
 * nothing. */
void mgr_strings_free(char **strings);

/* Where a database stands against the project's scripts. */
enum mgr_db_state {
    MGR_DB_UP_TO_DATE = 0, /* at the heads; nothing needs attention */
    MGR_DB_BEHIND,         /* revisions are pending (pending[]) */
    MGR_DB_AHEAD,          /* rows name revisions the scripts do not
                              have (unknown[]): newer code ran here */
    MGR_DB_DIVERGED,       /* rows that no upgrade to the heads can
                              follow (diverged[]): one is below another,
                              or they lie on a path the scripts no
                              longer take to their heads */
    MGR_DB_FAILED,         /* a transaction=false revision failed part
                              way and awaits `migrator resolve`
                              (failed[]) */
    MGR_DB_EDITED,         /* an applied script was edited (edited[]) */
};

/* The bit of state s in struct mgr_db_status.states. */
#define MGR_DB_BIT(s) (1u << (unsigned)(s))

/* A revision whose script needs attention (failed[], edited[]). Strings
 * are owned by the status. */
struct mgr_db_script {
    char *revision;
    char *path;   /* its script file */
    char *detail; /* failed[]: the log's status ("failed", or "pending"
                     when the run died) and where it stopped, as
                     migrator_log records it; edited[]: "applied
                     sha256:..., file sha256:..." */
};

/*
 * What mgr_project_status() found. Every array is NULL-terminated (the
 * struct arrays end with a NULL revision) and owned by the status; a list
 * that does not apply is empty, never NULL. Only the library allocates
 * this struct: fields are appended, never moved.
 */
struct mgr_db_status {
    enum mgr_db_state state; /* the primary state: the first of FAILED,
                                EDITED, AHEAD, DIVERGED, BEHIND that
                                holds (the order to deal with them in),
                                else UP_TO_DATE */
    char **current;  /* the version rows */
    size_t ncurrent;
    char **pending;  /* what `upgrade heads` would run, in order
                        (BEHIND; not computed when AHEAD or DIVERGED) */
    size_t npending;
    char **unknown;  /* rows the scripts lack (AHEAD) */
    size_t nunknown;
    char detail[MGR_ERROR_SIZE]; /* for people: what needs attention
                                    first and the command to run, or "" */

    /* Since 0.2. */
    unsigned states; /* MGR_DB_BIT(s) of every state s that holds; 0 when
                        up to date */
    char **heads;    /* the scripts' heads; more than one is not a state
                        of the database, but wants `migrator merge` */
    size_t nheads;
    char **diverged; /* the rows no upgrade can follow (DIVERGED) */
    size_t ndiverged;
    struct mgr_db_script *failed; /* awaiting resolve (FAILED) */
    size_t nfailed;
    struct mgr_db_script *edited; /* applied, then edited (EDITED) */
    size_t nedited;
    /* The row of migrator_lock (lock_strategy = table), when one is
     * there: who holds the migration lock, since when, and until when
     * its lease runs (UTC, ISO 8601). NULL when there is no row. */
    char *lock_holder;
    char *lock_since;
    char *lock_until;
    bool lock_stale; /* the lease has run out: the run is likely gone
                        and `migrator unlock` removes the row */
};

/*
 * Where the project's database stands. Read-only: it connects through
 * the dialect's read-only connection, creates no table (and on SQLite no
 * file), takes no lock and writes nothing, so it works on a read-only
 * connection and on a hot standby. A database without a version table
 * (or a SQLite file that does not exist) is MGR_DB_BEHIND with every
 * revision pending. Every state that holds is reported (states), with
 * the one to deal with first in state. Fails only when the database
 * cannot be asked (MGR_ECONN, MGR_EDB, MGR_ECONFIG) or a script cannot
 * be read (MGR_EIO). *status_out is set only on success; free it with
 * mgr_db_status_free() (NULL does nothing).
 */
int mgr_project_status(struct mgr_project *project,
                       struct mgr_db_status **status_out,
                       struct mgr_error *err);
void mgr_db_status_free(struct mgr_db_status *status);

/* Whether state holds in status (for UP_TO_DATE: whether none other
 * does). */
bool mgr_db_status_has(const struct mgr_db_status *status,
                       enum mgr_db_state state);

/* "up to date", "behind", "ahead", "diverged", "failed", "edited". */
const char *mgr_db_state_name(enum mgr_db_state state);

/*
 * The events of a run (struct mgr_event, <migrator/plugin.h>): each is
 * borrowed for the call only.
 */
struct mgr_event;
typedef void (*mgr_event_fn)(void *ctx, const struct mgr_event *event);

/*
 * Upgrade the database to target ("head", "heads", an id, "+2", ...) as
 * `migrator upgrade` does: under the migration lock, with the project's
 * transaction policy. Every event goes to fn (may be NULL). The status
 * is that of the run: MGR_OK, or the failure, whose exit code
 * mgr_status_exit_code() gives.
 */
int mgr_project_upgrade(struct mgr_project *project, const char *target,
                        mgr_event_fn fn, void *fn_ctx,
                        struct mgr_error *err);

/* Downgrade to target ("base", an id, "-1", ...) as `migrator downgrade`
 * does; otherwise as mgr_project_upgrade(). */
int mgr_project_downgrade(struct mgr_project *project, const char *target,
                          mgr_event_fn fn, void *fn_ctx,
                          struct mgr_error *err);

/*
 * Append url to out with its secrets replaced by "****", as migrator
 * prints a database URL everywhere: the userinfo password, and every
 * query parameter or conninfo value that libpq reads as a secret option
 * (password, sslpassword, ...), whatever its spelling ("pass%77ord").
 */
void mgr_url_mask(const char *url, struct mgr_buf *out);

/* The library's version string, e.g. "0.1.0". */
const char *mgr_version(void);

#ifdef __cplusplus
}
#endif

#endif /* MIGRATOR_MIGRATOR_H */
