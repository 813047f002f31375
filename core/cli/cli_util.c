/* cli_util.c: allocation that cannot fail, for the CLI. */
#include "autoconfig.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_util.h"

void *cli_reallocarray(void *p, size_t n, size_t size)
{
    void *q = NULL;

    if (!size || n <= SIZE_MAX / size)
        q = realloc(p, n && size ? n * size : 1);
    if (!q) {
        fprintf(stderr,
                "migrator: fatal: out of memory allocating %zu * %zu "
                "bytes\n",
                n, size);
        abort();
    }
    return q;
}

void cli_push(const char ***v, size_t *n, const char *s)
{
    *v = cli_reallocarray(*v, *n + 1, sizeof(**v));
    (*v)[(*n)++] = s;
}
