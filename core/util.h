/*
 * util.h: allocation wrappers that never return NULL (they abort on
 * exhaustion, as git's xmalloc does) and small string helpers.
 */
#ifndef MGR_CORE_UTIL_H
#define MGR_CORE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

bool str_has_prefix(const char *s, const char *prefix);
bool str_has_suffix(const char *s, const char *suffix);

#endif
