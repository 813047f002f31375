/* dialect_newminor.c: built for a newer minor ABI than the host's. */
#include <migrator/plugin.h>

static const struct mgr_dialect_ops ops = {
    .size = sizeof(struct mgr_dialect_ops),
};

MGR_PLUGIN_EXPORT const struct mgr_plugin *mgr_plugin_entry(void);
const struct mgr_plugin *mgr_plugin_entry(void)
{
    static const struct mgr_plugin descriptor = {
        .abi_version = (MGR_ABI_MAJOR << 16) | (MGR_ABI_MINOR + 1u),
        .size = sizeof(struct mgr_plugin),
        .kind = MGR_PLUGIN_DIALECT,
        .name = "newminor",
        .ops = &ops,
    };
    return &descriptor;
}
