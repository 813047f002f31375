/* checksum.c: normalised SHA-256 of scripts. */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "checksum.h"
#include "fileio.h"
#include "sha256.h"

void checksum_text(const char *text, size_t len, char out[CHECKSUM_SIZE])
{
    struct sha256 c;
    char hex[65];
    size_t start = 0;

    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        start = 3;
    sha256_init(&c);
    for (size_t i = start; i < len; i++) {
        /* Feed runs between the '\r' of "\r\n" pairs. */
        if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') {
            sha256_update(&c, text + start, i - start);
            start = i + 1;
        }
    }
    sha256_update(&c, text + start, len - start);
    sha256_final_hex(&c, hex);
    memcpy(out, "sha256:", 7);
    memcpy(out + 7, hex, 65);
}

int checksum_file(const char *path, char out[CHECKSUM_SIZE],
                  struct mgr_error *err)
{
    struct mgr_buf text = MGR_BUF_INIT;
    int rc = file_read_all(path, &text, err);

    if (rc == MGR_OK)
        checksum_text(text.buf, text.len, out);
    mgr_buf_release(&text);
    return rc;
}

/* Whether s is exactly 64 hex digits. */
static bool is_hex64(const char *s)
{
    size_t n = 0;

    for (; s[n]; n++)
        if (!strchr("0123456789abcdefABCDEF", s[n]))
            return false;
    return n == 64;
}

static void checksum_raw(const char *text, size_t len, char hex[65])
{
    struct sha256 c;

    sha256_init(&c);
    sha256_update(&c, text, len);
    sha256_final_hex(&c, hex);
}

static int unknown(const char *recorded, struct mgr_error *err)
{
    const char *colon = strchr(recorded, ':');

    if (colon)
        return mgr_error_set(err, MGR_EINTEGRITY,
                             "unknown checksum algorithm '%.*s' recorded "
                             "('%s'); migrator checks sha256:, sha256-raw: "
                             "and 64 bare hex digits",
                             (int)(colon - recorded), recorded, recorded);
    return mgr_error_set(err, MGR_EINTEGRITY,
                         "unrecognised checksum '%s' recorded: neither "
                         "64 hex digits nor ALGORITHM:HEX",
                         recorded);
}

int checksum_matches(const char *text, size_t len, const char *recorded,
                     bool *match_out, char computed_out[CHECKSUM_ANY_SIZE],
                     struct mgr_error *err)
{
    static const char raw[] = "sha256-raw:", normal[] = "sha256:";
    const char *want = recorded;
    char sum[CHECKSUM_SIZE], hex[65];
    bool is_raw = false;

    *match_out = false;
    computed_out[0] = '\0';
    if (strncmp(recorded, raw, sizeof(raw) - 1) == 0) {
        want = recorded + sizeof(raw) - 1;
        is_raw = true;
    } else if (strncmp(recorded, normal, sizeof(normal) - 1) == 0) {
        want = recorded + sizeof(normal) - 1;
    }
    if (want != recorded && !is_hex64(want))
        return mgr_error_set(err, MGR_EINTEGRITY,
                             "malformed checksum '%s' recorded: 64 hex "
                             "digits must follow its prefix",
                             recorded);
    if (!is_hex64(want))
        return unknown(recorded, err);
    if (is_raw) {
        checksum_raw(text, len, hex);
        snprintf(computed_out, CHECKSUM_ANY_SIZE, "%s%s", raw, hex);
    } else {
        checksum_text(text, len, sum);
        memcpy(hex, sum + 7, sizeof(hex));
        snprintf(computed_out, CHECKSUM_ANY_SIZE, "%s%s",
                 want == recorded ? "" : normal, hex);
    }
    *match_out = strcasecmp(hex, want) == 0;
    return MGR_OK;
}
