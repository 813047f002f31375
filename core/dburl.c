/* dburl.c: the scheme of a URL, and URLs printed without passwords. */
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
        const char *key, *eq;
        size_t klen;
        int secret;

        while (isspace((unsigned char)*s))
            mgr_buf_addch(out, *s++);
        key = s;
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

/* Replace every occurrence of secret (when 2 bytes or longer) in text. */
static void replace_all(struct mgr_buf *text, const char *secret, size_t n)
{
    struct mgr_buf out = MGR_BUF_INIT;
    const char *p, *hit;
    char *needle;

    if (n < 2)
        return;
    needle = xstrndup(secret, n);
    for (p = text->buf; (hit = strstr(p, needle)) != NULL; p = hit + n) {
        mgr_buf_add(&out, p, (size_t)(hit - p));
        mgr_buf_addstr(&out, "****");
    }
    mgr_buf_addstr(&out, p);
    mgr_buf_release(text);
    *text = out;
    free(needle);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Redact s[0..n) and, if it holds %XX escapes, its decoded form too. */
static void redact_both(struct mgr_buf *text, const char *s, size_t n)
{
    struct mgr_buf decoded = MGR_BUF_INIT;

    replace_all(text, s, n);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n + 1 && hexval(s[i + 1]) >= 0 &&
            hexval(s[i + 2]) >= 0) {
            mgr_buf_addch(&decoded, hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            mgr_buf_addch(&decoded, s[i]);
        }
    }
    if (decoded.len != n)
        replace_all(text, decoded.buf, decoded.len);
    mgr_buf_release(&decoded);
}

/*
 * Every way the password of url may have been quoted back by a library:
 * a URL's userinfo password read up to the last '@' (as we do) or up to
 * the first one (as libpq does), escaped or decoded; a conninfo password
 * value, quoted or not.
 */
void dburl_redact(const char *url, struct mgr_buf *text)
{
    const char *auth = strstr(url, "://");

    if (auth) {
        const char *colon, *first_at, *last_at = NULL;

        auth += 3;
        colon = strchr(auth, ':');
        first_at = strchr(auth, '@');
        for (const char *p = auth; *p; p++)
            if (*p == '@')
                last_at = p;
        if (colon && first_at && colon < first_at) {
            redact_both(text, colon + 1, (size_t)(last_at - colon - 1));
            redact_both(text, colon + 1, (size_t)(first_at - colon - 1));
        }
    }
    /* "password=" in a query string or a conninfo, quoted or not. */
    for (const char *p = url; (p = strstr(p, "password")) != NULL; p++) {
        const char *v = p + 8, *end;

        while (isspace((unsigned char)*v))
            v++;
        if (*v != '=')
            continue;
        v++;
        while (isspace((unsigned char)*v))
            v++;
        if (*v == '\'') {
            v++;
            end = strchr(v, '\'');
            if (!end)
                end = v + strlen(v);
        } else {
            end = v + strcspn(v, "& \t");
        }
        redact_both(text, v, (size_t)(end - v));
    }
}
