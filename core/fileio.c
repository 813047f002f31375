/* fileio.c: whole-file reads and safe creation of new files. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

/* Read the open fd to its end into out, then close it. */
static int read_fd(int fd, const char *path, struct mgr_buf *out,
                   struct mgr_error *err)
{
    char chunk[8192];
    ssize_t n;

    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            mgr_error_set_errno(err, MGR_EIO, errno, "cannot read '%s'",
                                path);
            close(fd);
            return MGR_EIO;
        }
        mgr_buf_add(out, chunk, (size_t)n);
    }
    close(fd);
    return MGR_OK;
}

int file_read_all(const char *path, struct mgr_buf *out,
                  struct mgr_error *err)
{
    return file_read_all_at(AT_FDCWD, path, path, out, err);
}

int file_read_all_at(int dirfd, const char *name, const char *path,
                     struct mgr_buf *out, struct mgr_error *err)
{
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return mgr_error_set_errno(err, MGR_EIO, errno, "cannot read '%s'",
                                   path);
    return read_fd(fd, path, out, err);
}

int file_create_exclusive(const char *path, const void *data, size_t len,
                          mode_t mode, struct mgr_error *err)
{
    const char *p = data;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  mode);

    if (fd < 0) {
        if (errno == EEXIST)
            return mgr_error_set(err, MGR_EEXIST,
                                 "'%s' exists already; refusing to "
                                 "overwrite it",
                                 path);
        return mgr_error_set_errno(err, MGR_EIO, errno, "cannot create '%s'",
                                   path);
    }
    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = n < 0 ? errno : ENOSPC;

            close(fd);
            unlink(path);
            return mgr_error_set_errno(err, MGR_EIO, saved,
                                       "cannot write '%s'", path);
        }
        p += n;
        len -= (size_t)n;
    }
    if (close(fd) != 0) {
        int saved = errno;

        unlink(path);
        return mgr_error_set_errno(err, MGR_EIO, saved, "cannot write '%s'",
                                   path);
    }
    return MGR_OK;
}

int file_replace(const char *path, const void *data, size_t len, mode_t mode,
                 struct mgr_error *err)
{
    struct mgr_buf tmp = MGR_BUF_INIT;
    int rc;

    /* A new file beside path, renamed over it: a reader never sees half
     * of it, and a failure leaves the old one. */
    mgr_buf_addf(&tmp, "%s.tmp%ld", path, (long)getpid());
    unlink(tmp.buf);
    rc = file_create_exclusive(tmp.buf, data, len, mode, err);
    if (rc == MGR_OK && rename(tmp.buf, path) != 0) {
        rc = mgr_error_set_errno(err, MGR_EIO, errno, "cannot write '%s'",
                                 path);
        unlink(tmp.buf);
    }
    mgr_buf_release(&tmp);
    return rc;
}

FILE *file_open_nonblock(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    FILE *fp;

    if (fd < 0)
        return NULL;
    fp = fdopen(fd, "r");
    if (!fp) {
        int e = errno;

        close(fd);
        errno = e;
    }
    return fp;
}
