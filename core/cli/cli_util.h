/*
 * cli_util.h: what the CLI's own code needs that the public library does
 * not offer: allocation that cannot fail and a list of strings that
 * grows.
 */
#ifndef MGR_CLI_UTIL_H
#define MGR_CLI_UTIL_H

#include <stddef.h>

/* realloc(p, n * size), exiting on overflow or when memory runs out. */
void *cli_reallocarray(void *p, size_t n, size_t size);

/* Append s (borrowed) to the array *v of *n entries. */
void cli_push(const char ***v, size_t *n, const char *s);

#endif
