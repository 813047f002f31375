/* plugin_state.c: a plugin's state made of the host's gifts
 * (plugin_state.h). */
#include "autoconfig.h"

#include "plugin_state.h"

int plugin_state_init(const struct mgr_host_api *api, struct mgr_host *h,
                      void **state_out, struct mgr_error *err)
{
    struct plugin_state *st = api->alloc(sizeof(*st)); /* never NULL */

    (void)err;
    st->api = api;
    st->host = h;
    *state_out = st;
    return MGR_OK;
}

void plugin_state_fini(void *state)
{
    struct plugin_state *st = state;

    if (st)
        st->api->free(st);
}
