/*
 * cmd_init.c: migrator init, migrator list-templates. The library finds
 * and installs the templates (mgr_templates_list(),
 * mgr_templates_install()); this prints what it did.
 */
#include "autoconfig.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

int cmd_list_templates(int argc, char **argv, struct cli *cli)
{
    char **names, **descriptions;
    int rc;

    if (argc > 1)
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "list-templates takes no arguments, not '%s'",
                             argv[1]);
    rc = mgr_templates_list(cli->opts.template_dir, &names, &descriptions,
                            &cli->err);
    if (rc != MGR_OK)
        return rc;
    printf("Available templates:\n\n");
    for (size_t i = 0; names[i]; i++)
        printf("%s - %s\n", names[i], descriptions[i]);
    printf("\nTemplates are used with the 'init' command, e.g.:\n\n"
           "  migrator init --template generic ./migrations\n");
    mgr_strings_free(names);
    mgr_strings_free(descriptions);
    return MGR_OK;
}

static int init_usage(struct cli *cli, const char *why)
{
    return mgr_error_set(&cli->err, MGR_EUSAGE,
                         "%s; usage: migrator init [--template NAME] DIR",
                         why);
}

static void print_made(char **dirs, char **files, const char *ini)
{
    for (size_t i = 0; dirs[i]; i++)
        printf("Creating directory %s ... done\n", dirs[i]);
    for (size_t i = 0; files[i]; i++)
        printf("Generating %s ... done\n", files[i]);
    printf("Please edit the database_url in '%s' (or set "
           "DATABASE_URL) before proceeding.\n",
           ini);
}

int cmd_init(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        { "template", required_argument, NULL, 't' },
        { NULL, 0, NULL, 0 },
    };
    const char *tmpl = "generic", *ini;
    char **dirs, **files, *dir;
    int c, rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+t:", opts, NULL)) != -1) {
        if (c == 't')
            tmpl = optarg;
        else
            return init_usage(cli, "unknown option");
    }
    if (optind != argc - 1)
        return init_usage(cli, optind >= argc ? "DIR is missing"
                                              : "too many arguments");
    /* DIR without its trailing slashes. */
    dir = argv[optind];
    while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
        dir[strlen(dir) - 1] = '\0';
    ini = cli->config_path ? cli->config_path : "migrator.ini";
    rc = mgr_templates_install(cli->opts.template_dir, tmpl, dir, ini,
                               &dirs, &files, &cli->err);
    if (rc != MGR_OK)
        return rc;
    if (cli->opts.verbosity >= 0)
        print_made(dirs, files, ini);
    mgr_strings_free(dirs);
    mgr_strings_free(files);
    return MGR_OK;
}
