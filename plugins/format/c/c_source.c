/*
 * c_source.c: the text a C script's module is built from. It is the text
 * the host read for this command (script_text), the same bytes whose
 * checksum migrator_log records, so what runs is what was checked: the
 * file is not opened again.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c.h"
#include "../../../core/sha256.h" /* compiled in: see local.mk */

/* The whole file at path into src->own (a host without script_text). */
static int read_file(const struct c_state *st, const char *path,
                     struct c_source *src, struct mgr_error *err)
{
    size_t alloc = 8192, len = 0, n;
    char *buf = c_xmalloc(alloc);
    FILE *f = fopen(path, "rb");

    if (!f) {
        free(buf);
        return plugin_fail(st->api, err, MGR_EIO, errno, "cannot open '%s'",
                           path);
    }
    while ((n = fread(buf + len, 1, alloc - len - 1, f)) > 0) {
        len += n;
        if (alloc - len - 1 == 0) {
            alloc *= 2;
            buf = c_xrealloc(buf, alloc);
        }
    }
    if (ferror(f)) {
        int e = errno;

        fclose(f);
        free(buf);
        return plugin_fail(st->api, err, MGR_EIO, e, "cannot read '%s'",
                           path);
    }
    fclose(f);
    buf[len] = '\0';
    src->own = buf;
    src->text = buf;
    src->len = len;
    return MGR_OK;
}

int c_source_read(const struct c_state *st, const char *path,
                  struct c_source *src, struct mgr_error *err)
{
    struct sha256 h;
    int rc;

    memset(src, 0, sizeof(*src));
    src->path = path;
    if (MGR_API_HAS(st->api, script_text) && st->api->script_text)
        rc = st->api->script_text(st->host, path, &src->text, &src->len,
                                  err);
    else
        rc = read_file(st, path, src, err);
    if (rc != MGR_OK)
        return rc;
    sha256_init(&h);
    sha256_update(&h, src->text, src->len);
    sha256_final_hex(&h, src->sha256);
    return MGR_OK;
}

void c_source_release(struct c_source *src)
{
    free(src->own);
    memset(src, 0, sizeof(*src));
}
