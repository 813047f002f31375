/*
 * c_manifest.c: the build cache's record of the modules migrator built.
 *
 * A module in the cache is code this process will load, so its being
 * there proves nothing: a cache can be committed to a repository, copied
 * from elsewhere or written by a compiler wrapper. The manifest says
 * which files migrator itself wrote: per module, the key it was built
 * for (c_module_key), the SHA-256 of its bytes and the identity of the
 * file (device, inode, size, change time). A file checked out or copied
 * into the cache is a new file with a new identity, even when its bytes
 * and a committed manifest line match, so it is compiled again over.
 *
 * The manifest is "manifest" in the cache, a regular file of the user's,
 * mode 0600: one line per module,
 *
 *     <key> <sha256> <dev> <ino> <size> <ctime sec> <ctime nsec> <name>
 *
 * and comment lines starting with '#'. A manifest that is anything else
 * is not one migrator wrote: it is removed and a new one begun. A run
 * holds a write lock on it (fcntl) from reading it to writing it, so two
 * runs do not build the same module at once or lose each other's lines.
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "c.h"
#include "../../../core/sha256.h" /* compiled in: see local.mk */

#define MANIFEST_HEAD "# migrator build cache manifest 1: written by " \
                      "migrator, do not edit\n"
/* How often a manifest replaced while we waited for its lock is opened
 * again. */
#define OPEN_TRIES 5

/* ---- hashing a file ------------------------------------------------------ */

int c_file_sha256(const struct c_state *st, const char *path,
                  struct stat *sb, char hex[65], struct mgr_error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct sha256 h;
    char buf[8192];
    ssize_t n;

    if (fd < 0)
        return plugin_fail(st->api, err, MGR_EIO, errno, "cannot open '%s'",
                           path);
    if (fstat(fd, sb) != 0 || !S_ISREG(sb->st_mode)) {
        close(fd);
        return plugin_fail(st->api, err, MGR_EIO, 0,
                           "'%s' is not a regular file", path);
    }
    sha256_init(&h);
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;

            close(fd);
            return plugin_fail(st->api, err, MGR_EIO, e, "cannot read '%s'",
                               path);
        }
        sha256_update(&h, buf, (size_t)n);
    }
    close(fd);
    sha256_final_hex(&h, hex);
    return MGR_OK;
}

/* ---- entries ------------------------------------------------------------- */

static void entry_identity(struct c_manifest_entry *e, const struct stat *sb)
{
    e->dev = (unsigned long long)sb->st_dev;
    e->ino = (unsigned long long)sb->st_ino;
    e->size = (unsigned long long)sb->st_size;
    e->ctime_sec = (unsigned long long)sb->st_ctim.tv_sec;
    e->ctime_nsec = (unsigned long long)sb->st_ctim.tv_nsec;
}

static bool is_hex64(const char *s, size_t len)
{
    if (len != 64)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* One word of the line at *p (up to a blank or its end); NULL if none. */
static const char *word(const char **p, const char *end, size_t *len)
{
    const char *w = *p;

    while (*p < end && **p != ' ')
        (*p)++;
    *len = (size_t)(*p - w);
    if (*p < end)
        (*p)++;
    return *len ? w : NULL;
}

static bool number(const char **p, const char *end, unsigned long long *out)
{
    char tmp[24], *stop;
    size_t len;
    const char *w = word(p, end, &len);

    if (!w || len >= sizeof(tmp) || w[0] < '0' || w[0] > '9')
        return false;
    memcpy(tmp, w, len);
    tmp[len] = '\0';
    errno = 0;
    *out = strtoull(tmp, &stop, 10);
    return errno == 0 && *stop == '\0';
}

/* Parse the line [p, end) into e; false for one that does not parse. */
static bool parse_line(const char *p, const char *end,
                       struct c_manifest_entry *e)
{
    const char *w;
    size_t len;

    w = word(&p, end, &len);
    if (!w || !is_hex64(w, len))
        return false;
    memcpy(e->key, w, 64);
    e->key[64] = '\0';
    w = word(&p, end, &len);
    if (!w || !is_hex64(w, len))
        return false;
    memcpy(e->sha256, w, 64);
    e->sha256[64] = '\0';
    if (!number(&p, end, &e->dev) || !number(&p, end, &e->ino) ||
        !number(&p, end, &e->size) || !number(&p, end, &e->ctime_sec) ||
        !number(&p, end, &e->ctime_nsec))
        return false;
    w = word(&p, end, &len);
    if (!w || p != end || memchr(w, '/', len))
        return false;
    e->name = c_xstrndup(w, len);
    return true;
}

static void add_entry(struct c_manifest *mf, const struct c_manifest_entry *e)
{
    mf->v = c_xrealloc(mf->v, (mf->n + 1) * sizeof(*mf->v));
    mf->v[mf->n++] = *e;
}

static struct c_manifest_entry *find_entry(const struct c_manifest *mf,
                                           const char *name)
{
    for (size_t i = 0; i < mf->n; i++)
        if (strcmp(mf->v[i].name, name) == 0)
            return &mf->v[i];
    return NULL;
}

/* Read the entries of the open manifest; lines that do not parse are
 * left out (a manifest cut short by a crash loses only its tail). */
static int read_entries(const struct c_state *st, struct c_manifest *mf,
                        struct mgr_error *err)
{
    struct mgr_buf text;
    char buf[8192];
    ssize_t n;
    off_t off = 0;
    int rc = MGR_OK;

    st->api->buf_init(&text, 0);
    while ((n = pread(mf->fd, buf, sizeof(buf), off)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = plugin_fail(st->api, err, MGR_EIO, errno,
                             "cannot read '%s'", mf->path);
            goto out;
        }
        st->api->buf_add(&text, buf, (size_t)n);
        off += n;
    }
    for (const char *p = text.buf, *end = text.buf + text.len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        struct c_manifest_entry e;

        memset(&e, 0, sizeof(e));
        if (*p != '#' && parse_line(p, stop, &e)) {
            if (find_entry(mf, e.name))
                free(e.name); /* the first line of a name counts */
            else
                add_entry(mf, &e);
        }
        p = nl ? nl + 1 : end;
    }
out:
    st->api->buf_release(&text);
    return rc;
}

/* ---- opening ------------------------------------------------------------- */

/* Why the open file (sb) is not a manifest migrator wrote, or NULL. */
static const char *not_ours(const struct stat *sb, char *buf, size_t size)
{
    if (!S_ISREG(sb->st_mode))
        return "it is not a regular file";
    if (sb->st_uid != geteuid()) {
        snprintf(buf, size, "it is owned by uid %lu, not you",
                 (unsigned long)sb->st_uid);
        return buf;
    }
    if ((sb->st_mode & 07777) != 0600) {
        snprintf(buf, size, "its mode is %04o, not 0600",
                 (unsigned)(sb->st_mode & 07777));
        return buf;
    }
    return NULL;
}

static void discard(const struct c_state *st, const char *path,
                    const char *why)
{
    st->api->log(st->host, MGR_LOG_WARNING,
                 "ignoring the build cache manifest '%s': %s; the modules "
                 "in the cache will be built again",
                 path, why);
    unlink(path);
}

/* Wait for the write lock on fd. */
static int lock_fd(int fd)
{
    struct flock fl;

    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    while (fcntl(fd, F_SETLKW, &fl) != 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

/*
 * Open the manifest at mf->path, locked, into mf->fd: 1 when done, 0 to
 * try again (it was not ours and is gone, or it was replaced while we
 * waited for the lock), or a failure.
 */
static int open_once(const struct c_state *st, struct c_manifest *mf,
                     struct mgr_error *err)
{
    int fd = open(mf->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
                                O_CLOEXEC,
                  0600);
    struct stat sb, now;
    const char *why;
    char whybuf[64];

    if (fd < 0 && errno == ELOOP) {
        discard(st, mf->path, "it is a symbolic link");
        return 0;
    }
    if (fd < 0)
        return -plugin_fail(st->api, err, MGR_EIO, errno,
                            "cannot open '%s'", mf->path);
    if (fstat(fd, &sb) != 0) {
        close(fd);
        return -plugin_fail(st->api, err, MGR_EIO, errno,
                            "cannot examine '%s'", mf->path);
    }
    why = not_ours(&sb, whybuf, sizeof(whybuf));
    if (why) {
        close(fd);
        discard(st, mf->path, why);
        return 0;
    }
    if (lock_fd(fd) != 0) {
        int e = errno;

        close(fd);
        return -plugin_fail(st->api, err, MGR_EIO, e, "cannot lock '%s'",
                            mf->path);
    }
    if (lstat(mf->path, &now) != 0 || now.st_dev != sb.st_dev ||
        now.st_ino != sb.st_ino) {
        close(fd);
        return 0;
    }
    mf->fd = fd;
    return 1;
}

int c_manifest_open(const struct c_state *st, const char *cache_dir,
                    struct c_manifest *mf, struct mgr_error *err)
{
    struct mgr_buf p;
    int got = 0, rc;

    memset(mf, 0, sizeof(*mf));
    mf->fd = -1;
    st->api->buf_init(&p, 0);
    st->api->buf_addf(&p, "%s/%s", cache_dir, C_MANIFEST_NAME);
    mf->path = c_xstrdup(p.buf);
    st->api->buf_release(&p);
    for (int i = 0; i < OPEN_TRIES && got == 0; i++)
        got = open_once(st, mf, err);
    if (got < 0)
        rc = -got;
    else if (got == 0)
        rc = plugin_fail(st->api, err, MGR_EIO, 0,
                         "cannot open the build cache manifest '%s': it "
                         "keeps being replaced",
                         mf->path);
    else
        rc = st->api->trust_check(mf->path, err);
    if (rc == MGR_OK)
        rc = read_entries(st, mf, err);
    if (rc != MGR_OK)
        c_manifest_close(mf);
    return rc;
}

void c_manifest_close(struct c_manifest *mf)
{
    if (mf->fd >= 0)
        close(mf->fd); /* and with it the lock */
    for (size_t i = 0; i < mf->n; i++)
        free(mf->v[i].name);
    free(mf->v);
    free(mf->path);
    memset(mf, 0, sizeof(*mf));
    mf->fd = -1;
}

/* ---- vouching and recording --------------------------------------------- */

bool c_manifest_vouches(const struct c_state *st,
                        const struct c_manifest *mf, const char *module,
                        const char *name, const char *key)
{
    const struct c_manifest_entry *e = find_entry(mf, name);
    struct c_manifest_entry now;
    struct stat sb;
    char hex[65];

    if (!e || strcmp(e->key, key) != 0)
        return false;
    if (c_file_sha256(st, module, &sb, hex, NULL) != MGR_OK ||
        sb.st_uid != geteuid())
        return false;
    entry_identity(&now, &sb);
    return now.dev == e->dev && now.ino == e->ino && now.size == e->size &&
           now.ctime_sec == e->ctime_sec &&
           now.ctime_nsec == e->ctime_nsec && strcmp(hex, e->sha256) == 0;
}

/* Drop the entries, other than keep, whose module file is gone. */
static void prune(const struct c_state *st, struct c_manifest *mf,
                  const char *dir, const char *keep)
{
    size_t out = 0;

    for (size_t i = 0; i < mf->n; i++) {
        struct mgr_buf p;
        struct stat sb;
        bool gone;

        st->api->buf_init(&p, 0);
        st->api->buf_addf(&p, "%s/%s", dir, mf->v[i].name);
        gone = strcmp(mf->v[i].name, keep) != 0 && lstat(p.buf, &sb) != 0 &&
               errno == ENOENT;
        st->api->buf_release(&p);
        if (gone)
            free(mf->v[i].name);
        else
            mf->v[out++] = mf->v[i];
    }
    mf->n = out;
}

/* Write mf's entries over the file, under the lock. */
static int write_entries(const struct c_state *st,
                         const struct c_manifest *mf, struct mgr_error *err)
{
    struct mgr_buf text;
    size_t done = 0;
    int rc = MGR_OK;

    st->api->buf_init(&text, 0);
    st->api->buf_addf(&text, "%s", MANIFEST_HEAD);
    for (size_t i = 0; i < mf->n; i++) {
        const struct c_manifest_entry *e = &mf->v[i];

        st->api->buf_addf(&text, "%s %s %llu %llu %llu %llu %llu %s\n",
                          e->key, e->sha256, e->dev, e->ino, e->size,
                          e->ctime_sec, e->ctime_nsec, e->name);
    }
    while (done < text.len) {
        ssize_t n = pwrite(mf->fd, text.buf + done, text.len - done,
                           (off_t)done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = plugin_fail(st->api, err, MGR_EIO, n < 0 ? errno : EIO,
                             "cannot write '%s'", mf->path);
            break;
        }
        done += (size_t)n;
    }
    if (rc == MGR_OK && ftruncate(mf->fd, (off_t)text.len) != 0)
        rc = plugin_fail(st->api, err, MGR_EIO, errno, "cannot write '%s'",
                         mf->path);
    st->api->buf_release(&text);
    return rc;
}

int c_manifest_record(const struct c_state *st, struct c_manifest *mf,
                      const char *module, const char *name,
                      const char *key, struct mgr_error *err)
{
    struct c_manifest_entry e, *old;
    struct stat sb;
    char *dir;
    int rc;

    memset(&e, 0, sizeof(e));
    rc = c_file_sha256(st, module, &sb, e.sha256, err);
    if (rc != MGR_OK)
        return rc;
    memcpy(e.key, key, sizeof(e.key));
    entry_identity(&e, &sb);
    old = find_entry(mf, name);
    if (old) {
        e.name = old->name;
        *old = e;
    } else {
        e.name = c_xstrdup(name);
        add_entry(mf, &e);
    }
    dir = c_xstrndup(module, (size_t)(strrchr(module, '/') - module));
    prune(st, mf, dir, name);
    free(dir);
    return write_entries(st, mf, err);
}
