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
struct mgr_host {
    unsigned magic; /* HOST_MAGIC while alive */
    char *name;     /* the plugin's name: the prefix of its log lines */
};

/* The host's table; static, valid for the life of the process. */
const struct mgr_host_api *hostapi_get(void);

/* A handle for the plugin called name (copied). Free with host_free. */
struct mgr_host *hostapi_host_new(const char *name);
void hostapi_host_free(struct mgr_host *h);

#endif
