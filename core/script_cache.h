/*
 * script_cache.h: the scripts of one command, each read once.
 *
 * A run used to open a script up to four times: its header, the
 * pre-flight check of its section, its checksum, and the section again
 * to run it. Besides the cost, the checksum and the statements could
 * come from two different versions of a file edited meanwhile. Through
 * the cache, the pre-flight check, the checksum recorded in migrator_log
 * and the statements that run all come from the same bytes, read on
 * first use (format plugins reach it through the host API's
 * script_text), and the headers that made the revision graph come from
 * them too. A scan of the version locations starts it afresh. A run on a
 * database (runner_open) starts it afresh as well, so that a project an
 * application keeps open sees later edits, unless the scan asked to hand
 * its texts to the run: one command of the CLI, which reads each script
 * once from its header to its last statement.
 */
#ifndef MGR_CORE_SCRIPT_CACHE_H
#define MGR_CORE_SCRIPT_CACHE_H

#include <stddef.h>

#include <migrator/migrator.h>

#include "checksum.h"

struct script_cache;

struct script_cache *script_cache_new(void);
void script_cache_free(struct script_cache *c);

/* Forget every text: read the files again. c may be NULL. */
void script_cache_clear(struct script_cache *c);

/* The texts read so far serve the next run, which would forget them
 * otherwise (one command: the scan, then its run). c may be NULL. */
void script_cache_hand_to_run(struct script_cache *c);

/* A run begins: keep the texts handed to it, else forget them all. c may
 * be NULL. */
void script_cache_begin_run(struct script_cache *c);

/*
 * The text of the file at path as first read: *text_out (NUL-terminated,
 * valid until the cache is freed) and *len_out. MGR_EIO naming the file.
 */
int script_cache_text(struct script_cache *c, const char *path,
                      const char **text_out, size_t *len_out,
                      struct mgr_error *err);

/* The checksum (checksum.h) of that same text; with c NULL, of the file
 * as it is now. */
int script_cache_checksum(struct script_cache *c, const char *path,
                          char out[CHECKSUM_SIZE], struct mgr_error *err);

#endif
