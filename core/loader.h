/*
 * loader.h: finding, checking and loading plugins with libltdl.
 *
 * A plugin of kind K and name N is the module file K_N<ext> (ext is the
 * platform's module suffix, ".so") in one of the search directories, tried
 * in order. Directories must be absolute. Before a file is opened, it and
 * every directory above it must pass the trust checks (trust.h); after
 * opening, the descriptor returned by mgr_plugin_entry() must match the
 * host's ABI and the file's kind and name.
 */
#ifndef MGR_CORE_LOADER_H
#define MGR_CORE_LOADER_H

#include <migrator/plugin.h>

struct mgr_plugin_set;

/* A plugin that loaded and initialised. */
struct mgr_loaded_plugin {
    const struct mgr_plugin *desc; /* the plugin's descriptor */
    const void *ops;               /* desc->ops, typed by desc->kind */
    void *state;                   /* from desc->init */
    char *path;                    /* absolute path of the module */
};

/*
 * A set of plugins sharing one search path. dirs is NULL-terminated; each
 * entry must be absolute (MGR_ECONFIG otherwise). The directories are
 * copied.
 */
int mgr_plugin_set_new(struct mgr_plugin_set **set_out,
                       const char *const *dirs, struct mgr_error *err);

/* fini and close every plugin, in the reverse order of loading. */
void mgr_plugin_set_free(struct mgr_plugin_set *set);

/*
 * Load kind/name from the search path (loading it again returns the same
 * plugin). Fails with MGR_EPLUGIN when no directory has it, MGR_ETRUST when
 * the file or a directory above it is not trusted, MGR_EABI on an ABI
 * mismatch, MGR_EPLUGIN for the other refusals; the message names the
 * file and the reason.
 */
int mgr_plugin_set_load(struct mgr_plugin_set *set, enum mgr_plugin_kind kind,
                        const char *name,
                        const struct mgr_loaded_plugin **plugin_out,
                        struct mgr_error *err);

/*
 * Load every plugin of the given kind found on the search path (the first
 * of each name wins). Files that are refused are reported through
 * refused() when not NULL and otherwise skipped.
 */
int mgr_plugin_set_load_all(struct mgr_plugin_set *set,
                            enum mgr_plugin_kind kind,
                            void (*refused)(void *ctx, const char *path,
                                            const struct mgr_error *why),
                            void *ctx, struct mgr_error *err);

/* The loaded plugins, in loading order. Borrowed. */
size_t mgr_plugin_set_count(const struct mgr_plugin_set *set);
const struct mgr_loaded_plugin *
mgr_plugin_set_get(const struct mgr_plugin_set *set, size_t i);

/* "dialect", "format", "reporter", "linter"; NULL for another value. */
const char *mgr_plugin_kind_name(enum mgr_plugin_kind kind);

#endif
