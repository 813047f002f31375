/*
 * utf8.h: the one UTF-8 decoder of migrator, for text that plugins read
 * (script headers and bodies) or write out (reports). Compiled into each
 * plugin that needs it: plugins never link against the core.
 */
#ifndef MGR_PLUGINS_UTF8_H
#define MGR_PLUGINS_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The replacement character U+FFFD, as UTF-8. */
#define UTF8_REPLACEMENT "\xef\xbf\xbd"

/*
 * The length (1 to 4) of the well-formed UTF-8 sequence at s (len bytes
 * available), storing its code point in *cp_out; 0 when s does not start
 * with one: a stray continuation byte, a truncated sequence, an overlong
 * form, a surrogate or a code point above U+10FFFF (RFC 3629).
 */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp_out);

/*
 * The offset of the first byte of s (len bytes) that does not start a
 * well-formed sequence, or len when all of s is valid. *chars_out (may be
 * NULL) gets the number of characters before that offset.
 */
size_t utf8_valid_prefix(const unsigned char *s, size_t len,
                         size_t *chars_out);

/* Whether c continues a sequence (10xxxxxx) rather than starting one. */
bool utf8_is_continuation(unsigned char c);

/*
 * How many bytes of s (len bytes of valid UTF-8) to keep to show at most
 * max of them without splitting a character: len when it fits.
 */
size_t utf8_cut(const char *s, size_t len, size_t max);

#endif
