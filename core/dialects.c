/* dialects.c: choosing the dialect plugin by the schemes it declares. */
#include "autoconfig.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "dburl.h"
#include "dialects.h"
#include "loader.h"

int dialects_declares(const struct mgr_loaded_plugin *p, const char *scheme)
{
    const struct mgr_dialect_ops *ops = p->ops;

    if (!ops->schemes)
        return 0;
    for (size_t i = 0; ops->schemes[i]; i++)
        if (strcasecmp(ops->schemes[i], scheme) == 0)
            return 1;
    return 0;
}

/* The loaded dialect of set that declares scheme, or NULL. */
static const struct mgr_loaded_plugin *
declared_by(const struct mgr_plugin_set *set, const char *scheme)
{
    for (size_t i = 0; i < plugin_set_count(set); i++) {
        const struct mgr_loaded_plugin *p = plugin_set_get(set, i);

        if (p->desc->kind == MGR_PLUGIN_DIALECT &&
            dialects_declares(p, scheme))
            return p;
    }
    return NULL;
}

/* Append the schemes of every loaded dialect to out: "a, b, c". */
static void list_schemes(const struct mgr_plugin_set *set,
                         struct mgr_buf *out)
{
    for (size_t i = 0; i < plugin_set_count(set); i++) {
        const struct mgr_loaded_plugin *p = plugin_set_get(set, i);
        const struct mgr_dialect_ops *ops = p->ops;

        if (p->desc->kind != MGR_PLUGIN_DIALECT || !ops->schemes)
            continue;
        for (size_t j = 0; ops->schemes[j]; j++)
            mgr_buf_addf(out, "%s%s", out->len ? ", " : "",
                         ops->schemes[j]);
    }
}

/* plugin_set_load_until's test: ctx is the scheme. */
static bool serves_scheme(void *ctx, const struct mgr_loaded_plugin *p)
{
    return dialects_declares(p, ctx);
}

/* A dialect file that is refused while looking for a scheme: said, then
 * passed over (another file may serve the scheme). */
static void warn_refused(void *ctx, const char *path,
                         const struct mgr_error *why)
{
    (void)ctx;
    MGR_WARN("refusing to load plugin '%s': %s", path, why->msg);
}

static int no_dialect(struct mgr_plugin_set *set, const char *url,
                      const char *scheme, struct mgr_error *err)
{
    struct mgr_buf masked = MGR_BUF_INIT, schemes = MGR_BUF_INIT;
    int rc;

    /* Every dialect on the path, to list what they serve. */
    plugin_set_load_all(set, MGR_PLUGIN_DIALECT, NULL, NULL, NULL);
    dburl_mask(url, &masked);
    list_schemes(set, &schemes);
    if (!scheme)
        rc = mgr_error_set(err, MGR_ECONFIG,
                           "cannot tell the database from URL '%s': it "
                           "has no scheme; the dialect plugins found "
                           "serve %s",
                           masked.buf, schemes.len ? schemes.buf : "none");
    else
        rc = mgr_error_set(err, MGR_ECONFIG,
                           "no dialect plugin serves the URL scheme '%s' "
                           "of '%s'; the dialect plugins found serve %s "
                           "(see 'migrator plugins')",
                           scheme, masked.buf,
                           schemes.len ? schemes.buf : "none");
    mgr_buf_release(&masked);
    mgr_buf_release(&schemes);
    return rc;
}

int dialects_find(struct mgr_plugin_set *set, const char *url,
                  const struct mgr_loaded_plugin **plugin_out,
                  struct mgr_error *err)
{
    const struct mgr_loaded_plugin *p;
    char scheme[64];
    int rc;

    if (dburl_scheme(url, scheme, sizeof(scheme)) != 0)
        return no_dialect(set, url, NULL, err);
    p = declared_by(set, scheme);
    if (!p && loader_module_exists(set, MGR_PLUGIN_DIALECT, scheme)) {
        rc = plugin_set_load(set, MGR_PLUGIN_DIALECT, scheme, &p, err);
        if (rc != MGR_OK)
            return rc;
        if (!dialects_declares(p, scheme))
            p = NULL;
    }
    if (!p)
        plugin_set_load_until(set, MGR_PLUGIN_DIALECT, warn_refused,
                              serves_scheme, scheme, &p, NULL);
    if (!p)
        return no_dialect(set, url, scheme, err);
    *plugin_out = p;
    return MGR_OK;
}
