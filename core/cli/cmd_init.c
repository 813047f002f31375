/*
 * cmd_init.c: migrator init, migrator list-templates.
 *
 * A template is a directory under the template dir holding description
 * (one line), migrator.ini (with @script_location@ placeholders), README,
 * script.sql.tmpl and optionally script.c.tmpl. init writes migrator.ini
 * into the working directory, and DIR/README, the script templates and
 * DIR/versions/.
 */
#include "autoconfig.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "fileio.h"
#include "util.h"

static int template_path(const struct mgr_ctx *ctx, const char *name,
                         const char *file, struct mgr_buf *out)
{
    mgr_buf_reset(out);
    mgr_buf_addf(out, "%s/%s", ctx->template_dir, name);
    if (file)
        mgr_buf_addf(out, "/%s", file);
    return MGR_OK;
}

/* The first line of a template's description file, or "". */
static char *template_description(const struct mgr_ctx *ctx,
                                  const char *name)
{
    struct mgr_buf path = MGR_BUF_INIT, text = MGR_BUF_INIT;
    char *nl;

    template_path(ctx, name, "description", &path);
    if (file_read_all(path.buf, &text, NULL) != MGR_OK)
        mgr_buf_addstr(&text, "");
    nl = strchr(text.buf, '\n');
    if (nl)
        mgr_buf_setlen(&text, (size_t)(nl - text.buf));
    mgr_buf_release(&path);
    return mgr_buf_detach(&text, NULL);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_template(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

int cmd_list_templates(int argc, char **argv, struct mgr_ctx *ctx)
{
    struct dirent **names;
    int n;

    if (argc > 1)
        return mgr_error_set(&ctx->err, MGR_EUSAGE,
                             "list-templates takes no arguments, not '%s'",
                             argv[1]);
    n = scandir(ctx->template_dir, &names, is_template, by_name);
    if (n < 0)
        return mgr_error_set_errno(&ctx->err, MGR_EIO, errno,
                                   "cannot list templates in '%s'",
                                   ctx->template_dir);
    printf("Available templates:\n\n");
    for (int i = 0; i < n; i++) {
        char *descr = template_description(ctx, names[i]->d_name);

        printf("%s - %s\n", names[i]->d_name, descr);
        free(descr);
        free(names[i]);
    }
    free(names);
    printf("\nTemplates are used with the 'init' command, e.g.:\n\n"
           "  migrator init --template generic ./migrations\n");
    return MGR_OK;
}

/* DIR must not exist, or be an empty directory. */
static int check_target_dir(const char *dir, struct mgr_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d) {
        if (errno == ENOENT)
            return MGR_OK;
        return mgr_error_set_errno(err, MGR_EIO, errno,
                                   "cannot use directory '%s'", dir);
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            closedir(d);
            return mgr_error_set(err, MGR_EEXIST,
                                 "directory '%s' is not empty; choose a new "
                                 "or empty directory",
                                 dir);
        }
    }
    closedir(d);
    return MGR_OK;
}

/* Copy a template file, replacing @script_location@ with location. */
static int install_file(const struct mgr_ctx *ctx, const char *tmpl,
                        const char *file, const char *dest,
                        const char *location, mode_t mode,
                        struct mgr_error *err)
{
    struct mgr_buf path = MGR_BUF_INIT, text = MGR_BUF_INIT;
    struct mgr_buf out = MGR_BUF_INIT;
    const char *p, *at;
    static const char placeholder[] = "@script_location@";
    int rc;

    template_path(ctx, tmpl, file, &path);
    rc = file_read_all(path.buf, &text, err);
    if (rc != MGR_OK)
        goto out;
    for (p = text.buf; (at = strstr(p, placeholder)) != NULL;
         p = at + sizeof(placeholder) - 1) {
        mgr_buf_add(&out, p, (size_t)(at - p));
        mgr_buf_addstr(&out, location);
    }
    mgr_buf_addstr(&out, p);
    rc = file_create_exclusive(dest, out.buf, out.len, mode, err);
out:
    mgr_buf_release(&path);
    mgr_buf_release(&text);
    mgr_buf_release(&out);
    return rc;
}

static int make_dir(const char *dir, struct mgr_error *err)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return mgr_error_set_errno(err, MGR_EIO, errno,
                                   "cannot create directory '%s'", dir);
    return MGR_OK;
}

static int init_usage(struct mgr_ctx *ctx, const char *why)
{
    return mgr_error_set(&ctx->err, MGR_EUSAGE,
                         "%s; usage: migrator init [--template NAME] DIR",
                         why);
}

int cmd_init(int argc, char **argv, struct mgr_ctx *ctx)
{
    static const struct option opts[] = {
        { "template", required_argument, NULL, 't' },
        { NULL, 0, NULL, 0 },
    };
    const char *tmpl = "generic", *ini;
    struct mgr_buf path = MGR_BUF_INIT, dest = MGR_BUF_INIT;
    struct mgr_buf location = MGR_BUF_INIT;
    char *dir = NULL, *abs_dir = NULL;
    bool have_c = false;
    struct stat st;
    int c, rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+t:", opts, NULL)) != -1) {
        if (c == 't')
            tmpl = optarg;
        else
            return init_usage(ctx, "unknown option");
    }
    if (optind != argc - 1)
        return init_usage(ctx, optind >= argc ? "DIR is missing"
                                              : "too many arguments");
    dir = xstrdup(argv[optind]);
    while (strlen(dir) > 1 && str_has_suffix(dir, "/"))
        dir[strlen(dir) - 1] = '\0';

    template_path(ctx, tmpl, NULL, &path);
    if (stat(path.buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "no template '%s'; see 'migrator "
                           "list-templates'",
                           tmpl);
        goto out;
    }
    ini = ctx->config_path ? ctx->config_path : "migrator.ini";
    if (lstat(ini, &st) == 0) {
        rc = mgr_error_set(&ctx->err, MGR_EEXIST,
                           "'%s' exists already; remove it or run init "
                           "in another directory",
                           ini);
        goto out;
    }
    rc = check_target_dir(dir, &ctx->err);
    if (rc != MGR_OK)
        goto out;

    rc = make_dir(dir, &ctx->err);
    if (rc == MGR_OK) {
        mgr_buf_addf(&dest, "%s/versions", dir);
        rc = make_dir(dest.buf, &ctx->err);
    }
    if (rc == MGR_OK) {
        mgr_buf_reset(&dest);
        mgr_buf_addf(&dest, "%s/README", dir);
        rc = install_file(ctx, tmpl, "README", dest.buf, "", 0644,
                          &ctx->err);
    }
    for (size_t i = 0; rc == MGR_OK && i < 2; i++) {
        static const char *const scripts[] = { "script.sql.tmpl",
                                               "script.c.tmpl" };

        template_path(ctx, tmpl, scripts[i], &path);
        if (i > 0 && access(path.buf, F_OK) != 0)
            continue; /* a template without C scripts */
        have_c = i > 0;
        mgr_buf_reset(&dest);
        mgr_buf_addf(&dest, "%s/%s", dir, scripts[i]);
        rc = install_file(ctx, tmpl, scripts[i], dest.buf, "", 0644,
                          &ctx->err);
    }
    /*
     * %(here)s is the directory of migrator.ini: a relative DIR is
     * written relative to it when the file goes into the working
     * directory, and as an absolute path otherwise.
     */
    if (rc == MGR_OK) {
        if (dir[0] != '/' && !strchr(ini, '/')) {
            mgr_buf_addf(&location, "%%(here)s/%s", dir);
        } else {
            abs_dir = realpath(dir, NULL);
            mgr_buf_addstr(&location, abs_dir ? abs_dir : dir);
        }
    }
    /* It may come to hold a database URL: readable by the owner only. */
    if (rc == MGR_OK)
        rc = install_file(ctx, tmpl, "migrator.ini", ini, location.buf, 0600,
                          &ctx->err);
    if (rc == MGR_OK && ctx->verbosity >= 0) {
        printf("Creating directory %s ... done\n", dir);
        printf("Creating directory %s/versions ... done\n", dir);
        printf("Generating %s/README ... done\n", dir);
        printf("Generating %s/script.sql.tmpl ... done\n", dir);
        if (have_c)
            printf("Generating %s/script.c.tmpl ... done\n", dir);
        printf("Generating %s ... done\n", ini);
        printf("Please edit the database_url in '%s' (or set "
               "DATABASE_URL) before proceeding.\n",
               ini);
    }
out:
    mgr_buf_release(&path);
    mgr_buf_release(&dest);
    mgr_buf_release(&location);
    free(dir);
    free(abs_dir);
    return rc;
}
