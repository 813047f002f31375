/* dialect_dummy.c: a good dialect plugin that does nothing. */
#include <string.h>

#include "dummy.h"
#include "inert.h"

static const char *const schemes[] = { "dummy", NULL };

static const struct mgr_dialect_ops ops = {
    .size = sizeof(struct mgr_dialect_ops),
    .schemes = schemes,
    INERT_DIALECT_MEMBERS
};

static int dummy_init(const struct mgr_host_api *api, struct mgr_host *h,
                      void **state_out, struct mgr_error *err)
{
    struct dummy_state *st;

    if (MGR_ABI_MAJOR_OF(api->abi_version) != MGR_ABI_MAJOR ||
        !MGR_API_HAS(api, exec_sql))
        return api->error_set(err, MGR_EABI, "host API too old");
    st = api->alloc(sizeof(*st));
    memset(st, 0, sizeof(*st));
    memcpy(st->tag, DUMMY_TAG, sizeof(DUMMY_TAG));
    st->api = api;
    st->host = h;
    api->log(h, MGR_LOG_DEBUG, "initialised");
    *state_out = st;
    return MGR_OK;
}

static void dummy_fini(void *state)
{
    struct dummy_state *st = state;

    if (st->on_fini)
        st->on_fini(st->ctx, "dialect_dummy");
    st->api->free(st);
}

MGR_PLUGIN_DEFINE(MGR_PLUGIN_DIALECT, "dummy", "1.2.3",
                  "test: a dialect that does nothing", dummy_init,
                  dummy_fini, &ops)
