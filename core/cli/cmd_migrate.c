/*
 * cmd_migrate.c: migrator upgrade, downgrade and stamp: their arguments.
 * The library runs them (mgr_run_upgrade() ...), online or, with --sql,
 * as SQL text.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_confirm.h"
#include "cli_util.h"
#include "cmd.h"

struct migrate_args {
    bool sql;
    bool purge;
    bool yes; /* --yes: a protected database needs no confirmation */
    const char *tag;
    const char **revs; /* the positional arguments */
    size_t nrevs;
};

/* "-2", "-10:base": a relative step, not an option. */
static bool is_relative_step(const char *arg)
{
    return arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9';
}

/*
 * Options may follow the revision, as in Alembic, and a revision may
 * start with '-' (downgrade -1), so this is not getopt.
 */
static int parse_args(int argc, char **argv, bool allow_purge,
                      struct migrate_args *a, struct cli *cli)
{
    bool options_done = false;

    memset(a, 0, sizeof(*a));
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];

        if (options_done || arg[0] != '-' || is_relative_step(arg)) {
            cli_push(&a->revs, &a->nrevs, arg);
        } else if (strcmp(arg, "--") == 0) {
            options_done = true;
        } else if (strcmp(arg, "--sql") == 0) {
            a->sql = true;
        } else if (strcmp(arg, "--yes") == 0) {
            a->yes = true;
        } else if (allow_purge && strcmp(arg, "--purge") == 0) {
            a->purge = true;
        } else if (strncmp(arg, "--tag=", strlen("--tag=")) == 0) {
            a->tag = arg + strlen("--tag=");
        } else if (strcmp(arg, "--tag") == 0 && i + 1 < argc) {
            a->tag = argv[++i];
        } else {
            free(a->revs);
            a->revs = NULL;
            return mgr_error_set(&cli->err, MGR_EUSAGE,
                                 "%s: unknown option '%s'; see 'migrator "
                                 "help %s'",
                                 argv[0], arg, argv[0]);
        }
    }
    return MGR_OK;
}

static int upgrade_or_downgrade(int argc, char **argv, struct cli *cli,
                                bool up)
{
    struct migrate_args a;
    int rc;

    rc = parse_args(argc, argv, false, &a, cli);
    if (rc != MGR_OK)
        return rc;
    if (!up && !a.sql)
        rc = cli_confirm_protected(cli, "downgrade", a.yes);
    if (rc == MGR_OK)
        rc = up ? mgr_run_upgrade(cli->run, a.revs, a.nrevs, a.sql,
                                  &cli->err)
                : mgr_run_downgrade(cli->run, a.revs, a.nrevs, a.sql,
                                    &cli->err);
    free(a.revs);
    return rc;
}

int cmd_upgrade(int argc, char **argv, struct cli *cli)
{
    return upgrade_or_downgrade(argc, argv, cli, true);
}

int cmd_downgrade(int argc, char **argv, struct cli *cli)
{
    return upgrade_or_downgrade(argc, argv, cli, false);
}

int cmd_stamp(int argc, char **argv, struct cli *cli)
{
    struct migrate_args a;
    int rc;

    rc = parse_args(argc, argv, true, &a, cli);
    if (rc != MGR_OK)
        return rc;
    if (a.purge && !a.sql)
        rc = cli_confirm_protected(cli, "purge", a.yes);
    if (rc == MGR_OK)
        rc = mgr_run_stamp(cli->run, a.revs, a.nrevs, a.sql, a.purge,
                           &cli->err);
    free(a.revs);
    return rc;
}
