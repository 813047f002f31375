/* dburl.c: dialect of a URL, and URLs printed without passwords. */
#include "autoconfig.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dburl.h"
#include "util.h"

const char *dburl_dialect(const char *url)
{
    const char *sep = strstr(url, "://");
    size_t n;

    if (!sep)
        return strchr(url, '=') ? "postgresql" : NULL;
    n = (size_t)(sep - url);
    if (n == 6 && strncasecmp(url, "sqlite", 6) == 0)
        return "sqlite";
    if ((n == 10 && strncasecmp(url, "postgresql", 10) == 0) ||
        (n == 8 && strncasecmp(url, "postgres", 8) == 0))
        return "postgresql";
    /* "postgresql+psycopg2://" as SQLAlchemy writes it. */
    if (n > 11 && strncasecmp(url, "postgresql+", 11) == 0)
        return "postgresql";
    if (n > 7 && strncasecmp(url, "sqlite+", 7) == 0)
        return "sqlite";
    return NULL;
}

/* Mask "password=value" (value up to '&' or the end) in a query string. */
static void mask_query(const char *q, struct mgr_buf *out)
{
    while (*q) {
        const char *end = strchr(q, '&');
        size_t len = end ? (size_t)(end - q) : strlen(q);

        if (len >= 9 && strncasecmp(q, "password=", 9) == 0)
            mgr_buf_addstr(out, "password=****");
        else
            mgr_buf_add(out, q, len);
        q += len;
        if (*q == '&')
            mgr_buf_addch(out, *q++);
    }
}

static void mask_uri(const char *url, struct mgr_buf *out)
{
    const char *auth = strstr(url, "://") + 3;
    const char *slash = auth + strcspn(auth, "/?#");
    const char *at = NULL, *q;

    /* The last '@' before the path ends the userinfo, even when a raw
     * password holds '@' or '/'. */
    for (const char *p = auth; *p; p++)
        if (*p == '@')
            at = p;
    if (at && at > slash) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));

        if (!colon) /* a '@' in the path, not a password */
            at = NULL;
        else
            slash = at + 1 + strcspn(at + 1, "/?#");
    }
    mgr_buf_add(out, url, (size_t)(auth - url));
    if (at) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));

        if (colon) {
            mgr_buf_add(out, auth, (size_t)(colon - auth));
            mgr_buf_addstr(out, ":****");
        } else {
            mgr_buf_add(out, auth, (size_t)(at - auth));
        }
        auth = at;
    }
    q = strchr(auth, '?');
    if (q) {
        mgr_buf_add(out, auth, (size_t)(q + 1 - auth));
        mask_query(q + 1, out);
    } else {
        mgr_buf_addstr(out, auth);
    }
}

/* conninfo: key = value pairs; value quoted with '' and \ escapes. */
static void mask_conninfo(const char *s, struct mgr_buf *out)
{
    while (*s) {
        const char *key = s, *eq;
        size_t klen;
        int secret;

        while (*s && !isspace((unsigned char)*s) && *s != '=')
            s++;
        klen = (size_t)(s - key);
        mgr_buf_add(out, key, klen);
        while (isspace((unsigned char)*s))
            mgr_buf_addch(out, *s++);
        if (*s != '=') {
            if (*s)
                mgr_buf_addch(out, *s++);
            continue;
        }
        eq = s++;
        mgr_buf_addch(out, *eq);
        while (isspace((unsigned char)*s))
            mgr_buf_addch(out, *s++);
        secret = klen == 8 && strncasecmp(key, "password", 8) == 0;
        if (*s == '\'') {
            const char *v = s++;

            while (*s && *s != '\'') {
                if (*s == '\\' && s[1])
                    s++;
                s++;
            }
            if (*s == '\'')
                s++;
            if (secret)
                mgr_buf_addstr(out, "'****'");
            else
                mgr_buf_add(out, v, (size_t)(s - v));
        } else {
            const char *v = s;

            while (*s && !isspace((unsigned char)*s))
                s++;
            if (secret)
                mgr_buf_addstr(out, "****");
            else
                mgr_buf_add(out, v, (size_t)(s - v));
        }
    }
}

void dburl_mask(const char *url, struct mgr_buf *out)
{
    if (strstr(url, "://"))
        mask_uri(url, out);
    else
        mask_conninfo(url, out);
}

/* The password of url as written, or NULL. */
static char *password_of(const char *url)
{
    struct mgr_buf masked = MGR_BUF_INIT;
    size_t i = 0, j;
    char *pw = NULL;

    /* Where the masked form says ****, the original has the password:
     * compare both up to that point, and take what the original has up
     * to the character that follows **** in the masked form. */
    dburl_mask(url, &masked);
    while (url[i] && masked.buf[i] && url[i] == masked.buf[i])
        i++;
    if (strncmp(masked.buf + i, "****", 4) == 0) {
        char stop = masked.buf[i + 4];

        j = i;
        if (stop) {
            const char *end = strrchr(url + i, stop);

            /* for "user:pw@host" the '@' is the last one */
            if (stop != '@')
                end = strchr(url + i, stop);
            j = end ? (size_t)(end - url) : strlen(url);
        } else {
            j = strlen(url);
        }
        if (j > i)
            pw = xstrndup(url + i, j - i);
    }
    mgr_buf_release(&masked);
    return pw;
}

void dburl_redact(const char *url, struct mgr_buf *text)
{
    char *pw = password_of(url);
    struct mgr_buf out = MGR_BUF_INIT;
    const char *p, *hit;

    if (!pw || strlen(pw) < 2) {
        free(pw);
        return;
    }
    for (p = text->buf; (hit = strstr(p, pw)) != NULL;
         p = hit + strlen(pw)) {
        mgr_buf_add(&out, p, (size_t)(hit - p));
        mgr_buf_addstr(&out, "****");
    }
    mgr_buf_addstr(&out, p);
    mgr_buf_release(text);
    *text = out;
    free(pw);
}
