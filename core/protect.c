/*
 * protect.c: protected databases (see protect.h).
 */
#include "autoconfig.h"

#include <string.h>

#include "config.h"
#include "dburl.h"
#include "protect.h"

/* The value of conninfo key dbname in url, unquoted, into name. */
static bool conninfo_dbname(const char *url, struct mgr_buf *name)
{
    const char *p = strstr(url, "dbname");

    while (p && p != url && p[-1] != ' ' && p[-1] != '\t')
        p = strstr(p + 1, "dbname");
    if (!p)
        return false;
    p += strlen("dbname");
    p += strspn(p, " \t");
    if (*p++ != '=')
        return false;
    p += strspn(p, " \t");
    if (*p == '\'')
        mgr_buf_add(name, p + 1, strcspn(p + 1, "'"));
    else
        mgr_buf_add(name, p, strcspn(p, " \t"));
    return name->len > 0;
}

/* The last path element of a URL ("prod" of postgresql://h/prod?x=1,
 * "app.db" of sqlite:////srv/app.db), into name. */
static bool url_dbname(const char *url, struct mgr_buf *name)
{
    const char *start = strstr(url, "://");
    const char *end, *slash;

    if (!start)
        return conninfo_dbname(url, name);
    start += 3;
    end = start + strcspn(start, "?#");
    slash = NULL;
    for (const char *p = start; p < end; p++)
        if (*p == '/')
            slash = p;
    if (!slash || slash + 1 >= end)
        return false;
    mgr_buf_add(name, slash + 1, (size_t)(end - slash - 1));
    return true;
}

int protect_query(struct mgr_ctx *ctx, bool *on_out, struct mgr_buf *name)
{
    const char *url = config_get(ctx->config, "database_url");
    int rc;

    *on_out = false;
    rc = config_get_bool(ctx->config, "protected", on_out, &ctx->err);
    if (rc != MGR_OK || !*on_out || !name)
        return rc;
    if (!url || !url_dbname(url, name)) {
        mgr_buf_reset(name);
        mgr_buf_addstr(name, config_section(ctx->config));
    }
    return MGR_OK;
}

int protect_check(struct mgr_ctx *ctx, const char *command, bool confirmed)
{
    struct mgr_buf name = MGR_BUF_INIT, where = MGR_BUF_INIT;
    const char *path = config_path(ctx->config);
    int line = config_line(ctx->config, "protected");
    bool on = false;
    int rc = protect_query(ctx, &on, &name);

    if (rc != MGR_OK || !on || confirmed)
        goto out;
    if (path && line > 0)
        mgr_buf_addf(&where, " at %s:%d", path, line);
    rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                       "database '%s' is protected (protected = true in "
                       "[%s]%s): %s needs --yes, or confirmation on a "
                       "terminal",
                       name.buf, config_section(ctx->config), where.buf,
                       command);
out:
    mgr_buf_release(&name);
    mgr_buf_release(&where);
    return rc;
}
