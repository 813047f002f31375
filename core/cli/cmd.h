/*
 * cmd.h: the commands of the migrator CLI, a client of the public
 * library (<migrator/migrator.h>, <migrator/commands.h>) only.
 *
 * Adding a command:
 *  1. add its engine half to the library: a mgr_run_<name>() (or, for a
 *     command without a project, a function of its own) declared in
 *     include/migrator/commands.h and written in core/op_*.c;
 *  2. write int cmd_<name>(int argc, char **argv, struct cli *cli) in
 *     core/cli/cmd_<name>.c: argv[0] is the command name, options
 *     follow; parse them and call the library;
 *  3. declare it below;
 *  4. add { "<name>", cmd_<name>, FLAGS, "summary" } to commands[] in
 *     core/cli/main.c, keeping the table sorted by name; NEED_PROJECT
 *     makes run_cmd() open cli->run (config, reports, plugins, scripts
 *     and graph) before the call;
 *  5. add its usage to cmd_usage.c and doc/migrator.1, and a test under
 *     tests/cli/.
 *
 * A command returns an enum mgr_status and leaves the message in
 * cli->err; main() prints it, reports it through cli->run, and turns it
 * into the exit code of DESIGN.md.
 */
#ifndef MGR_CLI_CMD_H
#define MGR_CLI_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include <migrator/commands.h>
#include <migrator/migrator.h>

/* What run_cmd() prepares before calling a command. */
#define NEED_PROJECT 0x1u

/* The state of one invocation. */
struct cli {
    /* The global options: opts points into the fields below. */
    struct mgr_project_options opts;
    const char *config_path;  /* -c as given, or NULL */
    char *url;                /* --url (argv shows it masked), or NULL */
    const char **values;      /* -x, NULL-terminated */
    size_t nvalues;
    struct mgr_report_spec *reports; /* --report NAME:PATH */
    size_t nreports;

    struct mgr_run *run; /* NEED_PROJECT: the command's run */
    struct mgr_error err;
};

typedef int (*cmd_fn)(int argc, char **argv, struct cli *cli);

struct mgr_cmd {
    const char *name;
    cmd_fn fn;
    unsigned flags;
    const char *summary;
};

/* The sorted command table, ended by a NULL name; and a lookup. */
extern const struct mgr_cmd mgr_commands[];
const struct mgr_cmd *cmd_lookup(const char *name);

/* Print a command's usage (from cmd_usage.c) to f. Returns 0 if known. */
int cmd_print_usage(const char *name, FILE *f);

int cmd_baseline(int argc, char **argv, struct cli *cli);
int cmd_branches(int argc, char **argv, struct cli *cli);
int cmd_check(int argc, char **argv, struct cli *cli);
int cmd_current(int argc, char **argv, struct cli *cli);
int cmd_ensure_version(int argc, char **argv, struct cli *cli);
int cmd_downgrade(int argc, char **argv, struct cli *cli);
int cmd_edit(int argc, char **argv, struct cli *cli);
int cmd_heads(int argc, char **argv, struct cli *cli);
int cmd_help(int argc, char **argv, struct cli *cli);
int cmd_history(int argc, char **argv, struct cli *cli);
int cmd_merge(int argc, char **argv, struct cli *cli);
int cmd_resolve(int argc, char **argv, struct cli *cli);
int cmd_revision(int argc, char **argv, struct cli *cli);
int cmd_schema(int argc, char **argv, struct cli *cli);
int cmd_show(int argc, char **argv, struct cli *cli);
int cmd_stamp(int argc, char **argv, struct cli *cli);
int cmd_status(int argc, char **argv, struct cli *cli);
int cmd_test(int argc, char **argv, struct cli *cli);
int cmd_lint(int argc, char **argv, struct cli *cli);
int cmd_unlock(int argc, char **argv, struct cli *cli);
int cmd_upgrade(int argc, char **argv, struct cli *cli);
int cmd_verify(int argc, char **argv, struct cli *cli);
int cmd_init(int argc, char **argv, struct cli *cli);
int cmd_list_templates(int argc, char **argv, struct cli *cli);
int cmd_plugins(int argc, char **argv, struct cli *cli);

#endif
