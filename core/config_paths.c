/*
 * config_paths.c: paths made absolute and clean, and the path lists of
 * the config (version_locations, plugin_path).
 */
#include "autoconfig.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "config_internal.h"
#include "util.h"

/* ---- paths --------------------------------------------------------- */

static char *cwd_dup(void)
{
    size_t size = 256;

    for (;;) {
        char *buf = xmalloc(size);

        if (getcwd(buf, size))
            return buf;
        free(buf);
        if (errno != ERANGE || size > (1u << 20))
            return NULL;
        size *= 2;
    }
}

/* Clean an absolute path lexically: no "//", "." or "..". */
static char *path_clean(const char *path)
{
    struct mgr_buf sb = MGR_BUF_INIT;
    const char *p = path;

    while (*p) {
        const char *seg;
        size_t n;

        while (*p == '/')
            p++;
        seg = p;
        while (*p && *p != '/')
            p++;
        n = (size_t)(p - seg);
        if (n == 0 || (n == 1 && seg[0] == '.'))
            continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            char *slash = strrchr(sb.buf, '/');

            if (slash)
                mgr_buf_setlen(&sb, (size_t)(slash - sb.buf));
            continue;
        }
        mgr_buf_addch(&sb, '/');
        mgr_buf_add(&sb, seg, n);
    }
    if (!sb.len)
        mgr_buf_addch(&sb, '/');
    return mgr_buf_detach(&sb, NULL);
}

/* rel made absolute against base (an absolute path), cleaned. */
char *config_path_join(const char *base, const char *rel)
{
    struct mgr_buf sb = MGR_BUF_INIT;
    char *out;

    if (rel[0] != '/') {
        mgr_buf_addstr(&sb, base);
        mgr_buf_addch(&sb, '/');
    }
    mgr_buf_addstr(&sb, rel);
    out = path_clean(sb.buf);
    mgr_buf_release(&sb);
    return out;
}

/* The absolute directory of file path; NULL when the working directory
 * cannot be found. */
char *config_path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir, *cwd, *out;

    if (!slash)
        dir = xstrdup(".");
    else if (slash == path)
        dir = xstrdup("/");
    else
        dir = xstrndup(path, (size_t)(slash - path));
    if (dir[0] == '/') {
        out = path_clean(dir);
    } else {
        cwd = cwd_dup();
        out = cwd ? config_path_join(cwd, dir) : NULL;
        free(cwd);
    }
    free(dir);
    return out;
}

/* ---- path lists ---------------------------------------------------- */

void strv_list_free(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

char **config_get_paths(const struct mgr_config *cfg, const char *key)
{
    const char *value = config_get(cfg, key), *p;
    char *cwd = NULL;
    const char *base = cfg->dir;
    char **v = NULL;
    size_t n = 0;

    if (!base && value)
        base = cwd = cwd_dup();
    for (p = value; p && *p;) {
        const char *tok;
        char *item;

        while (*p == ',' || isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        tok = p;
        while (*p && *p != ',' && !isspace((unsigned char)*p))
            p++;
        item = xstrndup(tok, (size_t)(p - tok));
        v = xreallocarray(v, n + 2, sizeof(*v));
        if (base || item[0] == '/') {
            v[n++] = config_path_join(base ? base : "/", item);
            free(item);
        } else {
            v[n++] = item; /* no working directory: keep it relative */
        }
    }
    free(cwd);
    if (!v)
        v = xmalloc(sizeof(*v));
    v[n] = NULL;
    return v;
}
