/*
 * op_templates.c: the templates of `migrator init` and
 * `migrator list-templates` (<migrator/commands.h>).
 *
 * A template is a directory under the template dir holding description
 * (one line), migrator.ini (with @script_location@ placeholders), README,
 * script.sql.tmpl and optionally script.c.tmpl. Installing one writes the
 * config file (migrator.ini in the working directory, for the CLI) and
 * DIR/README, the script templates and DIR/versions/.
 */
#include "autoconfig.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <migrator/commands.h>

#include "fileio.h"
#include "project.h"
#include "util.h"

static void template_path(const char *template_dir, const char *name,
                          const char *file, struct mgr_buf *out)
{
    mgr_buf_reset(out);
    mgr_buf_addf(out, "%s/%s", template_dir, name);
    if (file)
        mgr_buf_addf(out, "/%s", file);
}

/* The first line of a template's description file, or "". */
static char *template_description(const char *template_dir,
                                  const char *name)
{
    struct mgr_buf path = MGR_BUF_INIT, text = MGR_BUF_INIT;
    char *nl;

    template_path(template_dir, name, "description", &path);
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

int mgr_templates_list(const char *template_dir, char ***names_out,
                       char ***descriptions_out, struct mgr_error *err)
{
    struct dirent **entries;
    char **names, **descriptions;
    int n;

    if (!template_dir)
        template_dir = TEMPLATEDIR;
    n = scandir(template_dir, &entries, is_template, by_name);
    if (n < 0)
        return mgr_error_set_errno(err, MGR_EIO, errno,
                                   "cannot list templates in '%s'",
                                   template_dir);
    names = xcalloc((size_t)n + 1, sizeof(*names));
    descriptions = xcalloc((size_t)n + 1, sizeof(*descriptions));
    for (int i = 0; i < n; i++) {
        names[i] = xstrdup(entries[i]->d_name);
        descriptions[i] = template_description(template_dir, names[i]);
        free(entries[i]);
    }
    free(entries);
    *names_out = names;
    *descriptions_out = descriptions;
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

/* What an installation works from and what it has made. */
struct install {
    const char *template_dir;
    const char *name;
    const char *dir;
    const char *ini;
    char **files; /* made so far, in order; owned */
    size_t nfiles;
};

/* Add path to what the installation made. */
static void remember_file(struct install *in, const char *path)
{
    in->files = xreallocarray(in->files, in->nfiles + 1, sizeof(*in->files));
    in->files[in->nfiles++] = xstrdup(path);
}

/* Copy a template file to dest, replacing @script_location@ with
 * location. */
static int install_file(struct install *in, const char *file,
                        const char *dest, const char *location, mode_t mode,
                        struct mgr_error *err)
{
    struct mgr_buf path = MGR_BUF_INIT, text = MGR_BUF_INIT;
    struct mgr_buf out = MGR_BUF_INIT;
    const char *p, *at;
    static const char placeholder[] = "@script_location@";
    int rc;

    template_path(in->template_dir, in->name, file, &path);
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
    if (rc == MGR_OK)
        remember_file(in, dest);
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

/* Nothing is made unless the template exists and nothing is in the
 * way. */
static int check_install(const struct install *in, struct mgr_error *err)
{
    struct mgr_buf path = MGR_BUF_INIT;
    struct stat st;
    int rc = MGR_OK;

    template_path(in->template_dir, in->name, NULL, &path);
    if (stat(path.buf, &st) != 0 || !S_ISDIR(st.st_mode))
        rc = mgr_error_set(err, MGR_EUSAGE,
                           "no template '%s'; see 'migrator "
                           "list-templates'",
                           in->name);
    else if (lstat(in->ini, &st) == 0)
        rc = mgr_error_set(err, MGR_EEXIST,
                           "'%s' exists already; remove it or run init "
                           "in another directory",
                           in->ini);
    else
        rc = check_target_dir(in->dir, err);
    mgr_buf_release(&path);
    return rc;
}

/*
 * DIR/.gitignore: the build cache of C scripts (.migrator-cache/ beside
 * them) holds modules compiled on this machine. It is never a source of
 * code (a module is used only if this user's migrator built it), so
 * committing it only carries files that every clone builds again.
 */
static int install_gitignore(struct install *in, struct mgr_error *err)
{
    static const char text[] =
        "# Modules compiled from C revision scripts on this machine.\n"
        ".migrator-cache/\n";
    struct mgr_buf dest = MGR_BUF_INIT;
    int rc;

    mgr_buf_addf(&dest, "%s/.gitignore", in->dir);
    rc = file_create_exclusive(dest.buf, text, sizeof(text) - 1, 0644, err);
    if (rc == MGR_OK)
        remember_file(in, dest.buf);
    mgr_buf_release(&dest);
    return rc;
}

/* DIR, DIR/versions, DIR/README, DIR/.gitignore and the script
 * templates. */
static int install_dir(struct install *in, struct mgr_error *err)
{
    static const char *const scripts[] = { "script.sql.tmpl",
                                           "script.c.tmpl" };
    struct mgr_buf path = MGR_BUF_INIT, dest = MGR_BUF_INIT;
    int rc;

    rc = make_dir(in->dir, err);
    if (rc == MGR_OK) {
        mgr_buf_addf(&dest, "%s/versions", in->dir);
        rc = make_dir(dest.buf, err);
    }
    if (rc == MGR_OK) {
        mgr_buf_reset(&dest);
        mgr_buf_addf(&dest, "%s/README", in->dir);
        rc = install_file(in, "README", dest.buf, "", 0644, err);
    }
    if (rc == MGR_OK)
        rc = install_gitignore(in, err);
    for (size_t i = 0; rc == MGR_OK && i < 2; i++) {
        template_path(in->template_dir, in->name, scripts[i], &path);
        if (i > 0 && access(path.buf, F_OK) != 0)
            continue; /* a template without C scripts */
        mgr_buf_reset(&dest);
        mgr_buf_addf(&dest, "%s/%s", in->dir, scripts[i]);
        rc = install_file(in, scripts[i], dest.buf, "", 0644, err);
    }
    mgr_buf_release(&path);
    mgr_buf_release(&dest);
    return rc;
}

/*
 * %(here)s is the directory of the config file: a relative DIR is
 * written relative to it when the file goes into the working directory,
 * and as an absolute path otherwise. The file may come to hold a
 * database URL: readable by the owner only.
 */
static int install_config(struct install *in, struct mgr_error *err)
{
    struct mgr_buf location = MGR_BUF_INIT;
    char *abs_dir = NULL;
    int rc;

    if (in->dir[0] != '/' && !strchr(in->ini, '/')) {
        mgr_buf_addf(&location, "%%(here)s/%s", in->dir);
    } else {
        abs_dir = realpath(in->dir, NULL);
        mgr_buf_addstr(&location, abs_dir ? abs_dir : in->dir);
    }
    rc = install_file(in, "migrator.ini", in->ini, location.buf, 0600, err);
    mgr_buf_release(&location);
    free(abs_dir);
    return rc;
}

int mgr_templates_install(const char *template_dir, const char *template,
                          const char *dir, const char *ini,
                          char ***dirs_out, char ***files_out,
                          struct mgr_error *err)
{
    struct install in = { template_dir ? template_dir : TEMPLATEDIR,
                          template, dir, ini, NULL, 0 };
    const char *dirs[2];
    struct mgr_buf versions = MGR_BUF_INIT;
    int rc;

    rc = check_install(&in, err);
    if (rc == MGR_OK)
        rc = install_dir(&in, err);
    if (rc == MGR_OK)
        rc = install_config(&in, err);
    if (rc == MGR_OK) {
        mgr_buf_addf(&versions, "%s/versions", dir);
        dirs[0] = dir;
        dirs[1] = versions.buf;
        *dirs_out = project_strings(dirs, 2);
        *files_out = project_strings((const char *const *)in.files,
                                     in.nfiles);
    }
    mgr_buf_release(&versions);
    for (size_t i = 0; i < in.nfiles; i++)
        free(in.files[i]);
    free(in.files);
    return rc;
}
