/*
 * plugin_state.h: the state of a plugin that keeps nothing but what the
 * host gave it at init, and the init and fini that make and free it. Such
 * a plugin names plugin_state_init and plugin_state_fini in its
 * MGR_PLUGIN_DEFINE.
 */
#ifndef MGR_PLUGINS_PLUGIN_STATE_H
#define MGR_PLUGINS_PLUGIN_STATE_H

#include <migrator/plugin.h>

struct plugin_state {
    const struct mgr_host_api *api;
    struct mgr_host *host; /* for api->log */
};

/* mgr_plugin.init: a struct plugin_state from api->alloc. */
int plugin_state_init(const struct mgr_host_api *api, struct mgr_host *h,
                      void **state_out, struct mgr_error *err);

/* mgr_plugin.fini: free it through api->free (NULL: nothing). */
void plugin_state_fini(void *state);

#endif
