/*
 * dialect_noentry.c: a module whose entry point has the wrong name, so it
 * exports no mgr_plugin_entry.
 */
#include <migrator/plugin.h>

static const struct mgr_dialect_ops ops = {
    .size = sizeof(struct mgr_dialect_ops),
};

const struct mgr_plugin *mgr_plugin_init(void);
const struct mgr_plugin *mgr_plugin_init(void)
{
    static const struct mgr_plugin descriptor = {
        MGR_ABI_VERSION, sizeof(struct mgr_plugin), MGR_PLUGIN_DIALECT,
        "noentry", "1", "", NULL, NULL, &ops,
    };
    return &descriptor;
}
