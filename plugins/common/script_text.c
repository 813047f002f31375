/* script_text.c: the lines of revision scripts (script_text.h). */
#include "autoconfig.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Read the file at path into a new NUL-terminated buffer. */
static int read_file(const struct mgr_host_api *api, const char *path,
                     char **out, size_t *len_out, struct mgr_error *err)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    size_t alloc = 4096, len = 0;
    char *buf = NULL;
    int rc = MGR_OK;

    if (!f)
        return plugin_fail(api, err, MGR_EIO, errno, "cannot open '%s'",
                           path);
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
        (uintmax_t)sb.st_size < SIZE_MAX / 4)
        alloc = (size_t)sb.st_size + 2; /* room to see the end at once */
    for (;;) {
        size_t n, want;

        if (!buf || len + 1 >= alloc) {
            size_t grown = buf ? 2 * alloc : alloc;
            char *p = realloc(buf, grown);

            if (!p) {
                rc = plugin_fail(api, err, MGR_ENOMEM, 0,
                                 "out of memory reading '%s'", path);
                goto out;
            }
            buf = p;
            alloc = grown;
        }
        want = alloc - len - 1;
        n = fread(buf + len, 1, want, f);
        len += n;
        if (n < want)
            break; /* the end of the file, or an error */
    }
    if (ferror(f)) {
        rc = plugin_fail(api, err, MGR_EIO, errno, "cannot read '%s'", path);
        goto out;
    }
    buf[len] = '\0';
out:
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    *out = buf;
    *len_out = len;
    return MGR_OK;
}

int script_text_get(const struct mgr_host_api *api, struct mgr_host *host,
                    const char *path, const char **text_out,
                    size_t *len_out, char **owned, struct mgr_error *err)
{
    int rc;

    *owned = NULL;
    if (MGR_API_HAS(api, script_text) && api->script_text)
        return api->script_text(host, path, text_out, len_out, err);
    rc = read_file(api, path, owned, len_out, err);
    *text_out = *owned;
    return rc;
}

int line_reader_open(struct line_reader *lr, const struct mgr_host_api *api,
                     struct mgr_host *host, const char *path,
                     struct mgr_error *err)
{
    size_t len = 0;
    int rc;

    memset(lr, 0, sizeof(*lr));
    lr->api = api;
    lr->path = path;
    rc = script_text_get(api, host, path, &lr->text, &len, &lr->owned, err);
    if (rc != MGR_OK)
        return rc;
    lr->at = lr->text;
    lr->end = lr->text + len;
    return MGR_OK;
}

int line_reader_next(struct line_reader *lr, const char **s_out,
                     size_t *len_out, bool *eof_out, struct mgr_error *err)
{
    const char *s = lr->at, *nl;
    size_t len;

    *eof_out = false;
    if (!s || s == lr->end) {
        *eof_out = true;
        return MGR_OK;
    }
    nl = memchr(s, '\n', (size_t)(lr->end - s));
    len = (size_t)((nl ? nl : lr->end) - s);
    lr->at = nl ? nl + 1 : lr->end;
    if (len && s[len - 1] == '\r')
        len--;
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
    free(lr->owned);
    memset(lr, 0, sizeof(*lr));
}
