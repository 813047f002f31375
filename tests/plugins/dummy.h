/*
 * dummy.h: the state of the good test plugins (dialect_dummy,
 * format_dummy), which tests/unit/check_loader.c looks into.
 */
#ifndef MGR_TEST_DUMMY_H
#define MGR_TEST_DUMMY_H

#include <migrator/plugin.h>

#define DUMMY_TAG "dummy-state"

struct dummy_state {
    char tag[16];                    /* DUMMY_TAG once init ran */
    const struct mgr_host_api *api;  /* as given to init */
    struct mgr_host *host;           /* as given to init */
    /* Set by a test: fini calls it with the plugin's name. */
    void (*on_fini)(void *ctx, const char *name);
    void *ctx;
};

#endif
