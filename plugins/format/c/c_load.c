/*
 * c_load.c: a C script's module, built when needed and loaded with
 * libltdl, once per process.
 *
 * The script is held to the trust rules of plugins (reliability R13)
 * before anything is compiled: it and every directory above it belong to
 * root or the user and nobody else may write them. Otherwise anyone who
 * can write the script, or swap a directory on its path, could choose
 * the code this run compiles and loads.
 */
#include "autoconfig.h"

#include <ltdl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c.h"

static const struct c_module *find_module(const struct c_state *st,
                                          const char *module)
{
    for (size_t i = 0; i < st->nmods; i++)
        if (strcmp(st->mods[i]->path, module) == 0)
            return st->mods[i];
    return NULL;
}

/* lt_dlsym's answer as a function pointer. */
static c_script_fn find_fn(lt_dlhandle h, const char *name)
{
    void *p = lt_dlsym(h, name);
    c_script_fn fn = NULL;

    if (p)
        memcpy(&fn, &p, sizeof(fn));
    return fn;
}

static int load_module(struct c_state *st, const char *path,
                       const char *module, const struct c_module **mod_out,
                       struct mgr_error *err)
{
    lt_dladvise advise;
    lt_dlhandle h = NULL;
    const char *why = NULL;
    char whybuf[256] = "";
    struct c_module m, *copy;

    if (lt_dladvise_init(&advise) == 0) {
        lt_dladvise_local(&advise);
        h = lt_dlopenadvise(module, advise);
        if (!h)
            why = lt_dlerror();
        if (why)
            snprintf(whybuf, sizeof(whybuf), "%s", why);
        lt_dladvise_destroy(&advise);
    } else {
        why = lt_dlerror();
        snprintf(whybuf, sizeof(whybuf), "%s", why ? why : "");
    }
    if (!h)
        return plugin_fail(st->api, err, MGR_EPLUGIN, 0,
                           "cannot load '%s' (built from '%s'): %s", module,
                           path, whybuf[0] ? whybuf : "unknown error");
    m.upgrade = find_fn(h, C_SYM_UPGRADE);
    m.downgrade = find_fn(h, C_SYM_DOWNGRADE);
    if (!m.upgrade || !m.downgrade) {
        lt_dlclose(h);
        return plugin_fail_at(st->api, err, MGR_ESCRIPT, path, 0,
                              "'%s' is not defined; a C revision script "
                              "defines int %s(struct mgr_script *) and int "
                              "%s(struct mgr_script *)",
                              m.upgrade ? C_SYM_DOWNGRADE : C_SYM_UPGRADE,
                              C_SYM_UPGRADE, C_SYM_DOWNGRADE);
    }
    m.path = c_xstrdup(module);
    m.handle = h;
    copy = c_xmalloc(sizeof(*copy));
    *copy = m;
    st->mods = c_xrealloc(st->mods, (st->nmods + 1) * sizeof(*st->mods));
    st->mods[st->nmods++] = copy;
    *mod_out = copy;
    return MGR_OK;
}

int c_module_get(struct c_state *st, struct mgr_exec *x, const char *path,
                 const struct c_module **mod_out, struct mgr_error *err)
{
    struct c_build b;
    struct c_source src;
    struct mgr_buf module;
    char key[65];
    int rc;

    if (!st->ltdl)
        return plugin_fail(st->api, err, MGR_EPLUGIN, 0,
                           "cannot load '%s': libltdl did not start", path);
    /* Before the compiler runs: the script is code this run will run. */
    rc = st->api->trust_check(path, err);
    if (rc != MGR_OK)
        return rc;
    rc = c_build_settings(st, x, path, &b, err);
    if (rc != MGR_OK)
        return rc;
    rc = c_source_read(st, path, &src, err);
    if (rc != MGR_OK) {
        c_build_release(&b);
        return rc;
    }
    c_module_key(&b, &src, key);
    st->api->buf_init(&module, 0);
    st->api->buf_addf(&module, "%s/", b.cache_dir);
    c_module_name(st, &src, key, &module);
    *mod_out = find_module(st, module.buf);
    if (!*mod_out) {
        rc = c_build_module(st, &b, &src, key, module.buf, NULL, err);
        if (rc == MGR_OK)
            rc = load_module(st, path, module.buf, mod_out, err);
    }
    st->api->buf_release(&module);
    c_source_release(&src);
    c_build_release(&b);
    return rc;
}

void c_modules_close(struct c_state *st)
{
    for (size_t i = st->nmods; i > 0; i--) {
        lt_dlclose((lt_dlhandle)st->mods[i - 1]->handle);
        free(st->mods[i - 1]->path);
        free(st->mods[i - 1]);
    }
    free(st->mods);
    st->mods = NULL;
    st->nmods = 0;
}
