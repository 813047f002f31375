/* utf8.c: UTF-8 decoding and checking (utf8.h). */
#include "utf8.h"

bool utf8_is_continuation(unsigned char c)
{
    return (c & 0xc0u) == 0x80u;
}

size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp_out)
{
    uint32_t cp, min;
    size_t n;

    if (len == 0)
        return 0;
    if (s[0] < 0x80u) {
        *cp_out = s[0];
        return 1;
    }
    if ((s[0] & 0xe0u) == 0xc0u) {
        n = 2, cp = s[0] & 0x1fu, min = 0x80u;
    } else if ((s[0] & 0xf0u) == 0xe0u) {
        n = 3, cp = s[0] & 0x0fu, min = 0x800u;
    } else if ((s[0] & 0xf8u) == 0xf0u) {
        n = 4, cp = s[0] & 0x07u, min = 0x10000u;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if (!utf8_is_continuation(s[i]))
            return 0;
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffffu || (cp >= 0xd800u && cp <= 0xdfffu))
        return 0;
    *cp_out = cp;
    return n;
}

size_t utf8_valid_prefix(const unsigned char *s, size_t len,
                         size_t *chars_out)
{
    size_t i = 0, chars = 0;
    uint32_t cp;

    while (i < len) {
        /* ASCII needs no decoding: most of any script is ASCII. */
        size_t n = s[i] < 0x80u ? 1 : utf8_decode(s + i, len - i, &cp);

        if (n == 0)
            break;
        i += n;
        chars++;
    }
    if (chars_out)
        *chars_out = chars;
    return i;
}

size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    len = max;
    while (len && utf8_is_continuation((unsigned char)s[len]))
        len--;
    return len;
}
