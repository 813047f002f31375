/*
 * sqlite_lock.c: the migration lock of a SQLite database (reliability
 * R2). SQLite has no advisory locks, so the run holds a write lock on a
 * file next to the database, "<database>-migrator.lock", and writes its
 * pid into it for whoever waits. try_lock makes one non-blocking attempt;
 * the host polls it with backoff (core/lockwait.c).
 *
 * The lock is an open file description lock (F_OFD_SETLK) where the
 * system has them: it belongs to the connection, so a second connection
 * of the same process is refused as another process would be, and closing
 * some other descriptor of the file does not drop it. Elsewhere it is a
 * POSIX record lock (F_SETLK), which only excludes other processes. The
 * kernel drops the lock when the holder dies; the file stays (removing it
 * would race with a process that has just opened it).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* F_OFD_SETLK */
#endif
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <migrator/plugin.h>

#include "sqlite.h"

#ifdef F_OFD_SETLK
#define SQ_SETLK F_OFD_SETLK
#define SQ_GETLK F_OFD_GETLK
#else
#define SQ_SETLK F_SETLK
#define SQ_GETLK F_GETLK
#endif

static int set_lock(int fd, short type)
{
    struct flock fl;

    memset(&fl, 0, sizeof(fl));
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = 0;
    fl.l_len = 0; /* the whole file */
    return fcntl(fd, SQ_SETLK, &fl);
}

/* The pid written into the lock file by its holder, or 0 when unknown. */
static long holder_pid(int fd)
{
    char text[32];
    ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
    long pid = 0;
    struct flock fl;

    for (ssize_t i = 0; i < n; i++) {
        if (text[i] < '0' || text[i] > '9')
            break;
        if (pid > 100000000L)
            return 0;
        pid = pid * 10 + (text[i] - '0');
    }
    if (pid > 0)
        return pid;
    /* A record lock reports its owner (an OFD lock says -1). */
    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(fd, SQ_GETLK, &fl) == 0 && fl.l_type != F_UNLCK &&
        fl.l_pid > 0)
        return (long)fl.l_pid;
    return 0;
}

/* "pid 42 (lock file '...')": who holds the lock file open on fd. */
static void describe_holder(struct sq_conn *c, int fd, const char *lock_path,
                            struct mgr_buf *holder)
{
    long pid = holder_pid(fd);

    if (pid > 0)
        c->st->api->buf_addf(holder, "pid %ld (lock file '%s')", pid,
                             lock_path);
    else
        c->st->api->buf_addf(holder, "another process (lock file '%s')",
                             lock_path);
}

/* Record our pid in the lock file we hold; a failure only costs the
 * waiters the holder's name. */
static void write_pid(struct sq_conn *c)
{
    char text[32];
    int n = snprintf(text, sizeof(text), "%ld\n", (long)getpid());

    if (ftruncate(c->lock_fd, 0) != 0 ||
        pwrite(c->lock_fd, text, (size_t)n, 0) != (ssize_t)n)
        c->st->api->log(c->st->host, MGR_LOG_WARNING,
                        "cannot write the pid into '%s': %s", c->lock_path,
                        strerror(errno));
}

/* "<database>" SQ_LOCK_SUFFIX, allocated. */
static char *lock_path_of(struct sq_conn *c)
{
    size_t plen = strlen(c->path), slen = strlen(SQ_LOCK_SUFFIX);
    char *path = c->st->api->alloc(plen + slen + 1);

    memcpy(path, c->path, plen);
    memcpy(path + plen, SQ_LOCK_SUFFIX, slen + 1);
    return path;
}

/* MGR_EIO for the system error e about lock_path, with e kept in err. */
static int lock_file_failed(struct sq_conn *c, const char *what,
                            const char *lock_path, int e,
                            struct mgr_error *err)
{
    int rc = c->st->api->error_set(err, MGR_EIO, "cannot %s '%s': %s", what,
                                   lock_path, strerror(e));

    if (err)
        err->sys_errno = e;
    return rc;
}

/* This connection holds the lock file open on fd, for key. */
static void keep_lock(struct sq_conn *c, int fd, char *lock_path,
                      const char *key)
{
    size_t n = strlen(key) + 1;

    c->lock_fd = fd;
    c->lock_path = lock_path;
    c->lock_key = c->st->api->alloc(n);
    memcpy(c->lock_key, key, n);
    write_pid(c);
}

int sq_try_lock(void *conn, const char *key, long wait_ms,
                int *got_out, struct mgr_buf *holder,
                struct mgr_error *err)
{
    struct sq_conn *c = conn;
    char *lock_path;
    int fd, e, rc = MGR_OK;

    *got_out = 0;
    if (!key)
        key = "";
    /* R2: a writer outside migrator makes us wait as long as a run
     * would. */
    sq_set_busy(c, wait_ms);
    if (!c->path) {
        *got_out = 1; /* a memory database is this connection's alone */
        return MGR_OK;
    }
    if (c->lock_fd >= 0) {
        /* One lock file per database: another key would share it, and
         * its unlock would release ours. */
        if (strcmp(c->lock_key, key) != 0)
            return c->st->api->error_set(err, MGR_EPLUGIN,
                                         "this connection holds the "
                                         "migration lock '%s' already",
                                         c->lock_key);
        *got_out = 1;
        return MGR_OK;
    }
    lock_path = lock_path_of(c);
    /* Opened for each attempt: a file removed meanwhile is made anew. */
    fd = open(lock_path, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        rc = lock_file_failed(c, "open the lock file", lock_path, errno,
                              err);
        c->st->api->free(lock_path);
        return rc;
    }
    if (set_lock(fd, F_WRLCK) == 0) {
        keep_lock(c, fd, lock_path, key);
        *got_out = 1;
        return MGR_OK;
    }
    e = errno;
    if (e != EACCES && e != EAGAIN && e != EINTR)
        rc = lock_file_failed(c, "lock", lock_path, e, err);
    else if (holder)
        describe_holder(c, fd, lock_path, holder);
    close(fd);
    c->st->api->free(lock_path);
    return rc;
}

void sq_lock_release(struct sq_conn *c)
{
    if (c->lock_fd < 0)
        return;
    /* Leave no stale pid behind; the file itself stays. */
    if (ftruncate(c->lock_fd, 0) != 0)
        c->st->api->log(c->st->host, MGR_LOG_DEBUG,
                        "cannot truncate '%s': %s", c->lock_path,
                        strerror(errno));
    set_lock(c->lock_fd, F_UNLCK);
    close(c->lock_fd);
    c->lock_fd = -1;
    c->st->api->free(c->lock_path);
    c->lock_path = NULL;
    c->st->api->free(c->lock_key);
    c->lock_key = NULL;
}

int sq_lock_check(void *conn, const char *key, struct mgr_error *err)
{
    struct sq_conn *c = conn;
    const struct mgr_host_api *api = c->st->api;
    struct stat held, named;

    (void)key;
    if (!c->path)
        return MGR_OK;
    if (c->lock_fd < 0)
        return api->error_set(err, MGR_ELOCKED,
                              "the migration lock of '%s' is not held by "
                              "this connection",
                              c->path);
    if (fstat(c->lock_fd, &held) != 0 || lstat(c->lock_path, &named) != 0 ||
        held.st_dev != named.st_dev || held.st_ino != named.st_ino)
        return api->error_set(err, MGR_ELOCKED,
                              "the migration lock was lost: '%s' was "
                              "removed or replaced while held; check "
                              "that no other run changed '%s'",
                              c->lock_path, c->path);
    return MGR_OK;
}

int sq_unlock(void *conn, const char *key, struct mgr_error *err)
{
    struct sq_conn *c = conn;
    int rc = sq_lock_check(conn, key, err);

    if (c->path && c->lock_fd >= 0)
        sq_lock_release(c);
    return rc;
}
