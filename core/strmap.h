/*
 * strmap.h: a hash table from strings to size_t values (open addressing,
 * linear probing). Keys are borrowed: they must outlive the table.
 */
#ifndef MGR_CORE_STRMAP_H
#define MGR_CORE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap_entry {
    const char *key; /* NULL: empty slot */
    size_t value;
};

struct strmap {
    struct strmap_entry *slots;
    size_t cap; /* a power of two, or 0 */
    size_t len;
};

#define STRMAP_INIT { NULL, 0, 0 }

/* Insert key; if it is present already, leave it and return false. */
bool strmap_put(struct strmap *m, const char *key, size_t value);
/* Look key up; true and *value_out set if present. */
bool strmap_get(const struct strmap *m, const char *key, size_t *value_out);
void strmap_release(struct strmap *m);

#endif
