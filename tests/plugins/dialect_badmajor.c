/* dialect_badmajor.c: built for the next major ABI, which must refuse. */
#include <migrator/plugin.h>

static const struct mgr_dialect_ops ops = {
    .size = sizeof(struct mgr_dialect_ops),
};

MGR_PLUGIN_EXPORT const struct mgr_plugin *mgr_plugin_entry(void);
const struct mgr_plugin *mgr_plugin_entry(void)
{
    static const struct mgr_plugin descriptor = {
        .abi_version = ((MGR_ABI_MAJOR + 1u) << 16) | 0u,
        .size = sizeof(struct mgr_plugin),
        .kind = MGR_PLUGIN_DIALECT,
        .name = "badmajor",
        .ops = &ops,
    };
    return &descriptor;
}
