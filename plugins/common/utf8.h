/*
 * utf8.h: checking UTF-8 in text that plugins write out (reports, script
 * headers). Compiled into each plugin that needs it: plugins never link
 * against the core.
 */
#ifndef MGR_PLUGINS_UTF8_H
#define MGR_PLUGINS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The replacement character U+FFFD, as UTF-8. */
#define UTF8_REPLACEMENT "\xef\xbf\xbd"

/*
 * The length (1 to 4) of the well-formed UTF-8 sequence at s (len bytes
 * available), storing its code point in *cp_out; 0 when s does not start
 * with one: a stray continuation byte, a truncated sequence, an overlong
 * form, a surrogate or a code point above U+10FFFF.
 */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp_out);

#endif
