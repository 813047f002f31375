/* dialect_initfail.c: init fails with a message of its own. */
#include <stddef.h>

#include <migrator/plugin.h>

#include "inert.h"

static const char *const schemes[] = { "initfail", NULL };

static const struct mgr_dialect_ops ops = {
    .size = sizeof(struct mgr_dialect_ops),
    .schemes = schemes,
    INERT_DIALECT_MEMBERS
};

static int initfail_init(const struct mgr_host_api *api, struct mgr_host *h,
                         void **state_out, struct mgr_error *err)
{
    (void)h;
    (void)state_out;
    return api->error_set(err, MGR_EDB, "cannot reach server '%s'",
                          "db.invalid");
}

static void initfail_fini(void *state)
{
    /* Never called: a plugin whose init failed is not finished. */
    (void)state;
    __builtin_trap();
}

MGR_PLUGIN_DEFINE(MGR_PLUGIN_DIALECT, "initfail", "1", "test: init fails",
                  initfail_init, initfail_fini, &ops)
