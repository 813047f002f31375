/* config.c: placeholder until the inih-based reader lands. */
#include "autoconfig.h"

#include <stdlib.h>

#include "config.h"

int mgr_config_load(struct mgr_config **cfg_out, const char *path,
                    const char *section, struct mgr_error *err)
{
    (void)cfg_out;
    (void)section;
    return mgr_error_set(err, MGR_ECONFIG, "%s: not readable yet", path);
}

void mgr_config_free(struct mgr_config *cfg) { (void)cfg; }

void mgr_config_set(struct mgr_config *cfg, const char *key,
                    const char *value)
{
    (void)cfg; (void)key; (void)value;
}

int mgr_config_set_arg(struct mgr_config *cfg, const char *key_value,
                       struct mgr_error *err)
{
    (void)cfg; (void)key_value; (void)err;
    return MGR_OK;
}
