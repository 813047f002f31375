/*
 * loader.h: finding, checking and loading plugins with libltdl.
 *
 * A plugin of kind K and name N is the module file K_N<ext> (ext is the
 * platform's module suffix, LT_MODULE_EXT: ".so") in one of the search
 * directories, tried in order; the first directory that has the file
 * decides (a refused file is an error, not a reason to look further).
 * Directories must be absolute and the working directory is never
 * searched. Before a file is opened, it and every directory above it
 * must pass the trust checks (trust.h): nothing of an untrusted file runs,
 * not even its constructors. After opening, the descriptor returned by
 * mgr_plugin_entry() must match the host's ABI and the file's kind and
 * name, and the plugin's init() must succeed.
 *
 * libltdl must be initialised (lt_dlinit) by the caller: main() does it
 * once for the process.
 */
#ifndef MGR_CORE_LOADER_H
#define MGR_CORE_LOADER_H

#include <stdbool.h>

#include <migrator/plugin.h>

struct mgr_ctx;
struct mgr_plugin_set;

/* A plugin that loaded and initialised. */
struct mgr_loaded_plugin {
    const struct mgr_plugin *desc; /* the plugin's descriptor */
    const void *ops;               /* desc->ops, typed by desc->kind */
    void *state;                   /* from desc->init */
    char *path;                    /* absolute path of the module, as found */
};

/*
 * A set of plugins sharing one search path. dirs is NULL-terminated; each
 * entry must be absolute (MGR_ECONFIG otherwise). The directories are
 * copied. *set_out is set only on success.
 */
int plugin_set_new(struct mgr_plugin_set **set_out,
                       const char *const *dirs, struct mgr_error *err);

/*
 * fini and close every plugin, in the reverse order of loading: for each,
 * desc->fini(state), then lt_dlclose (not in sanitizer builds, which keep
 * modules mapped for LeakSanitizer: MGR_KEEP_MODULES_LOADED). NULL does
 * nothing.
 */
void plugin_set_free(struct mgr_plugin_set *set);

/* The set's scripts, each read once for the command (script_cache.h);
 * NULL for a NULL set. */
struct script_cache;
struct script_cache *plugin_set_scripts(const struct mgr_plugin_set *set);

/*
 * Load kind/name from the search path (loading it again returns the same
 * plugin). Fails with MGR_EPLUGIN when no directory has it or the name is
 * not a valid plugin name, MGR_ETRUST when the file or a directory above
 * it is not trusted, MGR_EABI when the descriptor is for another ABI or
 * smaller than the 1.0 descriptor, MGR_EPLUGIN for the other refusals
 * (not a loadable module, no entry point, kind or name not matching the
 * file name, no ops, init failing). The message names the file and the
 * reason: "refusing to load plugin '<path>': <reason>" for a refusal,
 * "cannot load plugin '<path>': <reason>" for a failure. *plugin_out is
 * borrowed from the set.
 */
int plugin_set_load(struct mgr_plugin_set *set, enum mgr_plugin_kind kind,
                        const char *name,
                        const struct mgr_loaded_plugin **plugin_out,
                        struct mgr_error *err);

/*
 * Load every plugin of the given kind found on the search path (the first
 * of each name wins; later files of the same name are not opened). Files
 * that are refused are reported through refused() with the full message
 * of plugin_set_load when refused is not NULL, and otherwise skipped.
 * Fails only when a directory exists but cannot be read (MGR_EIO).
 */
int plugin_set_load_all(struct mgr_plugin_set *set,
                            enum mgr_plugin_kind kind,
                            void (*refused)(void *ctx, const char *path,
                                            const struct mgr_error *why),
                            void *ctx, struct mgr_error *err);

/*
 * As plugin_set_load_all, but stop at the first plugin loaded that
 * wanted() accepts (*found_out, borrowed; untouched when none), so that
 * a search opens no more modules than it needs.
 */
int plugin_set_load_until(struct mgr_plugin_set *set,
                          enum mgr_plugin_kind kind,
                          void (*refused)(void *ctx, const char *path,
                                          const struct mgr_error *why),
                          bool (*wanted)(void *ctx,
                                         const struct mgr_loaded_plugin *p),
                          void *ctx,
                          const struct mgr_loaded_plugin **found_out,
                          struct mgr_error *err);

/* The loaded plugins, in loading order. Borrowed. */
size_t plugin_set_count(const struct mgr_plugin_set *set);
const struct mgr_loaded_plugin *
plugin_set_get(const struct mgr_plugin_set *set, size_t i);

/* "dialect", "format", "reporter", "linter"; NULL for another value. */
const char *plugin_kind_name(enum mgr_plugin_kind kind);

/* ---- for `migrator plugins` and run_cmd() ------------------------------ */

/*
 * The search path of ctx as a NULL-terminated array of absolute
 * directories (free with strv_list_free), in order: --plugin-dir, the
 * entries of $MIGRATOR_PLUGIN_PATH (colon-separated; a relative entry is
 * skipped with a warning, never resolved against the working directory),
 * plugin_path of ctx->config (when loaded), then ctx->default_plugin_dir.
 * Empty entries and repeated directories are dropped.
 */
int loader_search_path(const struct mgr_ctx *ctx, char ***dirs_out,
                       struct mgr_error *err);

/*
 * The module files in dir (names ending in LT_MODULE_EXT, without the
 * directory), sorted byte-wise, as a NULL-terminated array to free with
 * strv_list_free. A missing directory gives an empty list; one that cannot
 * be read fails with MGR_EIO.
 */
int loader_list_dir(const char *dir, char ***files_out,
                    struct mgr_error *err);

/*
 * Split a module file name "<kind>_<name><ext>" (no directory). *name_out
 * is allocated (free it). Fails with MGR_EPLUGIN and the reason alone in
 * err->msg.
 */
int loader_parse_file_name(const char *file, enum mgr_plugin_kind *kind_out,
                           char **name_out, struct mgr_error *err);

/* Make ctx->plugins (the search path of loader_search_path) unless it
 * exists: the one plugin set of a command. */
int loader_ctx_plugins(struct mgr_ctx *ctx);

/*
 * Where the plugins of set report through the host API (the lock_waiting
 * upcall) from now on: a copy of listener, or nobody when NULL. The
 * command's reports set it while they are open.
 */
struct host_listener;
void plugin_set_listen(struct mgr_plugin_set *set,
                       const struct host_listener *listener);

/* Whether kind/name is loaded in set or has a module file on its search
 * path (which may still be refused when loaded). */
bool loader_module_exists(const struct mgr_plugin_set *set,
                          enum mgr_plugin_kind kind, const char *name);

/* The plugin kind/name already loaded in set, or NULL. Borrowed. */
const struct mgr_loaded_plugin *
loader_find(const struct mgr_plugin_set *set, enum mgr_plugin_kind kind,
            const char *name);

/*
 * Load the module at path (absolute), its kind and name taken from its
 * file name. When that kind and name are loaded already, returns the
 * plugin loaded first (whose path may differ from path: the file is then
 * shadowed and not opened). Errors as for plugin_set_load; when why is
 * not NULL it receives the same code and the reason alone, without the
 * file name.
 */
int loader_load_file(struct mgr_plugin_set *set, const char *path,
                     const struct mgr_loaded_plugin **plugin_out,
                     struct mgr_error *err, struct mgr_error *why);

#endif
