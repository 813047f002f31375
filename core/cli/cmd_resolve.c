/*
 * cmd_resolve.c: migrator resolve and verify, the integrity commands:
 * their arguments. The library settles the revision (mgr_run_resolve())
 * or checks the applied scripts (mgr_run_verify()).
 */
#include "autoconfig.h"

#include <getopt.h>
#include <stdio.h>

#include "cmd.h"

static int parse_resolve(int argc, char **argv,
                         enum mgr_resolve_action *action, const char **rev,
                         struct cli *cli)
{
    static const struct option opts[] = {
        { "mark-applied", no_argument, NULL, 'a' },
        { "mark-rolled-back", no_argument, NULL, 'r' },
        { "accept-checksum", no_argument, NULL, 'c' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    *action = 0;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == '?' || *action != 0)
            return mgr_error_set(&cli->err, MGR_EUSAGE,
                                 "resolve takes one of --mark-applied, "
                                 "--mark-rolled-back, --accept-checksum");
        *action = c == 'a'   ? MGR_RESOLVE_APPLIED
                  : c == 'r' ? MGR_RESOLVE_ROLLED_BACK
                             : MGR_RESOLVE_ACCEPT_CHECKSUM;
    }
    if (*action == 0 || optind != argc - 1)
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "usage: migrator resolve REVISION "
                             "--mark-applied|--mark-rolled-back|"
                             "--accept-checksum");
    *rev = argv[optind];
    return MGR_OK;
}

int cmd_resolve(int argc, char **argv, struct cli *cli)
{
    enum mgr_resolve_action action;
    const char *rev = NULL;
    int rc;

    rc = parse_resolve(argc, argv, &action, &rev, cli);
    if (rc != MGR_OK)
        return rc;
    return mgr_run_resolve(cli->run, rev, action, &cli->err);
}

int cmd_verify(int argc, char **argv, struct cli *cli)
{
    if (argc > 1)
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "verify takes no arguments, not '%s'", argv[1]);
    return mgr_run_verify(cli->run, &cli->err);
}
