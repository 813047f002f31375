/*
 * format_c.c: revision scripts written in C (".c"). The entry point, the
 * plugin's state and its ops table, and the running of a section; see c.h
 * for the file format and <migrator/script.h> for what a script sees.
 */
#include "autoconfig.h"

#include <ltdl.h>
#include <stdlib.h>

#include <migrator/plugin.h>

#include "c.h"

static const char *const extensions[] = { ".c", NULL };

static int c_init(const struct mgr_host_api *api, struct mgr_host *h,
                  void **state_out, struct mgr_error *err)
{
    struct c_state *st;

    st = calloc(1, sizeof(*st));
    if (!st)
        return api->error_set(err, MGR_ENOMEM, "out of memory");
    st->api = api;
    st->host = h;
    /* Counted: the host's own lt_dlinit() stays in force. */
    st->ltdl = lt_dlinit() == 0;
    *state_out = st;
    return MGR_OK;
}

static void c_fini(void *state)
{
    struct c_state *st = state;

    if (!st)
        return;
    c_modules_close(st);
    if (st->ltdl)
        lt_dlexit();
    free(st);
}

int c_run_section(void *state, const char *path, enum mgr_direction dir,
                  struct mgr_exec *x, struct mgr_error *err)
{
    struct c_state *st = state;
    const struct c_module *mod = NULL;
    int mode = st->api->exec_mode(x);
    int rc;

    /* Compile and load in every mode: the pre-flight check (mode 2)
     * stops a run on a script that does not build before anything is
     * sent. */
    rc = c_module_get(st, x, path, &mod, err);
    if (rc != MGR_OK)
        return rc;
    rc = st->api->exec_section_begin(x, 0, 1, err);
    if (rc != MGR_OK || mode == 2)
        return rc;
    return c_script_call(st, x, path, dir,
                         dir == MGR_UPGRADE ? mod->upgrade : mod->downgrade,
                         err);
}

static const struct mgr_format_ops ops = {
    sizeof(struct mgr_format_ops),
    extensions,
    c_parse_header,
    c_run_section,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_FORMAT, "c", "0.1.0",
                  "revision scripts in C, compiled and loaded on use",
                  c_init, c_fini, &ops)
