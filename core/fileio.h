/* fileio.h: whole-file reads and safe creation of new files. */
#ifndef MGR_CORE_FILEIO_H
#define MGR_CORE_FILEIO_H

#include <stdio.h>
#include <sys/types.h>

#include <migrator/migrator.h>

/* Append the whole file at path to out. MGR_EIO naming the file. */
int file_read_all(const char *path, struct mgr_buf *out,
                  struct mgr_error *err);

/* file_read_all of name, relative to the directory open as dirfd
 * (AT_FDCWD: the current one); errors name path. */
int file_read_all_at(int dirfd, const char *name, const char *path,
                     struct mgr_buf *out, struct mgr_error *err);

/*
 * Create path with O_CREAT|O_EXCL|O_NOFOLLOW (mode minus umask) and write
 * data. An existing file or link is never overwritten (MGR_EEXIST); on a
 * failed write the partial file is removed.
 */
int file_create_exclusive(const char *path, const void *data, size_t len,
                          mode_t mode, struct mgr_error *err);

/* Write data to path, replacing what is there (through a temporary file
 * renamed over it). MGR_EIO naming the file. */
int file_replace(const char *path, const void *data, size_t len, mode_t mode,
                 struct mgr_error *err);

/*
 * fopen(path, "r") that does not wait: a FIFO with no writer, or a
 * device, opens at once (O_NONBLOCK), so that the caller can fstat() it
 * and refuse what is not a regular file before reading. NULL with errno.
 */
FILE *file_open_nonblock(const char *path);

#endif
