/*
 * sqlite_lock.c: the migration lock of a SQLite database (reliability
 * R2). SQLite has no advisory locks, so the run holds a write lock on a
 * file next to the database, "<database>-migrator.lock", and writes its
 * pid into it for whoever waits.
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
#include <time.h>
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

#define LOCK_FIRST_DELAY_MS 10L
#define LOCK_MAX_DELAY_MS 250L

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Sleep ms milliseconds; -1 with errno EINTR when a signal came. */
static int sleep_ms(long ms)
{
    struct timespec ts;

    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    return nanosleep(&ts, NULL);
}

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

static void describe_holder(int fd, const char *lock_path, char *out,
                            size_t size)
{
    long pid = holder_pid(fd);

    if (pid > 0)
        snprintf(out, size, "pid %ld holds '%s'", pid, lock_path);
    else
        snprintf(out, size, "a process holds '%s'", lock_path);
}

/* The host's LOCK_WAIT: "pid 42 (lock file '...')" holds the lock. */
static void report_wait(struct sq_conn *c, int fd, const char *lock_path,
                        long elapsed, long wait_ms)
{
    char holder[512];
    long pid = holder_pid(fd);

    if (pid > 0)
        snprintf(holder, sizeof(holder), "pid %ld (lock file '%s')", pid,
                 lock_path);
    else
        snprintf(holder, sizeof(holder), "another process (lock file '%s')",
                 lock_path);
    c->st->api->lock_waiting(c->st->host, c->path, holder, elapsed,
                             wait_ms);
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

int sq_lock(void *conn, const char *key, long wait_ms,
            struct mgr_error *err)
{
    struct sq_conn *c = conn;
    const struct mgr_host_api *api = c->st->api;
    size_t plen, slen = strlen(SQ_LOCK_SUFFIX);
    long start, elapsed, delay = LOCK_FIRST_DELAY_MS, nap;
    char *lock_path, holder[1200];
    int fd, logged = 0, rc;

    (void)key; /* one lock per database file, whatever the table */
    if (wait_ms < 0)
        wait_ms = 0;
    /* R2: a writer outside migrator makes us wait as long as a run
     * would. */
    sqlite3_busy_timeout(c->db, wait_ms > 0x7fffffffL ? 0x7fffffff
                                                      : (int)wait_ms);
    c->busy_ms = wait_ms;
    if (!c->path || c->lock_fd >= 0)
        return MGR_OK;
    plen = strlen(c->path);
    lock_path = api->alloc(plen + slen + 1);
    memcpy(lock_path, c->path, plen);
    memcpy(lock_path + plen, SQ_LOCK_SUFFIX, slen + 1);
    fd = open(lock_path, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        int e = errno;

        rc = api->error_set(err, MGR_EIO,
                            "cannot open the lock file '%s': %s", lock_path,
                            strerror(e));
        if (err)
            err->sys_errno = e;
        api->free(lock_path);
        return rc;
    }
    start = now_ms();
    while (set_lock(fd, F_WRLCK) != 0) {
        if (errno != EACCES && errno != EAGAIN && errno != EINTR) {
            int e = errno;

            rc = api->error_set(err, MGR_EIO, "cannot lock '%s': %s",
                                lock_path, strerror(e));
            if (err)
                err->sys_errno = e;
            goto fail;
        }
        elapsed = now_ms() - start;
        if (elapsed >= wait_ms) {
            describe_holder(fd, lock_path, holder, sizeof(holder));
            rc = api->error_set(err, MGR_ELOCKED,
                                "database '%s' is being migrated by another "
                                "process (%s); waited %gs; wait for that "
                                "run to end or raise lock_wait",
                                c->path, holder, (double)wait_ms / 1000.0);
            goto fail;
        }
        if (!logged) {
            describe_holder(fd, lock_path, holder, sizeof(holder));
            if (MGR_API_HAS(api, lock_waiting) && api->lock_waiting)
                report_wait(c, fd, lock_path, elapsed, wait_ms);
            else
                api->log(c->st->host, MGR_LOG_INFO,
                         "waiting up to %gs for the migration lock of '%s' "
                         "(%s)",
                         (double)wait_ms / 1000.0, c->path, holder);
            logged = 1;
        }
        nap = delay < wait_ms - elapsed ? delay : wait_ms - elapsed;
        if (sleep_ms(nap) != 0 && errno == EINTR) {
            rc = api->error_set(err, MGR_EINTR,
                                "interrupted while waiting for the "
                                "migration lock of '%s'",
                                c->path);
            goto fail;
        }
        delay *= 2;
        if (delay > LOCK_MAX_DELAY_MS)
            delay = LOCK_MAX_DELAY_MS;
    }
    c->lock_fd = fd;
    c->lock_path = lock_path;
    write_pid(c);
    return MGR_OK;

fail:
    close(fd);
    api->free(lock_path);
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
