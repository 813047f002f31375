/*
 * sqlite_arena.c: memory that lives as long as one introspection or one
 * parse of CREATE text, given back all at once. The objects reported to
 * the host point into many small strings (names, column lists, parsed
 * clauses); freeing them one by one would be most of the code.
 */
#include "autoconfig.h"

#include <stddef.h>
#include <string.h>

#include "sqlite.h"

/* One allocation, chained; the union keeps what follows aligned. */
struct sq_arena_block {
    union {
        struct sq_arena_block *next;
        max_align_t align;
    } u;
};

void sq_arena_init(struct sq_arena *a, const struct mgr_host_api *api)
{
    a->api = api;
    a->blocks = NULL;
}

void *sq_arena_alloc(struct sq_arena *a, size_t n)
{
    struct sq_arena_block *b = a->api->alloc(sizeof(*b) + n);

    b->u.next = a->blocks;
    a->blocks = b;
    memset(b + 1, 0, n);
    return b + 1;
}

char *sq_arena_strndup(struct sq_arena *a, const char *s, size_t n)
{
    char *p = sq_arena_alloc(a, n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sq_arena_strdup(struct sq_arena *a, const char *s)
{
    return s ? sq_arena_strndup(a, s, strlen(s)) : NULL;
}

void sq_arena_release(struct sq_arena *a)
{
    while (a->blocks) {
        struct sq_arena_block *next = a->blocks->u.next;

        a->api->free(a->blocks);
        a->blocks = next;
    }
}

void sq_ptrs_push(struct sq_arena *a, struct sq_ptrs *p, void *item)
{
    if (p->n == p->alloc) {
        size_t alloc = p->alloc ? 2 * p->alloc : 8;
        void **v = sq_arena_alloc(a, alloc * sizeof(*v));

        /* The old array stays in the arena: at most as much again. */
        if (p->n)
            memcpy(v, p->v, p->n * sizeof(*v));
        p->v = v;
        p->alloc = alloc;
    }
    p->v[p->n++] = item;
}
