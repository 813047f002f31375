/*
 * dialect_small.c: a descriptor whose size ends before the ops field, as
 * if built against a truncated header.
 */
#include <stddef.h>

#include <migrator/plugin.h>

static const struct mgr_dialect_ops ops = {
    .size = sizeof(struct mgr_dialect_ops),
};

MGR_PLUGIN_EXPORT const struct mgr_plugin *mgr_plugin_entry(void);
const struct mgr_plugin *mgr_plugin_entry(void)
{
    static const struct mgr_plugin descriptor = {
        .abi_version = MGR_ABI_VERSION,
        .size = offsetof(struct mgr_plugin, ops),
        .kind = MGR_PLUGIN_DIALECT,
        .name = "small",
        .ops = &ops,
    };
    return &descriptor;
}
