/*
 * loader.c: plugins found on a search path, checked for trust before they
 * are opened, opened with libltdl, checked against the ABI and the file
 * name, initialised, and finished and closed in the reverse order.
 */
#include "autoconfig.h"

#include <dirent.h>
#ifdef HAVE_DLFCN_H
#include <dlfcn.h>
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ltdl.h>

#include "ctx.h"
#include "config.h"
#include "hostapi.h"
#include "elfcheck.h"
#include "loader.h"
#include "opscheck.h"
#include "script_cache.h"
#include "trust.h"
#include "util.h"

/* One loaded plugin; pub comes first and is what callers see. */
struct loaded {
    struct mgr_loaded_plugin pub;
    lt_dlhandle handle;
    struct mgr_host *host;
};

struct mgr_plugin_set {
    char **dirs; /* NULL-terminated, absolute */
    struct host_listener listener; /* every plugin's host reports here */
    struct script_cache *scripts;  /* the command's scripts, read once */
    struct loaded **items;
    size_t nitems;
    size_t alloc;
};

typedef const struct mgr_plugin *(*entry_fn)(void);

static const char *const kind_names[] = {
    [MGR_PLUGIN_DIALECT] = "dialect",
    [MGR_PLUGIN_FORMAT] = "format",
    [MGR_PLUGIN_REPORTER] = "reporter",
    [MGR_PLUGIN_LINTER] = "linter",
};

const char *plugin_kind_name(enum mgr_plugin_kind kind)
{
    if ((int)kind <= 0 ||
        (size_t)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
        return NULL;
    return kind_names[kind];
}

/* Letters, digits, '_', '-', '+', '.', starting with a letter or digit. */
static bool name_valid(const char *name)
{
    const char *p;

    if (!name || !*name || strlen(name) > 64)
        return false;
    for (p = name; *p; p++) {
        bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9');

        if (!alnum && (p == name || !strchr("_-+.", *p)))
            return false;
    }
    return true;
}

static char *path_join(const char *dir, const char *file)
{
    struct mgr_buf sb = MGR_BUF_INIT;
    size_t len = strlen(dir);

    mgr_buf_add(&sb, dir, len);
    if (len == 0 || dir[len - 1] != '/')
        mgr_buf_addch(&sb, '/');
    mgr_buf_addstr(&sb, file);
    return mgr_buf_detach(&sb, NULL);
}

/* ---- the set ---------------------------------------------------------- */

int plugin_set_new(struct mgr_plugin_set **set_out,
                       const char *const *dirs, struct mgr_error *err)
{
    struct mgr_plugin_set *set;
    size_t n = 0;

    for (n = 0; dirs && dirs[n]; n++)
        if (dirs[n][0] != '/')
            return mgr_error_set(err, MGR_ECONFIG,
                                 "plugin directory '%s' is not absolute; "
                                 "give its full path",
                                 dirs[n]);
    set = xcalloc(1, sizeof(*set));
    set->scripts = script_cache_new();
    set->dirs = xcalloc(n + 1, sizeof(*set->dirs));
    for (size_t i = 0; i < n; i++)
        set->dirs[i] = xstrdup(dirs[i]);
    *set_out = set;
    return MGR_OK;
}

static void loaded_free(struct loaded *lp)
{
    const struct mgr_plugin *desc = lp->pub.desc;

    if (desc && desc->fini)
        desc->fini(lp->pub.state);
#ifndef MGR_KEEP_MODULES_LOADED
    if (lp->handle)
        lt_dlclose(lp->handle);
#endif
    hostapi_host_free(lp->host);
    free(lp->pub.path);
    free(lp);
}

void plugin_set_free(struct mgr_plugin_set *set)
{
    if (!set)
        return;
    while (set->nitems > 0)
        loaded_free(set->items[--set->nitems]);
    free(set->items);
    for (size_t i = 0; set->dirs[i]; i++)
        free(set->dirs[i]);
    free(set->dirs);
    script_cache_free(set->scripts);
    free(set);
}

struct script_cache *plugin_set_scripts(const struct mgr_plugin_set *set)
{
    return set ? set->scripts : NULL;
}

size_t plugin_set_count(const struct mgr_plugin_set *set)
{
    return set ? set->nitems : 0;
}

const struct mgr_loaded_plugin *
plugin_set_get(const struct mgr_plugin_set *set, size_t i)
{
    if (!set || i >= set->nitems)
        return NULL;
    return &set->items[i]->pub;
}

const struct mgr_loaded_plugin *
loader_find(const struct mgr_plugin_set *set, enum mgr_plugin_kind kind,
            const char *name)
{
    for (size_t i = 0; set && i < set->nitems; i++) {
        const struct mgr_plugin *desc = set->items[i]->pub.desc;

        if (desc->kind == kind && strcmp(desc->name, name) == 0)
            return &set->items[i]->pub;
    }
    return NULL;
}

/* ---- loading one file ------------------------------------------------- */

/*
 * Fill err with "<verb> plugin '<path>': <reason>" and why (if not NULL)
 * with the reason alone. A refusal is a decision about a file that could
 * be opened; a failure is a file that could not be.
 */
static int fail(struct mgr_error *err, struct mgr_error *why, int code,
                bool refusal, const char *path, const char *fmt, ...)
    MGR_PRINTF(6, 7);

static int fail(struct mgr_error *err, struct mgr_error *why, int code,
                bool refusal, const char *path, const char *fmt, ...)
{
    struct mgr_error reason;
    va_list ap;

    va_start(ap, fmt);
    mgr_error_setv(&reason, code, fmt, ap);
    va_end(ap);
    if (why)
        *why = reason;
    return mgr_error_set(err, code, "%s plugin '%s': %s",
                         refusal ? "refusing to load" : "cannot load", path,
                         reason.msg);
}

/*
 * libltdl reports every failure to open a file as "file not found". The
 * file is there (and trusted), so ask dlopen() itself for the reason; if
 * it succeeds this time, keep libltdl's text.
 */
static void dlopen_reason(const char *path, char *errbuf, size_t size)
{
#ifdef HAVE_DLFCN_H
    void *handle = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    const char *msg;
    size_t len = strlen(path);

    if (handle) {
        dlclose(handle);
        return;
    }
    msg = dlerror();
    if (!msg)
        return;
    /* glibc starts with "<path>: ", which the caller already says. */
    if (strncmp(msg, path, len) == 0 && msg[len] == ':' && msg[len + 1])
        msg += len + 2;
    snprintf(errbuf, size, "%s", msg);
#else
    (void)path;
    (void)errbuf;
    (void)size;
#endif
}

/* lt_dlopenadvise with the local and extension advice. */
static lt_dlhandle open_module(const char *path, char *errbuf, size_t size)
{
    lt_dladvise advise = NULL;
    lt_dlhandle handle = NULL;
    const char *msg;

    if (lt_dladvise_init(&advise) == 0 && lt_dladvise_ext(&advise) == 0 &&
        lt_dladvise_local(&advise) == 0)
        handle = lt_dlopenadvise(path, advise);
    if (!handle) {
        /* Copy at once: the next libltdl call may overwrite it. */
        msg = lt_dlerror();
        snprintf(errbuf, size, "%s", msg ? msg : "unknown libltdl error");
        dlopen_reason(path, errbuf, size);
    }
    if (advise)
        lt_dladvise_destroy(&advise);
    return handle;
}

/* The checks of the descriptor; see plugin.h. */
static int check_descriptor(const struct mgr_plugin *desc, const char *path,
                            enum mgr_plugin_kind kind, const char *name,
                            struct mgr_error *err, struct mgr_error *why)
{
    uint32_t major = MGR_ABI_MAJOR_OF(desc->abi_version);
    uint32_t minor = MGR_ABI_MINOR_OF(desc->abi_version);
    const char *kind_name;
    struct mgr_buf reason = MGR_BUF_INIT;
    int rc;

    if (major != MGR_ABI_MAJOR)
        return fail(err, why, MGR_EABI, true, path,
                    "it is for ABI %u.%u (this migrator has %u.%u); "
                    "rebuild it against this migrator",
                    (unsigned)major, (unsigned)minor, MGR_ABI_MAJOR,
                    MGR_ABI_MINOR);
    if (minor > MGR_ABI_MINOR)
        return fail(err, why, MGR_EABI, true, path,
                    "it is for ABI %u.%u (this migrator has %u.%u); "
                    "upgrade migrator",
                    (unsigned)major, (unsigned)minor, MGR_ABI_MAJOR,
                    MGR_ABI_MINOR);
    if (desc->size < MGR_PLUGIN_V1_SIZE)
        return fail(err, why, MGR_EABI, true, path,
                    "its descriptor has %u bytes, fewer than the %u of "
                    "ABI 1.0",
                    (unsigned)desc->size, (unsigned)MGR_PLUGIN_V1_SIZE);
    if (desc->kind != kind) {
        kind_name = plugin_kind_name(desc->kind);
        if (kind_name)
            return fail(err, why, MGR_EPLUGIN, true, path,
                        "it is a %s plugin, but its file name says %s",
                        kind_name, plugin_kind_name(kind));
        return fail(err, why, MGR_EPLUGIN, true, path,
                    "it has unknown kind %d, but its file name says %s",
                    (int)desc->kind, plugin_kind_name(kind));
    }
    if (!desc->name || strcmp(desc->name, name) != 0)
        return fail(err, why, MGR_EPLUGIN, true, path,
                    "it is named '%s', but its file name says '%s'",
                    desc->name ? desc->name : "(null)", name);
    if (!desc->ops)
        return fail(err, why, MGR_EPLUGIN, true, path,
                    "it has no %s operations (ops is NULL)",
                    plugin_kind_name(kind));
    if (opscheck_plugin(desc, &reason) != 0) {
        rc = fail(err, why, MGR_EPLUGIN, true, path, "%s", reason.buf);
        mgr_buf_release(&reason);
        return rc;
    }
    return MGR_OK;
}

/*
 * Check, open, verify and initialise the module at path, expected to be
 * plugin kind/name, and add it to set.
 */
static int load_module(struct mgr_plugin_set *set, const char *path,
                       enum mgr_plugin_kind kind, const char *name,
                       const struct mgr_loaded_plugin **plugin_out,
                       struct mgr_error *err, struct mgr_error *why)
{
    struct loaded *lp = xcalloc(1, sizeof(*lp));
    const struct mgr_plugin *desc;
    struct mgr_error perr;
    char dlerr[MGR_ERROR_SIZE];
    char *real = NULL;
    void *sym;
    entry_fn entry;
    int rc;

    rc = trust_check_file(path, &real, &perr);
    if (rc != MGR_OK) {
        rc = fail(err, why, rc, rc == MGR_ETRUST, path, "%s", perr.msg);
        goto out;
    }
    rc = elf_check_file(real, &perr);
    if (rc != MGR_OK) {
        rc = fail(err, why, rc, false, path, "%s", perr.msg);
        goto out;
    }
    lp->handle = open_module(real, dlerr, sizeof(dlerr));
    if (!lp->handle) {
        rc = fail(err, why, MGR_EPLUGIN, false, path,
                  "%s; a missing dependency is the usual cause (check "
                  "with 'ldd')",
                  dlerr);
        goto out;
    }
    sym = lt_dlsym(lp->handle, MGR_PLUGIN_ENTRY_SYMBOL);
    if (!sym) {
        rc = fail(err, why, MGR_EPLUGIN, true, path,
                  "it has no '%s' function; is it a migrator plugin?",
                  MGR_PLUGIN_ENTRY_SYMBOL);
        goto out;
    }
    memcpy(&entry, &sym, sizeof(entry));
    desc = entry();
    if (!desc) {
        rc = fail(err, why, MGR_EPLUGIN, true, path, "%s() returned NULL",
                  MGR_PLUGIN_ENTRY_SYMBOL);
        goto out;
    }
    rc = check_descriptor(desc, path, kind, name, err, why);
    if (rc != MGR_OK)
        goto out;

    lp->host = hostapi_host_new(name, &set->listener, set->scripts);
    if (desc->init) {
        memset(&perr, 0, sizeof(perr));
        rc = desc->init(hostapi_get(), lp->host, &lp->pub.state, &perr);
        if (rc != MGR_OK) {
            rc = fail(err, why, MGR_EPLUGIN, false, path,
                      "initialisation failed: %s",
                      perr.msg[0] ? perr.msg : mgr_strerror(rc));
            goto out;
        }
    }
    lp->pub.desc = desc;
    lp->pub.ops = desc->ops;
    lp->pub.path = xstrdup(path);
    if (set->nitems == set->alloc) {
        set->alloc = set->alloc ? 2 * set->alloc : 8;
        set->items = xreallocarray(set->items, set->alloc,
                                   sizeof(*set->items));
    }
    set->items[set->nitems++] = lp;
    *plugin_out = &lp->pub;
    lp = NULL;
out:
    if (lp) {
        /* desc is not set: no fini for a plugin whose init failed. */
        if (lp->handle)
            lt_dlclose(lp->handle);
        hostapi_host_free(lp->host);
        free(lp);
    }
    free(real);
    return rc;
}

int loader_parse_file_name(const char *file, enum mgr_plugin_kind *kind_out,
                           char **name_out, struct mgr_error *err)
{
    const char *ext = LT_MODULE_EXT;
    size_t len = strlen(file), elen = strlen(ext);
    const char *sep = strchr(file, '_');
    char *name;

    if (len > elen && strcmp(file + len - elen, ext) == 0 && sep &&
        !strchr(file, '/')) {
        for (int k = MGR_PLUGIN_DIALECT; k <= MGR_PLUGIN_LINTER; k++) {
            const char *kn = plugin_kind_name((enum mgr_plugin_kind)k);

            if (strlen(kn) != (size_t)(sep - file) ||
                strncmp(file, kn, strlen(kn)) != 0)
                continue;
            name = xstrndup(sep + 1, len - elen - (size_t)(sep + 1 - file));
            if (!name_valid(name)) {
                free(name);
                break;
            }
            *kind_out = (enum mgr_plugin_kind)k;
            *name_out = name;
            return MGR_OK;
        }
    }
    return mgr_error_set(err, MGR_EPLUGIN,
                         "file name is not <kind>_<name>%s (kind dialect, "
                         "format, reporter or linter)",
                         ext);
}

int loader_load_file(struct mgr_plugin_set *set, const char *path,
                     const struct mgr_loaded_plugin **plugin_out,
                     struct mgr_error *err, struct mgr_error *why)
{
    const struct mgr_loaded_plugin *found;
    const char *slash = strrchr(path, '/');
    enum mgr_plugin_kind kind;
    struct mgr_error perr;
    char *name = NULL;
    int rc;

    if (path[0] != '/' || !slash)
        return fail(err, why, MGR_ETRUST, true, path, "path is not absolute");
    rc = loader_parse_file_name(slash + 1, &kind, &name, &perr);
    if (rc != MGR_OK)
        return fail(err, why, rc, true, path, "%s", perr.msg);
    found = loader_find(set, kind, name);
    if (found) {
        *plugin_out = found;
        rc = MGR_OK;
    } else {
        rc = load_module(set, path, kind, name, plugin_out, err, why);
    }
    free(name);
    return rc;
}

/* The path of the module file kind_name_name in the first directory of
 * set that has it (allocated), or NULL. */
static char *module_path(const struct mgr_plugin_set *set,
                         const char *kind_name, const char *name,
                         struct mgr_buf *tried)
{
    struct mgr_buf file = MGR_BUF_INIT;
    struct stat st;
    char *found = NULL;

    mgr_buf_addf(&file, "%s_%s%s", kind_name, name, LT_MODULE_EXT);
    for (size_t i = 0; set->dirs[i] && !found; i++) {
        char *path = path_join(set->dirs[i], file.buf);

        /* A dangling link counts as present: the trust check reports it. */
        if (lstat(path, &st) == 0) {
            found = path;
            break;
        }
        free(path);
        if (tried)
            mgr_buf_addf(tried, "%s%s", i ? ", " : "", set->dirs[i]);
    }
    mgr_buf_release(&file);
    return found;
}

void plugin_set_listen(struct mgr_plugin_set *set,
                       const struct host_listener *listener)
{
    if (listener)
        set->listener = *listener;
    else
        memset(&set->listener, 0, sizeof(set->listener));
}

bool loader_module_exists(const struct mgr_plugin_set *set,
                          enum mgr_plugin_kind kind, const char *name)
{
    const char *kind_name = plugin_kind_name(kind);
    char *path;

    if (!kind_name || !name_valid(name))
        return false;
    if (loader_find(set, kind, name))
        return true;
    path = module_path(set, kind_name, name, NULL);
    free(path);
    return path != NULL;
}

int plugin_set_load(struct mgr_plugin_set *set, enum mgr_plugin_kind kind,
                        const char *name,
                        const struct mgr_loaded_plugin **plugin_out,
                        struct mgr_error *err)
{
    const struct mgr_loaded_plugin *found;
    const char *kind_name = plugin_kind_name(kind);
    struct mgr_buf tried = MGR_BUF_INIT;
    char *path;
    int rc = MGR_EPLUGIN;

    if (!kind_name)
        return mgr_error_set(err, MGR_EPLUGIN, "unknown plugin kind %d",
                             (int)kind);
    if (!name_valid(name))
        return mgr_error_set(err, MGR_EPLUGIN,
                             "invalid %s plugin name '%s': use letters, "
                             "digits, '_', '-', '+' and '.'",
                             kind_name, name ? name : "");
    found = loader_find(set, kind, name);
    if (found) {
        *plugin_out = found;
        return MGR_OK;
    }
    path = module_path(set, kind_name, name, &tried);
    if (path) {
        rc = load_module(set, path, kind, name, plugin_out, err, NULL);
        free(path);
        goto out;
    }
    mgr_error_set(err, MGR_EPLUGIN,
                  "no %s plugin '%s': '%s_%s%s' is not in %s; see "
                  "'migrator plugins'",
                  kind_name, name, kind_name, name, LT_MODULE_EXT,
                  tried.len ? tried.buf : "an empty search path");
out:
    mgr_buf_release(&tried);
    return rc;
}

/* ---- scanning directories --------------------------------------------- */

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int loader_list_dir(const char *dir, char ***files_out, struct mgr_error *err)
{
    const char *ext = LT_MODULE_EXT;
    size_t elen = strlen(ext), n = 0, alloc = 8;
    char **files;
    struct dirent *de;
    DIR *d;

    d = opendir(dir);
    if (!d && errno != ENOENT && errno != ENOTDIR)
        return mgr_error_set_errno(err, MGR_EIO, errno,
                                   "cannot read plugin directory '%s'", dir);
    files = xcalloc(alloc, sizeof(*files));
    while (d && (de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);

        if (de->d_name[0] == '.' || len <= elen ||
            strcmp(de->d_name + len - elen, ext) != 0)
            continue;
        if (n + 2 > alloc) {
            alloc *= 2;
            files = xreallocarray(files, alloc, sizeof(*files));
        }
        files[n++] = xstrdup(de->d_name);
    }
    files[n] = NULL;
    if (d)
        closedir(d);
    qsort(files, n, sizeof(*files), compare_names);
    *files_out = files;
    return MGR_OK;
}

int plugin_set_load_all(struct mgr_plugin_set *set,
                            enum mgr_plugin_kind kind,
                            void (*refused)(void *ctx, const char *path,
                                            const struct mgr_error *why),
                            void *ctx, struct mgr_error *err)
{
    return plugin_set_load_until(set, kind, refused, NULL, ctx, NULL, err);
}

int plugin_set_load_until(struct mgr_plugin_set *set,
                          enum mgr_plugin_kind kind,
                          void (*refused)(void *ctx, const char *path,
                                          const struct mgr_error *why),
                          bool (*wanted)(void *ctx,
                                         const struct mgr_loaded_plugin *p),
                          void *ctx,
                          const struct mgr_loaded_plugin **found_out,
                          struct mgr_error *err)
{
    const char *kind_name = plugin_kind_name(kind);
    bool found = false;
    int rc = MGR_OK;

    if (!kind_name)
        return mgr_error_set(err, MGR_EPLUGIN, "unknown plugin kind %d",
                             (int)kind);
    for (size_t i = 0; set->dirs[i] && rc == MGR_OK && !found; i++) {
        char **files;

        rc = loader_list_dir(set->dirs[i], &files, err);
        if (rc != MGR_OK)
            break;
        for (size_t j = 0; files[j] && !found; j++) {
            const struct mgr_loaded_plugin *p;
            enum mgr_plugin_kind k;
            struct mgr_error why;
            char *name, *path;

            if (loader_parse_file_name(files[j], &k, &name, &why) ==
                MGR_OK) {
                /* Another kind, or shadowed by an earlier directory. */
                bool skip = k != kind || loader_find(set, k, name);

                free(name);
                if (skip)
                    continue;
            } else if (!str_has_prefix(files[j], kind_name) ||
                       files[j][strlen(kind_name)] != '_') {
                continue; /* not a plugin of this kind */
            }
            path = path_join(set->dirs[i], files[j]);
            if (loader_load_file(set, path, &p, &why, NULL) != MGR_OK) {
                if (refused)
                    refused(ctx, path, &why);
            } else if (wanted && wanted(ctx, p)) {
                found = true;
                if (found_out)
                    *found_out = p;
            }
            free(path);
        }
        strv_list_free(files);
    }
    return rc;
}

/* ---- the search path -------------------------------------------------- */

static void add_dir(char ***dirs, size_t *n, const char *dir)
{
    if (!dir || !*dir)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*dirs)[i], dir) == 0)
            return;
    *dirs = xreallocarray(*dirs, *n + 2, sizeof(**dirs));
    (*dirs)[(*n)++] = xstrdup(dir);
    (*dirs)[*n] = NULL;
}

int loader_search_path(const struct mgr_ctx *ctx, char ***dirs_out,
                       struct mgr_error *err)
{
    const char *env = getenv("MIGRATOR_PLUGIN_PATH");
    char **dirs = xcalloc(1, sizeof(*dirs));
    size_t n = 0;

    (void)err;
    add_dir(&dirs, &n, ctx->plugin_dir);
    while (env && *env) {
        const char *colon = strchr(env, ':');
        size_t len = colon ? (size_t)(colon - env) : strlen(env);
        char *dir = xstrndup(env, len);

        if (*dir && dir[0] != '/')
            MGR_WARN("ignoring relative directory '%s' in "
                     "$MIGRATOR_PLUGIN_PATH; give its full path",
                     dir);
        else
            add_dir(&dirs, &n, dir);
        free(dir);
        env = colon ? colon + 1 : NULL;
    }
    if (ctx->config) {
        char **paths = config_get_paths(ctx->config, "plugin_path");

        for (size_t i = 0; paths && paths[i]; i++) {
            if (paths[i][0] == '/')
                add_dir(&dirs, &n, paths[i]);
            else
                MGR_WARN("ignoring relative plugin_path entry '%s'",
                         paths[i]);
        }
        strv_list_free(paths);
    }
    add_dir(&dirs, &n, ctx->default_plugin_dir);
    *dirs_out = dirs;
    return MGR_OK;
}

int loader_ctx_plugins(struct mgr_ctx *ctx)
{
    char **dirs = NULL;
    int rc;

    if (ctx->plugins)
        return MGR_OK;
    rc = loader_search_path(ctx, &dirs, &ctx->err);
    if (rc == MGR_OK)
        rc = plugin_set_new(&ctx->plugins, (const char *const *)dirs,
                                &ctx->err);
    strv_list_free(dirs);
    return rc;
}
