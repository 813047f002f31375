/* strmap.c: string-keyed hash table. */
#include "autoconfig.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "util.h"

/* FNV-1a, 64 bits. */
static uint64_t strmap_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static void strmap_grow(struct strmap *m)
{
    struct strmap_entry *old = m->slots;
    size_t oldcap = m->cap;

    m->cap = oldcap ? 2 * oldcap : 16;
    m->slots = xcalloc(m->cap, sizeof(*m->slots));
    m->len = 0;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            strmap_put(m, old[i].key, old[i].value);
    free(old);
}

bool strmap_put(struct strmap *m, const char *key, size_t value)
{
    size_t i;

    if (2 * (m->len + 1) > m->cap)
        strmap_grow(m);
    i = (size_t)strmap_hash(key) & (m->cap - 1);
    while (m->slots[i].key) {
        if (strcmp(m->slots[i].key, key) == 0)
            return false;
        i = (i + 1) & (m->cap - 1);
    }
    m->slots[i].key = key;
    m->slots[i].value = value;
    m->len++;
    return true;
}

bool strmap_get(const struct strmap *m, const char *key, size_t *value_out)
{
    size_t i;

    if (!m->cap)
        return false;
    i = (size_t)strmap_hash(key) & (m->cap - 1);
    while (m->slots[i].key) {
        if (strcmp(m->slots[i].key, key) == 0) {
            *value_out = m->slots[i].value;
            return true;
        }
        i = (i + 1) & (m->cap - 1);
    }
    return false;
}

void strmap_release(struct strmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->len = 0;
}
