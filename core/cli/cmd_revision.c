/*
 * cmd_revision.c: migrator revision, merge, baseline and edit: their
 * options. The
 * library writes the script (mgr_run_revision(), mgr_run_merge()) or
 * runs the editor on it (mgr_run_edit()).
 */
#include "autoconfig.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "cmd.h"

struct revision_args {
    struct mgr_revision_options o;
    const char **labels;  /* o.labels, owned */
    const char **depends; /* o.depends, owned */
};

static void args_release(struct revision_args *a)
{
    free(a->labels);
    free(a->depends);
}

/* "a,b" given to --branch-label or --depends-on: each entry separately. */
static void push_list(const char ***v, size_t *n, char *arg)
{
    char *save = NULL;

    for (char *p = strtok_r(arg, ", ", &save); p;
         p = strtok_r(NULL, ", ", &save))
        cli_push(v, n, p);
}

static bool format_valid(const char *format)
{
    return *format && strspn(format, "abcdefghijklmnopqrstuvwxyz"
                                     "0123456789") == strlen(format);
}

static int bad_option(struct revision_args *a, char **argv,
                      struct cli *cli)
{
    args_release(a);
    return mgr_error_set(&cli->err, MGR_EUSAGE,
                         "%s: unknown option or missing value in '%s'; see "
                         "'migrator help %s'",
                         argv[0], argv[optind - 1], argv[0]);
}

static int parse_args(int argc, char **argv, bool merge,
                      struct revision_args *a, struct cli *cli)
{
    static const struct option opts[] = {
        { "message", required_argument, NULL, 'm' },
        { "head", required_argument, NULL, 'H' },
        { "splice", no_argument, NULL, 'S' },
        { "branch-label", required_argument, NULL, 'b' },
        { "depends-on", required_argument, NULL, 'd' },
        { "rev-id", required_argument, NULL, 'r' },
        { "version-path", required_argument, NULL, 'p' },
        { "autogenerate", no_argument, NULL, 'A' },
        { "format", required_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    const char *allowed = merge ? "mbrS" : "mHSbdrpAf";
    struct mgr_revision_options *o = &a->o;
    int c;

    memset(a, 0, sizeof(*a));
    o->size = sizeof(*o);
    o->head = "head";
    o->message = "";
    o->format = "sql";
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
        if (c == '?' || c == ':' || !strchr(allowed, c))
            return bad_option(a, argv, cli);
        switch (c) {
        case 'm': o->message = optarg; break;
        case 'H': o->head = optarg; break;
        case 'S': o->splice = true; break;
        case 'b': push_list(&a->labels, &o->nlabels, optarg); break;
        case 'd': push_list(&a->depends, &o->ndepends, optarg); break;
        case 'r': o->rev_id = optarg; break;
        case 'p': o->version_path = optarg; break;
        case 'f':
            o->format = optarg;
            if (!format_valid(optarg)) {
                args_release(a);
                return mgr_error_set(&cli->err, MGR_EUSAGE,
                                     "--format '%s': give a script format "
                                     "by its file ending, e.g. 'sql' or "
                                     "'c'",
                                     optarg);
            }
            break;
        case 'A':
            a->o.autogenerate = true;
            break;
        }
    }
    o->labels = a->labels;
    o->depends = a->depends;
    o->revs = (const char *const *)argv + optind;
    o->nrevs = (size_t)(argc - optind);
    if (!merge && o->nrevs) {
        args_release(a);
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "revision takes no positional argument ('%s'); "
                             "the message goes after -m",
                             o->revs[0]);
    }
    return MGR_OK;
}

int cmd_revision(int argc, char **argv, struct cli *cli)
{
    struct revision_args a;
    int rc;

    rc = parse_args(argc, argv, false, &a, cli);
    if (rc != MGR_OK)
        return rc;
    rc = mgr_run_revision(cli->run, &a.o, &cli->err);
    args_release(&a);
    return rc;
}

int cmd_baseline(int argc, char **argv, struct cli *cli)
{
    struct revision_args a;
    int rc;

    rc = parse_args(argc, argv, false, &a, cli);
    if (rc == MGR_OK && a.o.autogenerate)
        rc = mgr_error_set(&cli->err, MGR_EUSAGE,
                           "baseline writes the schema the database has; "
                           "--autogenerate is for revision");
    if (rc == MGR_OK)
        rc = mgr_run_baseline(cli->run, &a.o, &cli->err);
    args_release(&a);
    return rc;
}

int cmd_merge(int argc, char **argv, struct cli *cli)
{
    struct revision_args a;
    int rc;

    rc = parse_args(argc, argv, true, &a, cli);
    if (rc != MGR_OK)
        return rc;
    rc = mgr_run_merge(cli->run, &a.o, &cli->err);
    args_release(&a);
    return rc;
}

/* $VISUAL, else $EDITOR, else vi. */
static const char *choose_editor(void)
{
    const char *editor = getenv("VISUAL");

    if (!editor || !*editor)
        editor = getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";
    return editor;
}

int cmd_edit(int argc, char **argv, struct cli *cli)
{
    if (argc != 2)
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "edit takes one revision; see 'migrator help "
                             "edit'");
    return mgr_run_edit(cli->run, argv[1], choose_editor(), &cli->err);
}
