/*
 * commands.h: the commands of the migrator CLI as library calls, for the
 * CLI itself and for applications that want the same behaviour and the
 * same reports (text, json, junit) as `migrator COMMAND`.
 *
 * A command that reads a project is a run (struct mgr_run): open it, call
 * one mgr_run_<command>() (or none, when the command line was not
 * understood), then hand the status to mgr_run_fail() and mgr_run_end().
 * The run's reports see everything from RUN_START to RUN_END, failures
 * included, even a config that failed to load. Argument parsing, usage
 * text, printing the error and the exit code are the caller's.
 *
 * init, list-templates and plugins read no project and have no reports:
 * they return what they found and the caller prints it.
 */
#ifndef MIGRATOR_COMMANDS_H
#define MIGRATOR_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <migrator/migrator.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the process: set up once, around every run ---------------------- */

/*
 * Prepare the library for runs: initialise the plugin loader, and keep
 * what the log prints from now on for the reports of the next run (lines
 * logged before its reports open go to them after RUN_START). Call once,
 * before mgr_run_open(); end with mgr_global_cleanup(). MGR_EPLUGIN when
 * the loader cannot start.
 */
int mgr_global_init(struct mgr_error *err);

/*
 * Undo mgr_global_init(): forget held log lines, put back the SIGINT and
 * SIGTERM handlers a run replaced, release the plugin loader.
 */
void mgr_global_cleanup(void);

/*
 * The signal (SIGINT, SIGTERM) that interrupted the last run, or 0. A run
 * that returns MGR_EINTR stopped for it after rolling back; the CLI exits
 * 128 + this number.
 */
int mgr_interrupt_signal(void);

/* ---- runs: one command on a project, with its reports ---------------- */

struct mgr_run;

/*
 * Open a run of command (its name in the reports, e.g. "upgrade") on the
 * project opts describes (copied; reporter, report_file, reports,
 * verbosity, color and template_dir count here). Loads the config, opens
 * the reports, then reads the scripts and builds the graph.
 *
 * *run_out is set whenever the reports could be opened, even when the
 * project then failed to load (the status says so, err has the message),
 * so that the failure still reaches the reports: pass that status to
 * mgr_run_fail() and mgr_run_end(). When the reports themselves cannot be
 * opened, *run_out is NULL and nothing has started.
 */
int mgr_run_open(const struct mgr_project_options *opts,
                 const char *command, struct mgr_run **run_out,
                 struct mgr_error *err);

/*
 * Report the failure of the run (status not MGR_OK): message is what the
 * caller shows people, exit_code the code it exits with. NULL run does
 * nothing.
 */
void mgr_run_fail(struct mgr_run *run, int status, int exit_code,
                  const char *message);

/*
 * End the run: RUN_END with status and exit_code, close the reports and
 * free run (NULL does nothing). Returns MGR_EIO when a report could not
 * be written, else MGR_OK.
 */
int mgr_run_end(struct mgr_run *run, int status, int exit_code);

/*
 * The listing commands. Each item is a record of the reports (the text
 * reporter prints Alembic's lines). verbose adds the full form.
 */
int mgr_run_heads(struct mgr_run *run, bool verbose, bool resolve_deps,
                  struct mgr_error *err);
int mgr_run_branches(struct mgr_run *run, bool verbose,
                     struct mgr_error *err);
/* range: "start:end", "start:", ":end" or NULL for all; a bound may be
 * "current" (reads the database), as may indicate_current. */
int mgr_run_history(struct mgr_run *run, const char *range, bool verbose,
                    bool indicate_current, struct mgr_error *err);
/* rev: a revision identifier, or "current" (reads the database). */
int mgr_run_show(struct mgr_run *run, const char *rev,
                 struct mgr_error *err);

/*
 * The revisions the database is at. check_heads: MGR_ECHECK unless they
 * are all the heads.
 */
int mgr_run_current(struct mgr_run *run, bool verbose, bool check_heads,
                    struct mgr_error *err);
/*
 * MGR_ECHECK unless the database is at exactly the heads, matches
 * schema_file (when there is one and the dialect can read schemas) and
 * has not changed since migrator last recorded it (migrator_schema);
 * each difference is one line of output.
 */
int mgr_run_check(struct mgr_run *run, struct mgr_error *err);
/*
 * status: where the database stands, for people, read-only as
 * mgr_project_status() is (no table, no file, no lock), with a stale
 * table lock (lock_strategy = table) and the changes made outside
 * migrations since migrator recorded the schema besides. Each situation
 * is told in plain words with the command that settles it, as output
 * (one OUTPUT event per line: the database, its rows and the heads, then
 * a paragraph per situation).
 * MGR_OK only when the database is at its one head and nothing needs
 * attention; else MGR_EINTEGRITY (a transaction=false revision awaits
 * resolve), MGR_ECHECKSUM (an applied script was edited), or MGR_ECHECK
 * (behind, ahead, diverged, several heads, a stale lock, drift), in that
 * order of precedence, with the first thing to do in err.
 */
int mgr_run_status(struct mgr_run *run, struct mgr_error *err);
/* Create the version tables if missing; sql: print their DDL instead. */
int mgr_run_ensure_version(struct mgr_run *run, bool sql,
                           struct mgr_error *err);

/*
 * upgrade, downgrade, stamp. revs are the revision arguments as given
 * (borrowed for the call); upgrade and downgrade take exactly one. sql
 * renders the plan as SQL (a range "start:end" for downgrade) and
 * touches no database; purge (stamp only) empties the version table
 * first.
 */
int mgr_run_upgrade(struct mgr_run *run, const char *const *revs,
                    size_t nrevs, bool sql, struct mgr_error *err);
int mgr_run_downgrade(struct mgr_run *run, const char *const *revs,
                      size_t nrevs, bool sql, struct mgr_error *err);
int mgr_run_stamp(struct mgr_run *run, const char *const *revs,
                  size_t nrevs, bool sql, bool purge,
                  struct mgr_error *err);

/*
 * Protected databases (protected = true in the config section): a
 * downgrade, or a stamp with purge, of a protected database fails with
 * MGR_EUSAGE before connecting unless the run was confirmed with
 * mgr_run_confirm() (the CLI: --yes, or the user typing the name on a
 * terminal). upgrade is not affected, nor is sql (offline) mode.
 *
 * mgr_run_protected() sets *on_out, and *name_out to the name a user
 * types to confirm (the database's name from the URL, else the config
 * section's), borrowed until the run ends. MGR_ECONFIG when protected is
 * not a boolean.
 */
int mgr_run_protected(struct mgr_run *run, bool *on_out,
                      const char **name_out, struct mgr_error *err);
void mgr_run_confirm(struct mgr_run *run);

/* How resolve settles a revision. */
enum mgr_resolve_action {
    MGR_RESOLVE_APPLIED = 1,    /* the failed run did complete */
    MGR_RESOLVE_ROLLED_BACK,    /* the failed run left nothing behind */
    MGR_RESOLVE_ACCEPT_CHECKSUM /* the edited script is the right one */
};
int mgr_run_resolve(struct mgr_run *run, const char *rev,
                    enum mgr_resolve_action action, struct mgr_error *err);
/* MGR_ECHECKSUM/MGR_EINTEGRITY unless every applied script matches. */
int mgr_run_verify(struct mgr_run *run, struct mgr_error *err);
/* Remove a stale table lock (lock_strategy = table). */
int mgr_run_unlock(struct mgr_run *run, struct mgr_error *err);
/* mgr_run_unlock, with flags: MGR_UNLOCK_FORCE removes a live lock too
 * (a warning names its holder). */
#define MGR_UNLOCK_FORCE 0x1u
int mgr_run_unlock_flags(struct mgr_run *run, unsigned flags,
                         struct mgr_error *err);

/* What a new revision script says; every pointer is borrowed. */
struct mgr_revision_options {
    uint32_t size;            /* sizeof(struct mgr_revision_options) */
    const char *message;      /* NULL: "" */
    const char *head;         /* revision: the parent; NULL: "head" */
    const char *rev_id;       /* NULL: a fresh id */
    const char *version_path; /* one of version_locations, or NULL */
    const char *format;       /* the script's file ending; NULL: "sql" */
    const char *const *labels;  /* Branch Labels */
    size_t nlabels;
    const char *const *depends; /* Depends On, as identifiers */
    size_t ndepends;
    bool splice;              /* allow a parent that is not a head */
    const char *const *revs;  /* merge: the revisions to merge */
    size_t nrevs;
    /* revision: fill the script with what takes the database (at its
     * heads) to schema_file; nothing is written when nothing differs. */
    bool autogenerate;
};

/* Write a new revision script (revision) or one merging opts->revs
 * (merge); the path is reported as output. */
int mgr_run_revision(struct mgr_run *run,
                     const struct mgr_revision_options *opts,
                     struct mgr_error *err);
int mgr_run_merge(struct mgr_run *run,
                  const struct mgr_revision_options *opts,
                  struct mgr_error *err);

/*
 * baseline: the database has tables but no version table (built by hand
 * or by an ORM's create_all). Under the migration lock, write a revision
 * that creates its current schema (and drops it in its downgrade) and
 * stamp the database at it. opts: message, head, rev_id, version_path,
 * labels as for revision. MGR_EUSAGE when the version table exists.
 */
int mgr_run_baseline(struct mgr_run *run,
                     const struct mgr_revision_options *opts,
                     struct mgr_error *err);

/*
 * test: every revision, in order, goes up, down (that revision alone)
 * and up again; the schema after its downgrade must equal the one before
 * its upgrade. Fails (MGR_ECHECK) naming the first revision whose
 * downgrade does not restore the schema, with one line of output per
 * difference, on more than one head, and when the schema at the head
 * differs from schema_file (when there is one); a failing section (a
 * missing downgrade) fails as the migration does. Runs on a scratch
 * database of database_url's dialect, made and removed (url NULL), or on
 * the database at url, which should be empty.
 */
int mgr_run_test(struct mgr_run *run, const char *url, struct mgr_error *err);

/* What `migrator lint` reviews, and how. */
struct mgr_lint_options {
    uint32_t size;      /* sizeof(struct mgr_lint_options) */
    const char *range;  /* "start:end", ":end", "start:", one revision,
                           or NULL: the revisions not applied */
    bool trace;         /* also run the range on a scratch database */
    bool rules;         /* only list the rules */
};

/*
 * The safety review of a range of scripts: each finding is a FINDING
 * event of the reports, then one line of output counts them. Fails with
 * MGR_ECHECK when an error-level finding remains.
 */
int mgr_run_lint(struct mgr_run *run, const struct mgr_lint_options *opts,
                 struct mgr_error *err);

/* schema dump: the live schema as SQL that loads back into an empty
 * database and dumps identically; to path, or to the output when NULL. */
int mgr_run_schema_dump(struct mgr_run *run, const char *path,
                        struct mgr_error *err);

/*
 * Run editor (shell text such as "code --wait", given the path as "$1")
 * on the script of rev, and wait for it. MGR_EIO when it fails.
 */
int mgr_run_edit(struct mgr_run *run, const char *rev, const char *editor,
                 struct mgr_error *err);

/* ---- commands without a project -------------------------------------- */

/*
 * The templates for init in template_dir (NULL: the installed ones),
 * sorted by name, with the first line of each one's description ("" when
 * it has none). Free both NULL-terminated arrays with mgr_strings_free().
 */
int mgr_templates_list(const char *template_dir, char ***names_out,
                       char ***descriptions_out, struct mgr_error *err);

/*
 * Create a migration environment from template (under template_dir, NULL:
 * the installed ones): dir (new or empty) with dir/versions, the README
 * and the script templates, and the config file ini. *dirs_out and
 * *files_out get what was made, in order (free with mgr_strings_free());
 * set only on success. MGR_EEXIST when ini exists or dir is not empty,
 * MGR_EUSAGE for an unknown template.
 */
int mgr_templates_install(const char *template_dir, const char *template,
                          const char *dir, const char *ini,
                          char ***dirs_out, char ***files_out,
                          struct mgr_error *err);

/* A plugin module file found on the search path. */
enum mgr_plugin_file_state {
    MGR_PLUGIN_FILE_LOADED = 0, /* usable */
    MGR_PLUGIN_FILE_SHADOWED,   /* the same plugin earlier in the path */
    MGR_PLUGIN_FILE_REFUSED,    /* could not be used: reason, code */
};

struct mgr_plugin_file {
    enum mgr_plugin_file_state state;
    char *path;        /* the file */
    const char *kind;  /* "dialect", ... (LOADED; static) */
    char *name;        /* LOADED */
    char *version;     /* LOADED; may be NULL */
    unsigned abi_major, abi_minor; /* LOADED: the ABI it was built for */
    char *shadowed_by; /* SHADOWED: the file used instead */
    char *reason;      /* REFUSED: why */
    int code;          /* REFUSED: enum mgr_status of the refusal */
};

struct mgr_plugin_files {
    struct mgr_plugin_file *v;
    size_t n;
};

/*
 * Try every module file on the plugin search path of opts (plugin_dir,
 * $MIGRATOR_PLUGIN_PATH, the config's plugin_path, default_plugin_dir) in
 * search order. The config is read only when one is named (config_path,
 * $MIGRATOR_CONFIG) or ./migrator.ini exists. Refused files are listed,
 * not a failure. Free *files_out with mgr_plugin_files_free(); it is set
 * only on success.
 */
int mgr_plugins_scan(const struct mgr_project_options *opts,
                     struct mgr_plugin_files **files_out,
                     struct mgr_error *err);
void mgr_plugin_files_free(struct mgr_plugin_files *files);

#ifdef __cplusplus
}
#endif

#endif /* MIGRATOR_COMMANDS_H */
