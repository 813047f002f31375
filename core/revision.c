/* revision.c: storage for revision metadata. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "revision.h"
#include "util.h"

struct revision *revision_list_add(struct revision_list *list)
{
    struct revision *rev;

    if (list->len == list->alloc) {
        list->alloc = list->alloc ? 2 * list->alloc : 64;
        list->items = xreallocarray(list->items, list->alloc,
                                    sizeof(*list->items));
    }
    rev = &list->items[list->len];
    memset(rev, 0, sizeof(*rev));
    rev->order = list->len++;
    return rev;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void revision_release(struct revision *rev)
{
    free(rev->id);
    free_strv(rev->down, rev->ndown);
    free_strv(rev->labels, rev->nlabels);
    free_strv(rev->depends, rev->ndepends);
    free(rev->message);
    free(rev->doc);
    free(rev->create_date);
    free(rev->path);
    memset(rev, 0, sizeof(*rev));
}

void revision_list_release(struct revision_list *list)
{
    for (size_t i = 0; i < list->len; i++)
        revision_release(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->len = list->alloc = 0;
}
