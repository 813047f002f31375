/*
 * main.c: the migrator command line. Parses the global options, finds
 * the command in commands[], prepares what the command's flags ask for
 * (run_cmd) and turns the command's status into the exit code.
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

#include <ltdl.h>
#include <migrator/migrator.h>
#include <migrator/plugin.h>

#include "cmd.h"
#include "config.h"
#include "loader.h"
#include "report.h"
#include "runner.h"
#include "scripts.h"
#include "util.h"

/* Sorted by name: cmd_lookup() relies on it. */
const struct mgr_cmd mgr_commands[] = {
    { "branches", cmd_branches, NEED_SCRIPTS,
      "show the branch points and where they lead" },
    { "check", cmd_check, NEED_SCRIPTS,
      "fail unless the database is at the head revisions" },
    { "current", cmd_current, NEED_SCRIPTS,
      "show the revisions the database is at" },
    { "downgrade", cmd_downgrade, NEED_SCRIPTS,
      "revert to an earlier revision (--sql: print the SQL)" },
    { "edit", cmd_edit, NEED_SCRIPTS, "open a revision's script in $EDITOR" },
    { "ensure-version", cmd_ensure_version, NEED_SCRIPTS,
      "create the version table if it is missing" },
    { "heads", cmd_heads, NEED_SCRIPTS, "show the head revisions" },
    { "help", cmd_help, 0, "show help for migrator or a command" },
    { "history", cmd_history, NEED_SCRIPTS,
      "list the revisions, newest first" },
    { "init", cmd_init, 0, "create a migration environment" },
    { "list-templates", cmd_list_templates, 0,
      "list the templates for init" },
    { "merge", cmd_merge, NEED_SCRIPTS,
      "write a revision that merges two or more heads" },
    { "plugins", cmd_plugins, 0,
      "list the plugins found, and the files refused" },
    { "resolve", cmd_resolve, NEED_SCRIPTS,
      "settle a failed non-transactional revision or an edited script" },
    { "revision", cmd_revision, NEED_SCRIPTS, "write a new revision script" },
    { "show", cmd_show, NEED_SCRIPTS, "show a revision in full" },
    { "stamp", cmd_stamp, NEED_SCRIPTS,
      "set the version table without running scripts" },
    { "unlock", cmd_unlock, NEED_SCRIPTS,
      "remove a stale lock row (lock_strategy = table)" },
    { "upgrade", cmd_upgrade, NEED_SCRIPTS,
      "upgrade to a later revision (--sql: print the SQL)" },
    { "verify", cmd_verify, NEED_SCRIPTS,
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
 * instead of the installed ones.
 */
static int running_from_build_tree(void)
{
#ifdef BUILD_TOPDIR
    char exe[PATH_MAX], top[PATH_MAX];
    size_t n;

    if (!realpath("/proc/self/exe", exe) || !realpath(BUILD_TOPDIR, top))
        return 0;
    n = strlen(top);
    return strncmp(exe, top, n) == 0 && exe[n] == '/';
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

int cmd_help(int argc, char **argv, struct mgr_ctx *ctx)
{
    (void)ctx;
    if (argc < 2) {
        print_main_usage(stdout);
        return MGR_OK;
    }
    if (cmd_print_usage(argv[1], stdout) != 0)
        return mgr_error_set(&ctx->err, MGR_EUSAGE,
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
static int add_report_spec(struct mgr_ctx *ctx, char *arg)
{
    char *colon = strchr(arg, ':');

    if (!colon || colon == arg || !colon[1])
        return -1;
    *colon = '\0';
    ctx->reports = xreallocarray(ctx->reports, (size_t)ctx->nreports + 1,
                                 sizeof(*ctx->reports));
    ctx->reports[ctx->nreports].reporter = arg;
    ctx->reports[ctx->nreports].path = colon + 1;
    ctx->nreports++;
    return 0;
}

/* Returns -1 to go on, or an exit code. */
static int parse_global_options(int argc, char **argv, struct mgr_ctx *ctx,
                                int *argi_out)
{
    static char plugin_dir[PATH_MAX];
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:c:n:x:qv", global_options,
                            NULL)) != -1) {
        switch (c) {
        case 'c': ctx->config_path = optarg; break;
        case 'n': ctx->section = optarg; break;
        case 'x':
            ctx->xargs = xreallocarray(ctx->xargs, (size_t)ctx->nxargs + 2,
                                       sizeof(*ctx->xargs));
            ctx->xargs[ctx->nxargs++] = optarg;
            ctx->xargs[ctx->nxargs] = NULL;
            break;
        case OPT_URL: ctx->url = optarg; break;
        case OPT_PLUGIN_DIR:
            /* Given explicitly, so resolved against the working dir. */
            if (!realpath(optarg, plugin_dir))
                return usage_error("--plugin-dir: cannot use '%s'", optarg);
            ctx->plugin_dir = plugin_dir;
            break;
        case OPT_REPORTER: ctx->reporter = optarg; break;
        case OPT_REPORT_FILE: ctx->report_file = optarg; break;
        case OPT_REPORT:
            if (add_report_spec(ctx, optarg) != 0)
                return usage_error("--report takes NAME:PATH, e.g. "
                                   "'junit:report.xml', not '%s'",
                                   optarg);
            break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") == 0)
                ctx->color = -1;
            else if (strcmp(optarg, "always") == 0)
                ctx->color = 1;
            else if (strcmp(optarg, "never") == 0)
                ctx->color = 0;
            else
                return usage_error("--color takes auto, always or never, "
                                   "not '%s'", optarg);
            break;
        case 'q': ctx->verbosity = -1; break;
        case 'v': ctx->verbosity = 1; break;
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

static int prepare_config(struct mgr_ctx *ctx)
{
    const char *path = ctx->config_path;
    int rc;

    if (!path)
        path = getenv("MIGRATOR_CONFIG");
    if (!path || !*path)
        path = "migrator.ini";
    rc = config_load(&ctx->config, path, ctx->section, &ctx->err);
    if (rc != MGR_OK)
        return rc;
    for (int i = 0; i < ctx->nxargs; i++) {
        rc = config_set_arg(ctx->config, ctx->xargs[i], &ctx->err);
        if (rc != MGR_OK)
            return rc;
    }
    if (ctx->url)
        config_set(ctx->config, "database_url", ctx->url);
    return MGR_OK;
}

/*
 * A command that reads a project gets its reports, opened even when the
 * config failed so that the failure is reported too. A report that
 * cannot be opened stops everything before anything runs.
 */
static int run_cmd(const struct mgr_cmd *cmd, int argc, char **argv,
                   struct mgr_ctx *ctx)
{
    struct mgr_error config_err;
    int rc = MGR_OK, report_rc;

    if (!(cmd->flags & NEED_CONFIG))
        return cmd->fn(argc, argv, ctx);
    rc = prepare_config(ctx);
    config_err = ctx->err;
    report_rc = report_open(ctx, cmd->name);
    if (report_rc != MGR_OK)
        return report_rc;
    ctx->err = config_err;
    if (rc == MGR_OK && (cmd->flags & NEED_SCRIPTS) == NEED_SCRIPTS)
        rc = scripts_prepare(ctx);
    if (rc == MGR_OK)
        rc = cmd->fn(argc, argv, ctx);
    return rc;
}

static void ctx_release(struct mgr_ctx *ctx)
{
    scripts_release(ctx);
    plugin_set_free(ctx->plugins);
    config_free(ctx->config);
    free(ctx->xargs);
    free(ctx->reports);
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

int main(int argc, char **argv)
{
    struct mgr_ctx ctx;
    const struct mgr_cmd *cmd;
    int argi = 1, rc, exit_code;

    memset(&ctx, 0, sizeof(ctx));
    ctx.color = -1;
    if (running_from_build_tree()) {
        ctx.default_plugin_dir = BUILD_PLUGINDIR;
        ctx.template_dir = BUILD_TEMPLATEDIR;
    } else {
        ctx.default_plugin_dir = PLUGINDIR;
        ctx.template_dir = TEMPLATEDIR;
    }

    exit_code = parse_global_options(argc, argv, &ctx, &argi);
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
    if (ctx.verbosity > 0)
        mgr_log_set_level(MGR_LOG_INFO);
    else if (ctx.verbosity < 0)
        mgr_log_set_level(MGR_LOG_ERR);

    report_hold_logs();
    if (lt_dlinit() != 0) {
        fprintf(stderr, "migrator: error: cannot initialise libltdl: %s\n",
                lt_dlerror());
        exit_code = 1;
        goto out;
    }
    rc = run_cmd(cmd, argc - argi, argv + argi, &ctx);
    exit_code = mgr_status_exit_code(rc);
    if (rc == MGR_EINTR && runner_interrupted())
        exit_code = 128 + runner_interrupted();
    if (rc != MGR_OK) {
        const char *msg = ctx.err.msg[0] ? ctx.err.msg : mgr_strerror(rc);

        report_failure(ctx.report, rc, exit_code, msg);
        fprintf(stderr, "migrator: error: %s\n", msg);
    }
    /* A report that could not be written fails an otherwise good run. */
    if (report_finish(ctx.report, rc, exit_code) != MGR_OK && exit_code == 0)
        exit_code = 1;
    ctx.report = NULL;
    report_drop_held_logs();
    ctx_release(&ctx);
#ifndef MGR_KEEP_MODULES_LOADED
    lt_dlexit();
#endif
out:
    if (close_stdout() != 0 && exit_code == 0)
        exit_code = 1;
    return exit_code;
}
