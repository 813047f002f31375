/* buf.c: struct mgr_buf, a growable NUL-terminated string. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/migrator.h>

#include "util.h"

char mgr_buf_empty[1];

void mgr_buf_init(struct mgr_buf *sb, size_t hint)
{
    sb->alloc = sb->len = 0;
    sb->buf = mgr_buf_empty;
    if (hint)
        mgr_buf_grow(sb, hint);
}

void mgr_buf_release(struct mgr_buf *sb)
{
    if (sb->alloc)
        free(sb->buf);
    mgr_buf_init(sb, 0);
}

void mgr_buf_reset(struct mgr_buf *sb)
{
    mgr_buf_setlen(sb, 0);
}

void mgr_buf_grow(struct mgr_buf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;

    if (need <= sb->alloc)
        return;
    if (need < 2 * sb->alloc)
        need = 2 * sb->alloc;
    if (!sb->alloc)
        sb->buf = NULL;
    sb->buf = xrealloc(sb->buf, need);
    if (!sb->alloc)
        sb->buf[0] = '\0';
    sb->alloc = need;
}

void mgr_buf_setlen(struct mgr_buf *sb, size_t len)
{
    if (!sb->alloc) /* only 0 is valid for the shared empty string */
        return;
    sb->len = len;
    sb->buf[len] = '\0';
}

void mgr_buf_add(struct mgr_buf *sb, const void *data, size_t len)
{
    if (!len)
        return;
    mgr_buf_grow(sb, len);
    memcpy(sb->buf + sb->len, data, len);
    mgr_buf_setlen(sb, sb->len + len);
}

void mgr_buf_addstr(struct mgr_buf *sb, const char *s)
{
    mgr_buf_add(sb, s, strlen(s));
}

void mgr_buf_addch(struct mgr_buf *sb, int c)
{
    char ch = (char)c;

    mgr_buf_add(sb, &ch, 1);
}

void mgr_buf_vaddf(struct mgr_buf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    mgr_buf_grow(sb, 64);
    va_copy(cp, ap);
    n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    if ((size_t)n >= sb->alloc - sb->len) {
        mgr_buf_grow(sb, (size_t)n);
        vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
    }
    mgr_buf_setlen(sb, sb->len + (size_t)n);
}

void mgr_buf_addf(struct mgr_buf *sb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    mgr_buf_vaddf(sb, fmt, ap);
    va_end(ap);
}

char *mgr_buf_detach(struct mgr_buf *sb, size_t *len_out)
{
    char *s;

    if (!sb->alloc)
        mgr_buf_grow(sb, 0);
    s = sb->buf;
    if (len_out)
        *len_out = sb->len;
    mgr_buf_init(sb, 0);
    return s;
}
