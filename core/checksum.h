/*
 * checksum.h: the checksum of a script as migrator_log records it:
 * "sha256:" and the SHA-256 of the file with a UTF-8 BOM removed and CRLF
 * turned into LF, so that an editor's line endings do not count as an
 * edit (reliability R10).
 *
 * A recorded checksum is compared in the notation it was recorded in
 * (checksum_matches), so that rows written by other tools or by hand
 * count as what they are. The known notations:
 *   sha256:HEX       SHA-256 of the normalised text (what migrator writes)
 *   HEX              the same without a prefix (64 hex digits)
 *   sha256-raw:HEX   SHA-256 of the file's bytes as they are
 * Hex digits may be in either case. Anything else is not a checksum
 * migrator can check.
 */
#ifndef MGR_CORE_CHECKSUM_H
#define MGR_CORE_CHECKSUM_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/migrator.h>

#define CHECKSUM_SIZE 72     /* "sha256:" + 64 hex digits + NUL */
#define CHECKSUM_ANY_SIZE 80 /* the longest notation above + NUL */

void checksum_text(const char *text, size_t len, char out[CHECKSUM_SIZE]);
int checksum_file(const char *path, char out[CHECKSUM_SIZE],
                  struct mgr_error *err);

/*
 * Whether a script's text (len bytes) has the checksum recorded, computed
 * as recorded's notation says; computed_out gets the text's checksum in
 * that notation. MGR_EINTEGRITY, naming the prefix, for an unknown
 * algorithm or a value that is not one of the notations.
 */
int checksum_matches(const char *text, size_t len, const char *recorded,
                     bool *match_out, char computed_out[CHECKSUM_ANY_SIZE],
                     struct mgr_error *err);

#endif
