/*
 * trust.c: the file-system checks made before a module is opened. See
 * trust.h for the rules.
 */
#include "autoconfig.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trust.h"
#include "util.h"

bool trust_owner_ok(uid_t uid)
{
    return uid == 0 || uid == geteuid();
}

/* The directory part of an absolute path: "/a/b" -> "/a", "/a" -> "/". */
static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash || slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

/* Which directories others may write: see trust.h. */
enum dir_rule {
    DIRS_MODULE, /* only root's sticky ones, above the file's own */
    DIRS_CONFIG  /* sticky ones, the file's own too */
};

/* Whether others' writing to the directory st is refused under rule;
 * own: it is the one holding the file. */
static bool others_write(const struct stat *st, enum dir_rule rule, bool own)
{
    bool sticky = (st->st_mode & S_ISVTX) != 0;

    if (!(st->st_mode & (S_IWGRP | S_IWOTH)))
        return false;
    if (rule == DIRS_CONFIG)
        return !sticky;
    return own || st->st_uid != 0 || !sticky;
}

/*
 * Check dir (absolute, no symbolic links in it) and every directory
 * above it under rule. prefix is put in front of each reason.
 */
static int check_dirs(const char *dir, enum dir_rule rule,
                      const char *prefix, struct mgr_error *why)
{
    char *cur = xstrdup(dir);
    bool own = true;
    int rc = MGR_OK;

    for (;;) {
        struct stat st;
        char *slash;

        if (lstat(cur, &st) != 0) {
            rc = mgr_error_set_errno(why, MGR_EPLUGIN, errno,
                                     "%scannot examine directory '%s'",
                                     prefix, cur);
            break;
        }
        if (!S_ISDIR(st.st_mode)) {
            rc = mgr_error_set(why, MGR_ETRUST,
                               "%s'%s' changed while being checked",
                               prefix, cur);
            break;
        }
        if (!trust_owner_ok(st.st_uid)) {
            rc = mgr_error_set(why, MGR_ETRUST,
                               "%sdirectory '%s' is owned by uid %lu, "
                               "not root or you",
                               prefix, cur, (unsigned long)st.st_uid);
            break;
        }
        if (others_write(&st, rule, own)) {
            rc = mgr_error_set(why, MGR_ETRUST,
                               "%sdirectory '%s' is writable by group or "
                               "others%s",
                               prefix, cur,
                               rule == DIRS_CONFIG ? " (and not sticky)" : "");
            break;
        }
        if (strcmp(cur, "/") == 0)
            break;
        slash = strrchr(cur, '/');
        if (slash == cur)
            slash[1] = '\0';
        else
            *slash = '\0';
        own = false;
    }
    free(cur);
    return rc;
}

/* Check the file itself (st from lstat). */
static int check_file(const struct stat *st, const char *prefix,
                      struct mgr_error *why)
{
    if (!S_ISREG(st->st_mode))
        return mgr_error_set(why, MGR_ETRUST, "%snot a regular file", prefix);
    if (!trust_owner_ok(st->st_uid))
        return mgr_error_set(why, MGR_ETRUST,
                             "%sfile is owned by uid %lu, not root or you",
                             prefix, (unsigned long)st->st_uid);
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return mgr_error_set(why, MGR_ETRUST,
                             "%sfile is writable by group or others",
                             prefix);
    return MGR_OK;
}

/* realpath() of the directory holding path, then check_dirs(). */
static int check_parent(const char *path, enum dir_rule rule,
                        const char *prefix, struct mgr_error *why)
{
    const char *slash = strrchr(path, '/');
    char *parent = slash ? parent_of(path) : xstrdup(".");
    char *real = realpath(parent, NULL);
    int rc;

    if (!real)
        rc = mgr_error_set_errno(why, MGR_EPLUGIN, errno,
                                 "%scannot resolve directory '%s'", prefix,
                                 parent);
    else
        rc = check_dirs(real, rule, prefix, why);
    free(real);
    free(parent);
    return rc;
}

int trust_check_file(const char *path, char **real_out,
                     struct mgr_error *why)
{
    struct mgr_buf prefix = MGR_BUF_INIT;
    struct stat st;
    char *real = NULL;
    int rc;

    *real_out = NULL;
    if (!path || path[0] != '/')
        return mgr_error_set(why, MGR_ETRUST, "path is not absolute");
    if (lstat(path, &st) != 0)
        return mgr_error_set_errno(why, MGR_EPLUGIN, errno,
                                   "cannot examine file");
    if (S_ISLNK(st.st_mode)) {
        /* The link's own directories, then its target. */
        rc = check_parent(path, DIRS_MODULE, "", why);
        if (rc != MGR_OK)
            goto out;
        real = realpath(path, NULL);
        if (!real) {
            rc = mgr_error_set_errno(why, MGR_EPLUGIN, errno,
                                     "cannot resolve link");
            goto out;
        }
        mgr_buf_addf(&prefix, "link target '%s': ", real);
        if (lstat(real, &st) != 0) {
            rc = mgr_error_set_errno(why, MGR_EPLUGIN, errno,
                                     "%scannot examine file", prefix.buf);
            goto out;
        }
    } else {
        /* Not a link, but a directory on the way may be one. */
        real = realpath(path, NULL);
        if (!real) {
            rc = mgr_error_set_errno(why, MGR_EPLUGIN, errno,
                                     "cannot resolve path");
            goto out;
        }
    }
    rc = check_file(&st, prefix.buf, why);
    if (rc == MGR_OK)
        rc = check_parent(real, DIRS_MODULE, prefix.buf, why);
out:
    mgr_buf_release(&prefix);
    if (rc == MGR_OK)
        *real_out = real;
    else
        free(real);
    return rc;
}

int trust_check_path(const char *path, struct mgr_error *err)
{
    struct mgr_error why;
    char *real;
    int rc;

    rc = trust_check_file(path, &real, &why);
    free(real);
    if (rc == MGR_OK)
        return MGR_OK;
    return mgr_error_set(err, rc, "%s plugin '%s': %s",
                         rc == MGR_ETRUST ? "refusing to load" : "cannot load",
                         path ? path : "(null)", why.msg);
}

int trust_check_config_dirs(const char *path, struct mgr_error *why)
{
    struct stat st;
    char *real;
    int rc;

    /* The directories of the name given, which may be a link... */
    rc = check_parent(path, DIRS_CONFIG, "", why);
    if (rc != MGR_OK || lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return rc;
    /* ...and those of the file it leads to. */
    real = realpath(path, NULL);
    if (!real)
        return mgr_error_set_errno(why, MGR_EPLUGIN, errno,
                                   "cannot resolve link");
    rc = check_parent(real, DIRS_CONFIG, "", why);
    free(real);
    return rc;
}
