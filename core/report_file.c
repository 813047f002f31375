/*
 * report_file.c: writing a report file without following links (see
 * report_file.h).
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_file.h"
#include "util.h"

#define REPORT_MODE 0644

/* "<dir>/.<base>.XXXXXX" beside path, for mkstemp(). */
static char *temp_template(const char *path)
{
    const char *slash = strrchr(path, '/');
    struct mgr_buf sb = MGR_BUF_INIT;

    if (slash)
        mgr_buf_addf(&sb, "%.*s/.%s.XXXXXX", (int)(slash - path), path,
                     slash + 1);
    else
        mgr_buf_addf(&sb, ".%s.XXXXXX", path);
    return mgr_buf_detach(&sb, NULL);
}

/* A new file beside rf->path, into *fd_out; mkstemp() makes it 0600,
 * a report is 0644 less the umask like any file the user creates. */
static int open_temp(struct report_file *rf, int *fd_out,
                     struct mgr_error *err)
{
    mode_t mask = umask(0);
    int fd;

    umask(mask);
    rf->tmp = temp_template(rf->path);
    fd = mkstemp(rf->tmp);
    if (fd < 0) {
        free(rf->tmp);
        rf->tmp = NULL;
        return mgr_error_set_errno(err, MGR_EUSAGE, errno,
                                   "cannot write the report '%s'",
                                   rf->path);
    }
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 ||
        fchmod(fd, REPORT_MODE & ~mask) != 0) {
        int e = errno;

        close(fd);
        return mgr_error_set_errno(err, MGR_EUSAGE, e,
                                   "cannot write the report '%s'",
                                   rf->path);
    }
    *fd_out = fd;
    return MGR_OK;
}

/* Open the fd to write rf->path through, into *fd_out: in place for a
 * device or a FIFO, else a temporary file beside it. */
static int open_fd(struct report_file *rf, int *fd_out,
                   struct mgr_error *err)
{
    struct stat st;
    bool exists = lstat(rf->path, &st) == 0;

    if (!exists && errno != ENOENT)
        return mgr_error_set_errno(err, MGR_EUSAGE, errno,
                                   "cannot write the report '%s'",
                                   rf->path);
    if (exists && S_ISLNK(st.st_mode))
        return mgr_error_set(err, MGR_ETRUST,
                             "refusing to write the report '%s': it is a "
                             "symbolic link, and reports never follow one; "
                             "remove it or give another path",
                             rf->path);
    if (!exists || S_ISREG(st.st_mode))
        return open_temp(rf, fd_out, err);
    *fd_out = open(rf->path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (*fd_out < 0)
        return mgr_error_set_errno(err, MGR_EUSAGE, errno,
                                   "cannot write the report '%s'",
                                   rf->path);
    return MGR_OK;
}

int report_file_open(struct report_file *rf, const char *path,
                     struct mgr_error *err)
{
    int fd = -1, rc;

    memset(rf, 0, sizeof(*rf));
    rf->path = xstrdup(path);
    rc = open_fd(rf, &fd, err);
    if (rc == MGR_OK) {
        rf->f = fdopen(fd, "w");
        if (rf->f)
            return MGR_OK;
        rc = mgr_error_set_errno(err, MGR_EUSAGE, errno,
                                 "cannot write the report '%s'", path);
        close(fd);
    }
    if (rf->tmp)
        unlink(rf->tmp);
    free(rf->tmp);
    free(rf->path);
    memset(rf, 0, sizeof(*rf));
    return rc;
}

/*
 * Finish writing rf->f and close it; the errno of the first failure, or
 * 0. A write that failed earlier (ferror), the last buffer (fflush), the
 * data reaching the disk (fsync: some file systems report a full disk
 * only there) and fclose all count: a report is kept only when every
 * byte of it was written.
 */
static int finish_writing(struct report_file *rf)
{
    int e = 0;

    if (fflush(rf->f) != 0)
        e = errno;
    if (ferror(rf->f) && !e)
        e = EIO; /* a write failed earlier; its errno is gone */
    if (rf->tmp && !e && fsync(fileno(rf->f)) != 0)
        e = errno;
    if (fclose(rf->f) != 0 && !e)
        e = errno;
    rf->f = NULL;
    return e;
}

int report_file_close(struct report_file *rf, bool keep,
                      struct mgr_error *err)
{
    int rc = MGR_OK, e;

    if (!rf->f)
        return MGR_OK;
    e = finish_writing(rf);
    if (e)
        rc = mgr_error_set_errno(err, MGR_EIO, e,
                                 rf->tmp ? "cannot write the report '%s' "
                                           "(no file was left there)"
                                         : "cannot write the report '%s'",
                                 rf->path);
    if (rf->tmp && rc == MGR_OK && keep && rename(rf->tmp, rf->path) != 0)
        rc = mgr_error_set_errno(err, MGR_EIO, errno,
                                 "cannot write the report '%s'", rf->path);
    if (rf->tmp && (rc != MGR_OK || !keep))
        unlink(rf->tmp);
    free(rf->tmp);
    free(rf->path);
    memset(rf, 0, sizeof(*rf));
    return rc;
}
