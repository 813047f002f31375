/* format_dummy.c: a good format plugin that claims ".dummy" files. */
#include <string.h>

#include "dummy.h"
#include "inert.h"

static const char *const extensions[] = { ".dummy", NULL };

static const struct mgr_format_ops ops = {
    .size = sizeof(struct mgr_format_ops),
    .extensions = extensions,
    INERT_FORMAT_MEMBERS
};

static int dummy_init(const struct mgr_host_api *api, struct mgr_host *h,
                      void **state_out, struct mgr_error *err)
{
    struct dummy_state *st = api->alloc(sizeof(*st));

    (void)err;
    memset(st, 0, sizeof(*st));
    memcpy(st->tag, DUMMY_TAG, sizeof(DUMMY_TAG));
    st->api = api;
    st->host = h;
    *state_out = st;
    return MGR_OK;
}

static void dummy_fini(void *state)
{
    struct dummy_state *st = state;

    if (st->on_fini)
        st->on_fini(st->ctx, "format_dummy");
    st->api->free(st);
}

MGR_PLUGIN_DEFINE(MGR_PLUGIN_FORMAT, "dummy", "0.1",
                  "test: a format that claims .dummy files", dummy_init,
                  dummy_fini, &ops)
