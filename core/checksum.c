/* checksum.c: normalised SHA-256 of scripts. */
#include "autoconfig.h"

#include <string.h>

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
