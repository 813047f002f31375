/*
 * skel_lock.c: the migration lock of the skel dialect, an flock(2) on a
 * side file next to the database: "<database file>.lock".
 *
 * migrator owns the wait. It calls try_lock, which makes one attempt and
 * never blocks, again with backoff until lock_wait runs out, reports who
 * holds the lock meanwhile, and stops on SIGINT and SIGTERM. So skel sets
 * try_lock and leaves lock NULL.
 *
 * An flock belongs to the open file, so the kernel releases it when the
 * process that holds it exits, however it exits. One lock covers the
 * whole database file, whatever the key (migrator derives the key from
 * the version table's name).
 *
 * YOUR DATABASE: a server usually has a lock of its own that a session
 * can try without waiting (PostgreSQL: pg_try_advisory_lock). Use it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "skel.h"

/* Append the first line of the lock file (its holder's note) to out. */
static void read_holder(struct skel_conn *c, int fd, struct mgr_buf *out)
{
    char text[128];
    ssize_t n = pread(fd, text, sizeof(text) - 1, 0);

    if (!out || n <= 0)
        return;
    text[n] = '\0';
    text[strcspn(text, "\n")] = '\0';
    c->st->api->buf_add(out, text, strlen(text));
}

/* Leave a note for whoever finds the lock taken. Only a courtesy: a
 * failure to write it is no failure to lock. */
static void write_holder(int fd)
{
    char text[64];
    int n = snprintf(text, sizeof(text), "pid %ld\n", (long)getpid());
    ssize_t written = -1;

    if (ftruncate(fd, 0) == 0)
        written = pwrite(fd, text, (size_t)n, 0);
    (void)written;
}

int skel_try_lock(void *conn, const char *key, long wait_ms,
                  int *got_out, struct mgr_buf *holder,
                  struct mgr_error *err)
{
    struct skel_conn *c = conn;
    const struct mgr_host_api *api = c->st->api;
    int fd, e;

    (void)key;
    /* How long the host will poll in all (lock_wait). A database whose
     * statements wait for other writers (SQLite's busy timeout) can use
     * it as that wait; this skeleton keeps its fixed one. */
    (void)wait_ms;
    *got_out = 0;
    if (c->lock_fd >= 0) { /* held already */
        *got_out = 1;
        return MGR_OK;
    }
    fd = open(c->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return api->error_set(err, MGR_EIO, "cannot open lock file '%s': %s",
                              c->lock_path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        e = errno;
        if (e == EWOULDBLOCK)
            read_holder(c, fd, holder); /* someone else has it */
        close(fd);
        if (e == EWOULDBLOCK)
            return MGR_OK;
        return api->error_set(err, MGR_EIO, "cannot lock '%s': %s",
                              c->lock_path, strerror(e));
    }
    write_holder(fd);
    c->lock_fd = fd;
    *got_out = 1;
    return MGR_OK;
}

/*
 * Whether the lock is still ours. The flock cannot be taken from us, but
 * the file can be removed or replaced, and then the next run locks a new
 * file while we run.
 */
int skel_lock_check(void *conn, const char *key, struct mgr_error *err)
{
    struct skel_conn *c = conn;
    struct stat held, now;

    (void)key;
    if (c->lock_fd < 0)
        return c->st->api->error_set(err, MGR_ELOCKED,
                                     "the migration lock is not held");
    if (fstat(c->lock_fd, &held) != 0 || stat(c->lock_path, &now) != 0 ||
        held.st_dev != now.st_dev || held.st_ino != now.st_ino)
        return c->st->api->error_set(err, MGR_ELOCKED,
                                     "lost the migration lock: lock file "
                                     "'%s' was removed or replaced",
                                     c->lock_path);
    return MGR_OK;
}

void skel_lock_drop(struct skel_conn *c)
{
    /* Closing the file releases the flock. The file stays: removing it
     * would let a waiting run lock a file that the next one no longer
     * sees. */
    if (c->lock_fd >= 0)
        close(c->lock_fd);
    c->lock_fd = -1;
}

int skel_unlock(void *conn, const char *key, struct mgr_error *err)
{
    struct skel_conn *c = conn;
    int rc = MGR_OK;

    if (c->lock_fd >= 0)
        rc = skel_lock_check(conn, key, err); /* report a lost lock */
    skel_lock_drop(c);
    return rc;
}
