/*
 * skel.h: what the files of the skel dialect share.
 *
 * skel is a skeleton of a migrator dialect plugin. It keeps each database
 * in one file and stands its storage on SQLite, which plays the part of
 * "the client library of your database". The places a team replaces with
 * calls into its own client library are marked YOUR DATABASE.
 */
#ifndef SKEL_H
#define SKEL_H

#include <stddef.h>

#include <migrator/plugin.h>

/* try_lock came with ABI 1.1; another major is another ABI. */
#if MGR_ABI_MAJOR != 1 || MGR_ABI_MINOR < 1
#error "skel needs the migrator plugin ABI 1.1 or a later 1.x"
#endif

/* YOUR DATABASE: the client library's connection handle. */
#include <sqlite3.h>

/* One per loaded plugin: what init was given. */
struct skel_state {
    const struct mgr_host_api *api; /* upcalls into migrator */
    struct mgr_host *host;          /* names this plugin in log lines */
};

/* One per connection (mgr_dialect_ops.connect). */
struct skel_conn {
    struct skel_state *st;
    sqlite3 *db;     /* YOUR DATABASE: the client library's handle */
    char *lock_path; /* the side file that carries the migration lock */
    int lock_fd;     /* open while this connection holds the lock, or -1 */
};

/* skel_split.c */
int skel_split(void *state, const char *text, size_t len, int first_line,
               int (*emit)(void *ctx, const char *stmt, size_t len, int line,
                           struct mgr_error *err),
               void *ctx, struct mgr_error *err);

/* skel_lock.c */
int skel_try_lock(void *conn, const char *key, long wait_ms,
                  int *got_out, struct mgr_buf *holder,
                  struct mgr_error *err);
int skel_lock_check(void *conn, const char *key, struct mgr_error *err);
int skel_unlock(void *conn, const char *key, struct mgr_error *err);
/* Release the lock if this connection holds it (closing the connection). */
void skel_lock_drop(struct skel_conn *c);

#endif
