/*
 * main.c: the migrator command line. Parses the global options, finds
 * the command in commands[], opens its run when the command's flags ask
 * for one (run_cmd) and turns the command's status into the exit code.
 */
#include "autoconfig.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <migrator/commands.h>
#include <migrator/migrator.h>
#include <migrator/plugin.h>

#include "cli_secret.h"
#include "cli_util.h"
#include "cmd.h"
#include "visible.h"

/* Sorted by name: cmd_lookup() relies on it. */
const struct mgr_cmd mgr_commands[] = {
    { "baseline", cmd_baseline, NEED_PROJECT,
      "write and stamp a first revision for an unmanaged database" },
    { "branches", cmd_branches, NEED_PROJECT,
      "show the branch points and where they lead" },
    { "check", cmd_check, NEED_PROJECT,
      "fail unless the database is at its heads and matches its schema" },
    { "current", cmd_current, NEED_PROJECT,
      "show the revisions the database is at" },
    { "downgrade", cmd_downgrade, NEED_PROJECT,
      "revert to an earlier revision (--sql: print the SQL)" },
    { "edit", cmd_edit, NEED_PROJECT,
      "open a revision's script in $EDITOR" },
    { "ensure-version", cmd_ensure_version, NEED_PROJECT,
      "create the version table if it is missing" },
    { "heads", cmd_heads, NEED_PROJECT, "show the head revisions" },
    { "help", cmd_help, 0, "show help for migrator or a command" },
    { "history", cmd_history, NEED_PROJECT,
      "list the revisions, newest first" },
    { "init", cmd_init, 0, "create a migration environment" },
    { "list-templates", cmd_list_templates, 0,
      "list the templates for init" },
    { "merge", cmd_merge, NEED_PROJECT,
      "write a revision that merges two or more heads" },
    { "lint", cmd_lint, NEED_PROJECT,
      "review scripts for unsafe migrations (--trace: the locks taken)" },
    { "plugins", cmd_plugins, 0,
      "list the plugins found, and the files refused" },
    { "resolve", cmd_resolve, NEED_PROJECT,
      "settle a failed non-transactional revision or an edited script" },
    { "revision", cmd_revision, NEED_PROJECT, "write a new revision script" },
    { "schema", cmd_schema, NEED_PROJECT,
      "schema dump: print the live schema as SQL" },
    { "show", cmd_show, NEED_PROJECT, "show a revision in full" },
    { "stamp", cmd_stamp, NEED_PROJECT,
      "set the version table without running scripts" },
    { "status", cmd_status, NEED_PROJECT,
      "diagnose the database read-only, with the next command to run" },
    { "test", cmd_test, NEED_PROJECT,
      "run every revision up, down and up on a scratch database" },
    { "unlock", cmd_unlock, NEED_PROJECT,
      "remove a stale lock row (lock_strategy = table)" },
    { "upgrade", cmd_upgrade, NEED_PROJECT,
      "upgrade to a later revision (--sql: print the SQL)" },
    { "verify", cmd_verify, NEED_PROJECT,
      "check the applied scripts against their recorded checksums" },
    { NULL, NULL, 0, NULL },
};

const struct mgr_cmd *cmd_lookup(const char *name)
{
    for (const struct mgr_cmd *c = mgr_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

/*
 * When this binary runs from its build tree (make check, ./core/migrator
 * before make install), use the plugins and templates of the build tree
 * instead of the installed ones. The build tree's binary is libtool's
 * core/.libs/migrator (or lt-migrator); a copy installed anywhere else,
 * even under the build directory, is an installed one.
 */
static int running_from_build_tree(void)
{
#ifdef BUILD_TOPDIR
    char exe[PATH_MAX], libs[PATH_MAX];
    size_t n;

    if (!realpath("/proc/self/exe", exe) ||
        !realpath(BUILD_TOPDIR "/core/.libs", libs))
        return 0;
    n = strlen(libs);
    return strncmp(exe, libs, n) == 0 && exe[n] == '/' &&
           strchr(exe + n + 1, '/') == NULL;
#else
    return 0;
#endif
}

static void print_version(void)
{
    printf("migrator %s\n", MGR_VERSION_STRING);
    printf("plugin ABI %u.%u\n", MGR_ABI_MAJOR, MGR_ABI_MINOR);
    printf("plugin directory %s\n", running_from_build_tree()
                                        ? BUILD_PLUGINDIR " (build tree)"
                                        : PLUGINDIR);
}

static void print_main_usage(FILE *f)
{
    fputs("usage: migrator [-c FILE] [-n SECTION] [-x KEY=VALUE]... "
          "[--url URL]\n"
          "                [--plugin-dir DIR] [--reporter NAME] "
          "[--report-file PATH]\n"
          "                [--report NAME:PATH]... "
          "[--color=auto|always|never] [-q|-v] "
          "COMMAND [ARGS]\n"
          "       migrator --version | --help | help COMMAND\n\n"
          "commands:\n",
          f);
    for (const struct mgr_cmd *c = mgr_commands; c->name; c++)
        fprintf(f, "  %-16s %s\n", c->name, c->summary);
    fputs("\nexit codes: 0 ok, 1 failed (database consistent), 2 usage, "
          "config or script\nerror, 3 lock not acquired, 4 integrity, "
          "5 connection lost, 6 security refusal,\n130/143 interrupted. "
          "See migrator(1).\n",
          f);
}

int cmd_help(int argc, char **argv, struct cli *cli)
{
    if (argc < 2) {
        print_main_usage(stdout);
        return MGR_OK;
    }
    if (cmd_print_usage(argv[1], stdout) != 0)
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "unknown command '%s'; see 'migrator --help'",
                             argv[1]);
    return MGR_OK;
}

enum {
    OPT_URL = 256,
    OPT_PLUGIN_DIR,
    OPT_REPORTER,
    OPT_REPORT_FILE,
    OPT_REPORT,
    OPT_COLOR,
    OPT_VERSION,
    OPT_HELP,
};

static const struct option global_options[] = {
    { "config", required_argument, NULL, 'c' },
    { "name", required_argument, NULL, 'n' },
    { "x-arg", required_argument, NULL, 'x' },
    { "url", required_argument, NULL, OPT_URL },
    { "plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR },
    { "reporter", required_argument, NULL, OPT_REPORTER },
    { "report-file", required_argument, NULL, OPT_REPORT_FILE },
    { "report", required_argument, NULL, OPT_REPORT },
    { "color", required_argument, NULL, OPT_COLOR },
    { "quiet", no_argument, NULL, 'q' },
    { "verbose", no_argument, NULL, 'v' },
    { "version", no_argument, NULL, OPT_VERSION },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 },
};

static int usage_error(const char *fmt, ...) MGR_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("migrator: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nsee 'migrator --help'\n", stderr);
    return 2;
}

/* --report NAME:PATH; the name is cut off in place. */
static int add_report_spec(struct cli *cli, char *arg)
{
    char *colon = strchr(arg, ':');

    if (!colon || colon == arg || !colon[1])
        return -1;
    *colon = '\0';
    cli->reports = cli_reallocarray(cli->reports, cli->nreports + 1,
                                    sizeof(*cli->reports));
    cli->reports[cli->nreports].reporter = arg;
    cli->reports[cli->nreports].path = colon + 1;
    cli->nreports++;
    cli->opts.reports = cli->reports;
    cli->opts.nreports = cli->nreports;
    return 0;
}

/* -x KEY=VALUE, kept NULL-terminated. */
static void add_value(struct cli *cli, const char *arg)
{
    cli->values = cli_reallocarray(cli->values, cli->nvalues + 2,
                                   sizeof(*cli->values));
    cli->values[cli->nvalues++] = arg;
    cli->values[cli->nvalues] = NULL;
    cli->opts.values = cli->values;
}

/* Returns -1 to go on, or an exit code. */
static int parse_global_options(int argc, char **argv, struct cli *cli,
                                int *argi_out)
{
    static char plugin_dir[PATH_MAX];
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:c:n:x:qv", global_options,
                            NULL)) != -1) {
        switch (c) {
        case 'c': cli->config_path = optarg; break;
        case 'n': cli->opts.section = optarg; break;
        case 'x': add_value(cli, optarg); break;
        case OPT_URL:
            free(cli->url);
            cli->opts.database_url = cli->url = cli_hide_url(optarg);
            break;
        case OPT_PLUGIN_DIR:
            /* Given explicitly, so resolved against the working dir. */
            if (!realpath(optarg, plugin_dir))
                return usage_error("--plugin-dir: cannot use '%s'", optarg);
            cli->opts.plugin_dir = plugin_dir;
            break;
        case OPT_REPORTER: cli->opts.reporter = optarg; break;
        case OPT_REPORT_FILE: cli->opts.report_file = optarg; break;
        case OPT_REPORT:
            if (add_report_spec(cli, optarg) != 0)
                return usage_error("--report takes NAME:PATH, e.g. "
                                   "'junit:report.xml', not '%s'",
                                   optarg);
            break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") == 0)
                cli->opts.color = -1;
            else if (strcmp(optarg, "always") == 0)
                cli->opts.color = 1;
            else if (strcmp(optarg, "never") == 0)
                cli->opts.color = 0;
            else
                return usage_error("--color takes auto, always or never, "
                                   "not '%s'", optarg);
            break;
        case 'q': cli->opts.verbosity = -1; break;
        case 'v': cli->opts.verbosity = 1; break;
        case OPT_VERSION: print_version(); return 0;
        case OPT_HELP: print_main_usage(stdout); return 0;
        case ':':
            return usage_error("option '%s' needs a value",
                               argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    *argi_out = optind;
    return -1;
}

/*
 * A command that reads a project gets a run, whose reports are opened
 * even when the config failed so that the failure is reported too. A
 * report that cannot be opened stops everything before anything runs.
 */
static int run_cmd(const struct mgr_cmd *cmd, int argc, char **argv,
                   struct cli *cli)
{
    int rc;

    if (!(cmd->flags & NEED_PROJECT))
        return cmd->fn(argc, argv, cli);
    /* -c "" names no file here: the default one is read. */
    cli->opts.config_path =
        cli->config_path && !*cli->config_path ? "migrator.ini"
                                               : cli->config_path;
    rc = mgr_run_open(&cli->opts, cmd->name, &cli->run, &cli->err);
    if (rc == MGR_OK)
        rc = cmd->fn(argc, argv, cli);
    return rc;
}

/* A failed write to stdout (a full disk, a closed pipe) is an error. */
static int close_stdout(void)
{
    int failed = ferror(stdout);

    if (fclose(stdout) != 0)
        failed = 1;
    if (failed) {
        fprintf(stderr, "migrator: error: cannot write output: %s\n",
                strerror(errno));
        return 1;
    }
    return 0;
}

/* Where the plugins and the init templates are: the build tree's when
 * this binary runs from it. */
static void set_default_dirs(struct cli *cli)
{
    if (running_from_build_tree()) {
        cli->opts.default_plugin_dir = BUILD_PLUGINDIR;
        cli->opts.template_dir = BUILD_TEMPLATEDIR;
    } else {
        cli->opts.default_plugin_dir = PLUGINDIR;
        cli->opts.template_dir = TEMPLATEDIR;
    }
}

/* The exit code of status; an interrupted run exits 128 + the signal. */
static int exit_code_of(int status)
{
    if (status == MGR_EINTR && mgr_interrupt_signal())
        return 128 + mgr_interrupt_signal();
    return mgr_status_exit_code(status);
}

int main(int argc, char **argv)
{
    struct cli cli;
    const struct mgr_cmd *cmd;
    int argi = 1, rc, exit_code;

    memset(&cli, 0, sizeof(cli));
    cli.opts.size = sizeof(cli.opts);
    cli.opts.color = -1;
    set_default_dirs(&cli);

    exit_code = parse_global_options(argc, argv, &cli, &argi);
    if (exit_code >= 0)
        goto out;
    if (argi >= argc) {
        print_main_usage(stderr);
        exit_code = 2;
        goto out;
    }
    cmd = cmd_lookup(argv[argi]);
    if (!cmd) {
        exit_code = usage_error("unknown command '%s'", argv[argi]);
        goto out;
    }
    if (cli.opts.verbosity > 0)
        mgr_log_set_level(MGR_LOG_INFO);
    else if (cli.opts.verbosity < 0)
        mgr_log_set_level(MGR_LOG_ERR);

    if (mgr_global_init(&cli.err) != MGR_OK) {
        fprintf(stderr, "migrator: error: %s\n", cli.err.msg);
        exit_code = 1;
        goto out;
    }
    rc = run_cmd(cmd, argc - argi, argv + argi, &cli);
    exit_code = exit_code_of(rc);
    if (rc != MGR_OK) {
        const char *msg = cli.err.msg[0] ? cli.err.msg : mgr_strerror(rc);

        mgr_run_fail(cli.run, rc, exit_code, msg);
        /* The message may quote a script or the database. */
        fputs("migrator: error: ", stderr);
        visible_puts(stderr, msg, VISIBLE_KEEP_NEWLINE | VISIBLE_KEEP_TAB);
        fputc('\n', stderr);
    }
    /* A report that could not be written fails an otherwise good run. */
    if (mgr_run_end(cli.run, rc, exit_code) != MGR_OK && exit_code == 0)
        exit_code = 1;
    cli.run = NULL;
    mgr_global_cleanup();
out:
    free(cli.values);
    free(cli.reports);
    free(cli.url);
    if (close_stdout() != 0 && exit_code == 0)
        exit_code = 1;
    return exit_code;
}
