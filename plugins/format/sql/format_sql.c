/*
 * format_sql.c: the SQL revision script format (".sql"). The entry point,
 * the plugin's state and its ops table; see sql.h for the file format.
 */
#include "autoconfig.h"

#include <stdlib.h>

#include <migrator/plugin.h>

#include "sql.h"

static const char *const extensions[] = { ".sql", NULL };

static int sql_init(const struct mgr_host_api *api, struct mgr_host *h,
                    void **state_out, struct mgr_error *err)
{
    struct sql_state *st;

    if (!api)
        return MGR_EPLUGIN;
    if (!MGR_API_HAS(api, exec_sql)) {
        if (err && MGR_API_HAS(api, error_set) && api->error_set)
            api->error_set(err, MGR_EPLUGIN,
                           "the host's API table is too small (%u bytes)",
                           (unsigned)api->size);
        return MGR_EPLUGIN;
    }
    st = malloc(sizeof(*st));
    if (!st)
        return api->error_set(err, MGR_ENOMEM, "out of memory");
    st->api = api;
    st->host = h;
    *state_out = st;
    return MGR_OK;
}

static void sql_fini(void *state)
{
    free(state);
}

static const struct mgr_format_ops ops = {
    sizeof(struct mgr_format_ops),
    extensions,
    sql_parse_header,
    sql_run_section,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_FORMAT, "sql", "0.1.0", "SQL revision scripts",
                  sql_init, sql_fini, &ops)
