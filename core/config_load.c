/*
 * config_load.c: config_load(): open migrator.ini, have inih read it
 * (config_read.c), then expand, complete and check what it read.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "config.h"
#include "config_internal.h"
#include "fileio.h"
#include "trust.h"
#include "util.h"

/* ---- loading ------------------------------------------------------- */

/* Whether a raw URL or conninfo holds a password itself (rather than a
 * ${VAR} reference to one). Errs on the side of yes. */
static bool has_password(const char *raw)
{
    const char *p = strstr(raw, "://");

    if (p) {
        const char *user = p + 3, *at = strrchr(user, '@');
        const char *colon = at ? memchr(user, ':', (size_t)(at - user)) :
                                 NULL;

        if (colon && colon + 1 < at && !str_has_prefix(colon + 1, "${"))
            return true;
    }
    for (p = raw; *p; p++) {
        const char *q;

        if (strncasecmp(p, "password", 8))
            continue;
        q = config_skip_space(p + 8);
        if (*q != '=')
            continue;
        q = config_skip_space(q + 1);
        if (*q && *q != '&' && !str_has_prefix(q, "${"))
            return true;
    }
    return false;
}

static void warn_readable_password(const struct parse *ps, mode_t mode)
{
    static const char *const keys[] = { "database_url", "dev_url" };

    if (!(mode & (S_IRGRP | S_IROTH)))
        return;
    for (size_t i = 0; i < ps->cfg->nr; i++) {
        const struct cfg_section *s = &ps->cfg->sections[i];

        for (size_t k = 0; k < 2; k++) {
            const struct cfg_entry *e = config_entry_find(s, keys[k]);

            if (e && has_password(e->raw)) {
                MGR_WARN("%s:%d: '%s' holds a password and the file is "
                         "readable by group or others; chmod go-r %s, or "
                         "take the password from the environment (${VAR}) "
                         "or PGPASSFILE", ps->path, e->line, keys[k],
                         ps->path);
                return;
            }
        }
    }
}

static void missing_section(struct parse *ps)
{
    struct mgr_buf sb = MGR_BUF_INIT;

    for (size_t i = 0; i < ps->cfg->nr; i++)
        mgr_buf_addf(&sb, "%s[%s]", i ? ", " : "",
                     ps->cfg->sections[i].name);
    if (sb.len)
        config_parse_fail(ps, MGR_ECONFIG, 0, "no [%s] section; pick one "
                          "of %s with -n NAME", ps->want, sb.buf);
    else
        config_parse_fail(ps, MGR_ECONFIG, 0, "no [%s] section; the file "
                          "has no sections", ps->want);
    mgr_buf_release(&sb);
}

/* The config's directories (trust.h): a directory someone else may
 * write lets them replace the file, whoever owns it. */
static int check_config_dirs(const char *path, struct mgr_error *err)
{
    struct mgr_error why;
    int rc = trust_check_config_dirs(path, &why);

    if (rc == MGR_ETRUST)
        return mgr_error_set(err, rc, "refusing to read '%s': %s; whoever "
                             "may write there can replace the config, "
                             "which chooses the code migrator runs",
                             path, why.msg);
    if (rc != MGR_OK)
        return mgr_error_set(err, MGR_ECONFIG, "cannot read '%s': %s",
                             path, why.msg);
    return MGR_OK;
}

/* Open path for reading into *fp_out, refusing a file that group or
 * others may write, or that sits where they may replace it. */
static int open_checked(const char *path, FILE **fp_out, mode_t *mode_out,
                        struct mgr_error *err)
{
    FILE *fp = file_open_nonblock(path);
    struct stat st;
    int e, rc;

    if (!fp) {
        e = errno;
        if (e == ENOENT)
            rc = mgr_error_set(err, MGR_ECONFIG, "cannot read '%s': %s; run "
                               "'migrator init DIR' to create one, or pass "
                               "-c FILE", path, strerror(e));
        else
            rc = mgr_error_set(err, MGR_ECONFIG, "cannot read '%s': %s",
                               path, strerror(e));
        goto fail;
    }
    if (fstat(fileno(fp), &st) < 0 || S_ISDIR(st.st_mode)) {
        e = S_ISDIR(st.st_mode) ? EISDIR : errno;
        rc = mgr_error_set(err, MGR_ECONFIG, "cannot read '%s': %s", path,
                           strerror(e));
        goto fail;
    }
    /* A FIFO would hand us whatever its writer sends, or block; a device
     * never ends. Neither is a config file (exit 2). */
    if (!S_ISREG(st.st_mode)) {
        e = 0;
        rc = mgr_error_set(err, MGR_ECONFIG, "refusing to read '%s': it is "
                           "a FIFO, socket or device, not a regular file",
                           path);
        goto fail;
    }
    /* Another user's file could set plugin_path, c_compiler or the URL
     * for us: refused as their plugins would be (trust.c). The owner of
     * the open file is what counts, so a swapped link gains nothing. */
    if (!trust_owner_ok(st.st_uid)) {
        e = 0;
        rc = mgr_error_set(err, MGR_ETRUST, "refusing to read '%s': it is "
                           "owned by uid %lu, not root or you (uid %lu); "
                           "chown it, or run migrator as its owner", path,
                           (unsigned long)st.st_uid,
                           (unsigned long)geteuid());
        goto fail;
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        e = 0;
        rc = mgr_error_set(err, MGR_ETRUST, "refusing to read '%s': it is "
                           "writable by group or others; chmod go-w %s",
                           path, path);
        goto fail;
    }
    rc = check_config_dirs(path, err);
    if (rc != MGR_OK) {
        e = 0;
        goto fail;
    }
    *fp_out = fp;
    *mode_out = st.st_mode;
    return MGR_OK;

fail:
    if (err)
        err->sys_errno = e;
    if (fp)
        fclose(fp);
    return rc;
}

int config_load(struct mgr_config **cfg_out, const char *path,
                    const char *section, struct mgr_error *err)
{
    struct parse ps;
    mode_t mode = 0;
    int rc;

    memset(&ps, 0, sizeof(ps));
    ps.path = path;
    ps.want = section && *section ? section : DEFAULT_SECTION;
    ps.cur = CONFIG_NONE;
    ps.last = CONFIG_NONE;
    rc = open_checked(path, &ps.fp, &mode, err);
    if (rc != MGR_OK)
        return rc;
    ps.cfg = config_alloc();
    ps.cfg->path = xstrdup(path);
    ps.cfg->dir = config_path_dir(path);
    if (!ps.cfg->dir) {
        config_parse_fail(&ps, MGR_EIO, 0, "cannot find the working "
                          "directory: %s", strerror(errno));
        goto out;
    }

    rc = ini_parse_stream(config_parse_read, &ps, config_parse_handler, &ps);
    if (rc > 0)
        config_parse_fail(&ps, MGR_ECONFIG, rc, "syntax error");
    else if (rc < 0)
        config_parse_fail(&ps, MGR_ENOMEM, 0,
                          "out of memory while parsing");
    if (ps.failed)
        goto out;
    warn_readable_password(&ps, mode);
    ps.cfg->main = config_section_find(ps.cfg, ps.want);
    if (ps.cfg->main == CONFIG_NONE) {
        missing_section(&ps);
        goto out;
    }
    if (config_expand_all(&ps) < 0)
        goto out;
    config_add_defaults(ps.cfg);
    config_validate(&ps);

out:
    fclose(ps.fp);
    free(ps.raw);
    if (ps.failed) {
        config_free(ps.cfg);
        if (err)
            *err = ps.err;
        return ps.err.code;
    }
    *cfg_out = ps.cfg;
    return MGR_OK;
}
