/*
 * snapshot_codec.h: how a schema snapshot is stored in migrator_schema's
 * TEXT column: as it is when small, else deflated (zlib) and base64'd so
 * that any database's text type holds it.
 */
#ifndef MGR_CORE_SNAPSHOT_CODEC_H
#define MGR_CORE_SNAPSHOT_CODEC_H

#include <stddef.h>

#include <migrator/migrator.h>

#define SNAPSHOT_PLAIN 1    /* the text itself */
#define SNAPSHOT_DEFLATED 2 /* base64 of zlib's deflate of the text */

/* Above this many bytes a snapshot is deflated. */
#define SNAPSHOT_DEFLATE_OVER (64u * 1024u)

/* Encode text into out; returns the format (SNAPSHOT_*). */
int snapshot_encode(const char *text, size_t len, struct mgr_buf *out);

/* Decode a stored snapshot of format into out. MGR_EUSAGE when it is
 * damaged or of a format this migrator does not know. */
int snapshot_decode(int format, const char *stored, size_t len,
                    struct mgr_buf *out, struct mgr_error *err);

#endif
