/*
 * c_build.c: where and how a C script is built, and the decision to
 * build it.
 *
 * The cache is a directory the user owns, mode 0700, beside the scripts
 * (C_CACHE_NAME in their directory) unless -x c_cache_dir or
 * $MIGRATOR_C_CACHE_DIR names another. A module is named after its
 * script and a key: the SHA-256 of everything that goes into it (the
 * text's SHA-256, compiler, flags, include directories, script API
 * version), so an edit makes a new one (the old ones of that script are
 * removed). A file in the cache is not trusted for being there: it is
 * used only when the cache's manifest (c_manifest.c) says migrator wrote
 * it, for this key, and it has not changed since; anything else is
 * compiled again over it. Nothing is loaded before the host's trust
 * checks (reliability R13) passed on the module: it and every directory
 * above it belong to root or the user and nobody else can write them.
 */
#include "autoconfig.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "c.h"
#include "../../../core/sha256.h" /* compiled in: see local.mk */

#ifndef MGR_INCLUDEDIR
#error "MGR_INCLUDEDIR must be defined (the installed headers' directory)"
#endif
#ifndef MGR_SRC_INCLUDEDIR
#error "MGR_SRC_INCLUDEDIR must be defined (the source tree's include/)"
#endif
#ifndef MGR_BUILD_INCLUDEDIR
#error "MGR_BUILD_INCLUDEDIR must be defined (the build tree's include/)"
#endif

#define MODULE_EXT ".so"

static const char *setting(const struct c_state *st, struct mgr_exec *x,
                           const char *key, const char *env)
{
    const char *v = st->api->exec_xarg(x, key);

    if (!v || !*v)
        v = getenv(env);
    if (!v || !*v)
        v = st->api->exec_config(x, key);
    return v && *v ? v : NULL;
}

static bool file_exists(const struct c_state *st, const char *dir,
                        const char *name)
{
    struct mgr_buf p;
    struct stat sb;
    bool ok;

    st->api->buf_init(&p, 0);
    st->api->buf_addf(&p, "%s/%s", dir, name);
    ok = stat(p.buf, &sb) == 0 && S_ISREG(sb.st_mode);
    st->api->buf_release(&p);
    return ok;
}

int c_build_settings(const struct c_state *st, struct mgr_exec *x,
                     const char *path, struct c_build *b,
                     struct mgr_error *err)
{
    const char *cc = setting(st, x, "c_compiler", "MIGRATOR_CC");
    const char *flags = setting(st, x, "c_flags", "MIGRATOR_CFLAGS");
    const char *cache = setting(st, x, "c_cache_dir", "MIGRATOR_C_CACHE_DIR");
    struct mgr_buf cache_path;
    const char *slash;
    char *dir, *real;

    memset(b, 0, sizeof(*b));
    if (!cc)
        cc = "cc";
    if (!c_split_words(cc, &b->compiler, &b->ncompiler) ||
        b->ncompiler == 0) {
        c_build_release(b);
        return plugin_fail(st->api, err, MGR_ECONFIG, 0,
                           "c_compiler '%s' is not a command; give a compiler "
                           "and its options, e.g. 'cc' or 'ccache gcc'",
                           cc);
    }
    if (!c_split_words(flags, &b->flags, &b->nflags)) {
        c_build_release(b);
        return plugin_fail(st->api, err, MGR_ECONFIG, 0,
                           "c_flags '%s' has an unclosed quote", flags);
    }

    /* The installed headers when they are there, else this build's. */
    if (file_exists(st, MGR_INCLUDEDIR, "migrator/script.h")) {
        b->incdirs[b->nincdirs++] = MGR_INCLUDEDIR;
    } else {
        b->incdirs[b->nincdirs++] = MGR_SRC_INCLUDEDIR;
        b->incdirs[b->nincdirs++] = MGR_BUILD_INCLUDEDIR;
    }

    if (cache) {
        if (cache[0] != '/') {
            c_build_release(b);
            return plugin_fail(st->api, err, MGR_ECONFIG, 0,
                               "c_cache_dir '%s' is not an absolute path",
                               cache);
        }
        b->cache_dir = c_xstrdup(cache);
        return MGR_OK;
    }
    slash = strrchr(path, '/');
    dir = slash ? c_xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
                : c_xstrdup(".");
    real = realpath(dir, NULL);
    if (!real) {
        int e = errno;

        plugin_fail(st->api, err, MGR_EIO, e,
                    "cannot resolve directory '%s'", dir);
        free(dir);
        c_build_release(b);
        return MGR_EIO;
    }
    free(dir);
    st->api->buf_init(&cache_path, 0);
    st->api->buf_addf(&cache_path, "%s%s%s", real,
                      strcmp(real, "/") ? "/" : "", C_CACHE_NAME);
    b->cache_dir = c_xstrdup(cache_path.buf);
    st->api->buf_release(&cache_path);
    free(real);
    return MGR_OK;
}

void c_build_release(struct c_build *b)
{
    c_words_free(b->compiler);
    c_words_free(b->flags);
    free(b->cache_dir);
    memset(b, 0, sizeof(*b));
}

/* ---- the module's key and name -------------------------------------- */

/* A string and its terminating NUL, so that "ab","c" differs from "a","bc". */
static void hash_str(struct sha256 *h, const char *s)
{
    sha256_update(h, s, strlen(s) + 1);
}

void c_module_key(const struct c_build *b, const struct c_source *src,
                  char key[65])
{
    struct sha256 h;
    char api[16];

    snprintf(api, sizeof(api), "%u", MGR_SCRIPT_API_VERSION);
    sha256_init(&h);
    hash_str(&h, "migrator format_c module 2");
    hash_str(&h, api);
    for (size_t i = 0; i < b->ncompiler; i++)
        hash_str(&h, b->compiler[i]);
    hash_str(&h, "");
    for (size_t i = 0; i < b->nflags; i++)
        hash_str(&h, b->flags[i]);
    hash_str(&h, "");
    for (size_t i = 0; i < b->nincdirs; i++)
        hash_str(&h, b->incdirs[i]);
    hash_str(&h, "");
    hash_str(&h, src->sha256);
    sha256_final_hex(&h, key);
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

void c_module_name(const struct c_state *st, const struct c_source *src,
                   const char *key, struct mgr_buf *out)
{
    const char *base = strrchr(src->path, '/');
    size_t blen;

    base = base ? base + 1 : src->path;
    blen = strlen(base);
    if (blen > 2 && strcmp(base + blen - 2, ".c") == 0)
        blen -= 2;
    /* The manifest holds names one a line, with no blanks in them. */
    for (size_t i = 0; i < blen; i++)
        st->api->buf_add(out, name_char(base[i]) ? base + i : "_", 1);
    st->api->buf_add(out, "-", 1);
    st->api->buf_add(out, key, C_NAME_HEX);
    st->api->buf_addf(out, "%s", MODULE_EXT);
}

/* ---- the cache directory ----------------------------------------------- */

static int cache_dir_ready(const struct c_state *st, const char *dir,
                           struct mgr_error *err)
{
    struct stat sb;

    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return plugin_fail(st->api, err, MGR_EIO, errno,
                           "cannot create the build cache '%s' (set -x "
                           "c_cache_dir=DIR to use another directory)",
                           dir);
    if (lstat(dir, &sb) != 0)
        return plugin_fail(st->api, err, MGR_EIO, errno,
                           "cannot examine the build cache '%s'", dir);
    if (S_ISLNK(sb.st_mode))
        return plugin_fail(st->api, err, MGR_ETRUST, 0,
                           "refusing to use the build cache '%s': it is a "
                           "symbolic link",
                           dir);
    if (!S_ISDIR(sb.st_mode))
        return plugin_fail(st->api, err, MGR_EIO, 0,
                           "the build cache '%s' is not a directory", dir);
    if (sb.st_uid != geteuid())
        return plugin_fail(st->api, err, MGR_ETRUST, 0,
                           "refusing to use the build cache '%s': it is owned "
                           "by uid %lu, not you",
                           dir, (unsigned long)sb.st_uid);
    if (sb.st_mode & (S_IWGRP | S_IWOTH))
        return plugin_fail(st->api, err, MGR_ETRUST, 0,
                           "refusing to use the build cache '%s': it is "
                           "writable by group or others; remove it, and "
                           "migrator makes a new one",
                           dir);
    /* Readable by others (made by git, say): nobody else need see it. */
    if ((sb.st_mode & 07777) != 0700 && chmod(dir, 0700) != 0)
        return plugin_fail(st->api, err, MGR_EIO, errno,
                           "cannot chmod the build cache '%s'", dir);
    return MGR_OK;
}

/* Remove the modules of the same script other than keep ("<name>-*"). */
static void remove_stale(const struct c_state *st, const char *dir,
                         const char *keep)
{
    size_t stem = strlen(keep) - C_NAME_HEX - strlen(MODULE_EXT);
    struct dirent *d;
    DIR *dh = opendir(dir);

    if (!dh)
        return;
    while ((d = readdir(dh)) != NULL) {
        const char *n = d->d_name;
        struct mgr_buf p;
        bool hex = true;

        if (strlen(n) != strlen(keep) || strcmp(n, keep) == 0 ||
            strncmp(n, keep, stem) != 0 ||
            strcmp(n + stem + C_NAME_HEX, MODULE_EXT) != 0)
            continue;
        for (size_t i = stem; i < stem + C_NAME_HEX; i++)
            if (!((n[i] >= '0' && n[i] <= '9') || (n[i] >= 'a' && n[i] <= 'f')))
                hex = false;
        if (!hex)
            continue;
        st->api->buf_init(&p, 0);
        st->api->buf_addf(&p, "%s/%s", dir, n);
        unlink(p.buf);
        st->api->buf_release(&p);
    }
    closedir(dh);
}

/* ---- building ---------------------------------------------------------- */

/* Compile src into module unless the manifest vouches for the file there;
 * *compiled_out says whether it compiled. */
static int build_unless_vouched(const struct c_state *st,
                                const struct c_build *b,
                                const struct c_source *src, const char *key,
                                const char *module, bool *compiled_out,
                                struct mgr_error *err)
{
    const char *name = strrchr(module, '/') + 1;
    struct c_manifest mf;
    int rc;

    rc = c_manifest_open(st, b->cache_dir, &mf, err);
    if (rc != MGR_OK)
        return rc;
    if (!c_manifest_vouches(st, &mf, module, name, key)) {
        rc = c_compile(st, b, src, module, err);
        if (rc == MGR_OK) {
            *compiled_out = true;
            remove_stale(st, b->cache_dir, name);
            rc = c_manifest_record(st, &mf, module, name, key, err);
        }
    }
    c_manifest_close(&mf);
    return rc;
}

int c_build_module(const struct c_state *st, const struct c_build *b,
                   const struct c_source *src, const char *key,
                   const char *module, bool *compiled_out,
                   struct mgr_error *err)
{
    bool compiled = false;
    struct stat sb;
    int rc;

    rc = cache_dir_ready(st, b->cache_dir, err);
    if (rc == MGR_OK)
        rc = build_unless_vouched(st, b, src, key, module, &compiled, err);
    if (compiled_out)
        *compiled_out = compiled;
    if (rc != MGR_OK)
        return rc;
    if (lstat(module, &sb) != 0)
        return plugin_fail(st->api, err, MGR_EIO, errno,
                           "cannot examine '%s'", module);
    if (S_ISLNK(sb.st_mode))
        return plugin_fail(st->api, err, MGR_ETRUST, 0,
                           "refusing to load '%s': it is a symbolic link",
                           module);
    return st->api->trust_check(module, err);
}
