/* script_text.c: the lines of revision scripts (script_text.h). */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "script_text.h"
#include "utf8.h"

bool text_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

void text_trim(const char **s, size_t *len)
{
    while (*len && text_is_blank(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && text_is_blank((*s)[*len - 1]))
        (*len)--;
}

int script_check_line(const struct mgr_host_api *api, const char *path,
                      const char *s, size_t len, int line,
                      struct mgr_error *err)
{
    size_t chars;

    if (len && memchr(s, '\0', len))
        return plugin_fail_at(api, err, MGR_ESCRIPT, path, line,
                              "NUL byte");
    if (utf8_valid_prefix((const unsigned char *)s, len, &chars) < len)
        return plugin_fail(api, err, MGR_ESCRIPT, 0,
                           "%s:%d:%zu: invalid UTF-8", path, line,
                           chars + 1);
    return MGR_OK;
}

int line_reader_open(struct line_reader *lr, const struct mgr_host_api *api,
                     const char *path, struct mgr_error *err)
{
    memset(lr, 0, sizeof(*lr));
    lr->api = api;
    lr->path = path;
    lr->f = fopen(path, "rb");
    if (!lr->f)
        return plugin_fail(api, err, MGR_EIO, errno, "cannot open '%s'",
                           path);
    /* Headers are small: a fixed buffer also spares stdio the fstat() it
     * makes to size its own, which counts over thousands of scripts. */
    setvbuf(lr->f, lr->iobuf, _IOFBF, sizeof(lr->iobuf));
    return MGR_OK;
}

/* Room for one more byte and the NUL after len bytes. */
static int make_room(struct line_reader *lr, size_t len,
                     struct mgr_error *err)
{
    size_t want;
    char *p;

    if (len + 1 < lr->alloc)
        return MGR_OK;
    want = lr->alloc ? 2 * lr->alloc : 256;
    p = realloc(lr->buf, want);
    if (!p)
        return plugin_fail_at(lr->api, err, MGR_ENOMEM, lr->path,
                              lr->no + 1, "out of memory reading the "
                              "header");
    lr->buf = p;
    lr->alloc = want;
    return MGR_OK;
}

int line_reader_next(struct line_reader *lr, const char **s_out,
                     size_t *len_out, bool *eof_out, struct mgr_error *err)
{
    const char *s;
    size_t len = 0;
    int c = EOF, rc;

    *eof_out = false;
    while ((c = getc(lr->f)) != EOF && c != '\n') {
        rc = make_room(lr, len, err);
        if (rc != MGR_OK)
            return rc;
        lr->buf[len++] = (char)c;
    }
    if (c == EOF && ferror(lr->f))
        return plugin_fail(lr->api, err, MGR_EIO, errno,
                           "cannot read '%s'", lr->path);
    if (c == EOF && len == 0) {
        *eof_out = true;
        return MGR_OK;
    }
    if (len && lr->buf[len - 1] == '\r')
        len--;
    s = len ? lr->buf : "";
    if (++lr->no == 1 && len >= SCRIPT_BOM_LEN &&
        memcmp(s, SCRIPT_BOM, SCRIPT_BOM_LEN) == 0) {
        s += SCRIPT_BOM_LEN;
        len -= SCRIPT_BOM_LEN;
    }
    *s_out = s;
    *len_out = len;
    return script_check_line(lr->api, lr->path, s, len, lr->no, err);
}

void line_reader_close(struct line_reader *lr)
{
    if (lr->f)
        fclose(lr->f);
    free(lr->buf);
    lr->f = NULL;
    lr->buf = NULL;
    lr->alloc = 0;
}
