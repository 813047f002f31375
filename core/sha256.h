/* sha256.h: SHA-256 (FIPS 180-4), for the checksums of applied scripts. */
#ifndef MGR_CORE_SHA256_H
#define MGR_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t bytes;     /* message length so far */
    unsigned char block[64];
    size_t used;        /* bytes waiting in block */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* Finish and write the 64 lowercase hex digits and a NUL to hex_out. */
void sha256_final_hex(struct sha256 *c, char hex_out[65]);

#endif
