/*
 * header_keys.h: the header of a revision script, whatever its comment
 * syntax. A format plugin strips its comment markers and hands each line's
 * text to header_keys_line(), which reports the fields through
 * api->meta_add:
 *
 *     add property financial metrics      <- the message: the first text
 *                                            that is not a key
 *     A longer description, any number    <- description (doc) lines, up
 *     of lines; an empty one separates      to the first key
 *     paragraphs.
 *
 *     Revision ID: 3f2a9c1b7d10           <- keys, in any case; a run of
 *     Revises: 9b1c0d2e4f56                  blanks matches the space in
 *                                            a key's name
 *
 * The keys are Revision ID, Revises, Create Date, Branch Labels and
 * Depends On. After the first key, lines that are not keys are ignored.
 */
#ifndef MGR_PLUGINS_HEADER_KEYS_H
#define MGR_PLUGINS_HEADER_KEYS_H

#include <stddef.h>

#include <migrator/plugin.h>

/* Where in the header the next line falls. */
enum header_keys_part {
    HEADER_BEFORE_MESSAGE,
    HEADER_DESCRIPTION,
    HEADER_KEYS,
};

struct header_keys {
    const struct mgr_host_api *api;
    struct mgr_script_meta *meta;
    enum header_keys_part part;
};

/* Start reading a header whose fields go to meta. */
void header_keys_init(struct header_keys *hk,
                      const struct mgr_host_api *api,
                      struct mgr_script_meta *meta);

/*
 * One line of the header: its text (len bytes, without comment markers;
 * blanks at either end do not count) from line of the script. Returns
 * MGR_OK or what api->meta_add returned.
 */
int header_keys_line(struct header_keys *hk, const char *text, size_t len,
                     int line, struct mgr_error *err);

#endif
