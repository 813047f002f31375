/* dburl.c: the scheme of a URL (its secrets: dburl_secret.c). */
#include "autoconfig.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dburl.h"
#include "util.h"

int dburl_scheme(const char *url, char *out, size_t size)
{
    const char *sep = strstr(url, "://");
    size_t n = 0;

    if (size == 0)
        return -1;
    out[0] = '\0';
    if (!sep) {
        /* "host=/tmp dbname=app": a key=value connection string. */
        if (!strchr(url, '='))
            return -1;
        snprintf(out, size, "%s", DBURL_CONNINFO_SCHEME);
        return 0;
    }
    /* "postgresql+psycopg2" as SQLAlchemy writes it: the driver after
     * '+' is the URL's business, not the dialect's name. */
    while (url + n < sep && url[n] != '+')
        n++;
    if (n == 0 || n >= size)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)url[i];

        if (!isalnum(c) && c != '-' && c != '.' && c != '_')
            return -1;
        out[i] = (char)tolower(c);
    }
    out[n] = '\0';
    return 0;
}
