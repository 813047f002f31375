/*
 * hostapi.h: the table of upcalls handed to plugins (struct mgr_host_api)
 * and the per-plugin handle that goes with it (struct mgr_host).
 */
#ifndef MGR_CORE_HOSTAPI_H
#define MGR_CORE_HOSTAPI_H

#include <migrator/plugin.h>

#define HOST_MAGIC 0x4d475248u /* "MGRH" */

/*
 * Opaque to plugins. magic is checked by the upcalls in debug builds
 * (--enable-debug), so a plugin passing a stray pointer aborts at once.
 */
/*
 * Where the upcalls that report something reach the command that is
 * running: set by the command's reports, shared by every plugin of a
 * plugin set (which owns it). Members may be NULL.
 */
struct host_listener {
    void (*lock_waiting)(void *ctx, const char *key, const char *holder,
                         long waited_ms, long wait_ms);
    void *ctx;
};

struct script_cache;

struct mgr_host {
    unsigned magic; /* HOST_MAGIC while alive */
    char *name;     /* the plugin's name: the prefix of its log lines */
    const struct host_listener *listener; /* borrowed; may be NULL */
    struct script_cache *scripts; /* the plugin set's; borrowed */
};

/* The host's table; static, valid for the life of the process. */
const struct mgr_host_api *hostapi_get(void);

/* A handle for the plugin called name (copied), reporting to listener
 * and reading scripts through scripts (both borrowed, may be NULL). Free
 * with host_free. */
struct mgr_host *hostapi_host_new(const char *name,
                                  const struct host_listener *listener,
                                  struct script_cache *scripts);
void hostapi_host_free(struct mgr_host *h);

#endif
