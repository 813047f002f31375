/*
 * cmd_graph.c: the listing commands: heads, branches, history, show.
 * The options are parsed here; the listing is the library's
 * (mgr_run_heads() ...).
 */
#include "autoconfig.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

struct graph_opts {
    bool verbose;
    bool resolve_deps;
    bool indicate_current;
    const char *range;
    const char *positional;
};

/* Options of the read-only commands; allowed says which are accepted. */
static int parse_graph_opts(int argc, char **argv, const char *allowed,
                            bool want_positional, struct graph_opts *o,
                            struct cli *cli)
{
    static const struct option opts[] = {
        { "verbose", no_argument, NULL, 'v' },
        { "resolve-dependencies", no_argument, NULL, 'R' },
        { "indicate-current", no_argument, NULL, 'i' },
        { "rev-range", required_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    memset(o, 0, sizeof(*o));
    o->verbose = cli->opts.verbosity > 0;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+vir:", opts, NULL)) != -1) {
        if (c == '?' || c == ':' || !strchr(allowed, c))
            return mgr_error_set(&cli->err, MGR_EUSAGE,
                                 "%s: unknown option or missing value in "
                                 "'%s'; see 'migrator help %s'",
                                 argv[0], argv[optind - 1], argv[0]);
        switch (c) {
        case 'v': o->verbose = true; break;
        case 'R': o->resolve_deps = true; break;
        case 'i': o->indicate_current = true; break;
        case 'r': o->range = optarg; break;
        }
    }
    if (want_positional && optind == argc - 1)
        o->positional = argv[optind++];
    if (optind != argc || (want_positional && !o->positional))
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             want_positional
                                 ? "%s takes one revision; see 'migrator "
                                   "help %s'"
                                 : "%s takes no arguments; see 'migrator "
                                   "help %s'",
                             argv[0], argv[0]);
    return MGR_OK;
}

int cmd_heads(int argc, char **argv, struct cli *cli)
{
    struct graph_opts o;
    int rc = parse_graph_opts(argc, argv, "vR", false, &o, cli);

    if (rc != MGR_OK)
        return rc;
    return mgr_run_heads(cli->run, o.verbose, o.resolve_deps, &cli->err);
}

int cmd_branches(int argc, char **argv, struct cli *cli)
{
    struct graph_opts o;
    int rc = parse_graph_opts(argc, argv, "v", false, &o, cli);

    if (rc != MGR_OK)
        return rc;
    return mgr_run_branches(cli->run, o.verbose, &cli->err);
}

int cmd_history(int argc, char **argv, struct cli *cli)
{
    struct graph_opts o;
    int rc = parse_graph_opts(argc, argv, "vir", false, &o, cli);

    if (rc != MGR_OK)
        return rc;
    return mgr_run_history(cli->run, o.range, o.verbose, o.indicate_current,
                           &cli->err);
}

int cmd_show(int argc, char **argv, struct cli *cli)
{
    struct graph_opts o;
    int rc = parse_graph_opts(argc, argv, "", true, &o, cli);

    if (rc != MGR_OK)
        return rc;
    return mgr_run_show(cli->run, o.positional, &cli->err);
}
