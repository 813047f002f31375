/*
 * checksum.h: the checksum of a script as migrator_log records it:
 * "sha256:" and the SHA-256 of the file with a UTF-8 BOM removed and CRLF
 * turned into LF, so that an editor's line endings do not count as an
 * edit (reliability R10).
 */
#ifndef MGR_CORE_CHECKSUM_H
#define MGR_CORE_CHECKSUM_H

#include <stddef.h>

#include <migrator/migrator.h>

#define CHECKSUM_SIZE 72 /* "sha256:" + 64 hex digits + NUL */

void checksum_text(const char *text, size_t len, char out[CHECKSUM_SIZE]);
int checksum_file(const char *path, char out[CHECKSUM_SIZE],
                  struct mgr_error *err);

#endif
