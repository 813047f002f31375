/* visible.c: text written so that a terminal obeys none of it. */
#include "autoconfig.h"

#include <string.h>

#include "utf8.h"
#include "visible.h"

bool visible_is_control(uint32_t cp)
{
    return cp < 0x20u || (cp >= 0x7fu && cp < 0xa0u) ||
           (cp >= 0x2028u && cp <= 0x202eu) ||
           (cp >= 0x2066u && cp <= 0x2069u);
}

static bool kept(uint32_t cp, unsigned keep)
{
    return (cp == '\n' && (keep & VISIBLE_KEEP_NEWLINE)) ||
           (cp == '\t' && (keep & VISIBLE_KEEP_TAB));
}

void visible_put(FILE *f, const char *s, size_t len, unsigned keep)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *run = p; /* what is fine as it is, not yet written */

    while (len) {
        uint32_t cp = *p;
        size_t n = cp < 0x80u ? 1 : utf8_decode(p, len, &cp);

        if (n && (!visible_is_control(cp) || kept(cp, keep))) {
            p += n;
            len -= n;
            continue;
        }
        fwrite(run, 1, (size_t)(p - run), f);
        if (n == 0) /* not UTF-8: a lone 0x9b is CSI to some terminals */
            fprintf(f, "\\x%02x", *p);
        else if (cp < 0x100u)
            fprintf(f, "\\x%02x", (unsigned)cp);
        else
            fprintf(f, "\\u%04x", (unsigned)cp);
        n = n ? n : 1;
        p += n;
        len -= n;
        run = p;
    }
    fwrite(run, 1, (size_t)(p - run), f);
}

void visible_puts(FILE *f, const char *s, unsigned keep)
{
    if (s)
        visible_put(f, s, strlen(s), keep);
}
