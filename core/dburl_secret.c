/*
 * dburl_secret.c: the secrets of a database URL or conninfo string, as
 * libpq reads them, masked for output (dburl_mask) and removed from text
 * that may quote them (dburl_redact).
 *
 * What counts is what libpq reads, not how the key is spelled: URL query
 * keys are percent-decoded before they are compared ("pass%77ord=" is a
 * password), conninfo values may be quoted or carry backslash escapes,
 * and every option libpq marks secret (dispchar "*" in PQconndefaults())
 * is masked, not only "password".
 */
#include "autoconfig.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dburl.h"
#include "util.h"

/* libpq's secret options (dispchar "*"): password, sslpassword, and
 * oauth_client_secret from PostgreSQL 18. */
static const char *const secret_keys[] = {
    "password", "sslpassword", "oauth_client_secret",
};

/* How the text of a secret is decoded by libpq. */
enum secret_form {
    FORM_PERCENT,  /* a URL query value: %XX escapes */
    FORM_USERINFO, /* user:SECRET@: %XX escapes, and libpq ends it at the
                      first '@' where we end it at the last */
    FORM_CONNINFO, /* a conninfo value: backslash escapes */
};

/* A piece of the URL: text as written, or a secret value. */
struct part {
    const char *s;
    size_t n;
    bool secret;
    enum secret_form form;
};

typedef void (*part_fn)(void *ctx, const struct part *p);

static void emit(part_fn fn, void *ctx, const char *s, size_t n,
                 bool secret, enum secret_form form)
{
    struct part p = { s, n, secret, form };

    if (n || secret)
        fn(ctx, &p);
}

static void text(part_fn fn, void *ctx, const char *s, size_t n)
{
    emit(fn, ctx, s, n, false, FORM_PERCENT);
}

bool dburl_is_secret_key(const char *key, size_t len)
{
    for (size_t i = 0; i < sizeof(secret_keys) / sizeof(*secret_keys); i++)
        if (strlen(secret_keys[i]) == len &&
            strncasecmp(key, secret_keys[i], len) == 0)
            return true;
    return false;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* s[0..n) with its %XX escapes decoded, appended to out. */
static void percent_decode(const char *s, size_t n, struct mgr_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n + 1 && hexval(s[i + 1]) >= 0 &&
            hexval(s[i + 2]) >= 0) {
            mgr_buf_addch(out, hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            mgr_buf_addch(out, s[i]);
        }
    }
}

/* s[0..n) with its backslash escapes removed, appended to out. */
static void unescape(const char *s, size_t n, struct mgr_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n)
            i++;
        mgr_buf_addch(out, s[i]);
    }
}

/* One "key=value" of a query string: the value is secret when the key,
 * percent-decoded as libpq decodes it, names a secret option. */
static void query_param(const char *q, size_t len, part_fn fn, void *ctx)
{
    const char *eq = memchr(q, '=', len);
    struct mgr_buf key = MGR_BUF_INIT;
    bool secret;

    if (!eq) {
        text(fn, ctx, q, len);
        return;
    }
    percent_decode(q, (size_t)(eq - q), &key);
    secret = dburl_is_secret_key(key.buf, key.len);
    mgr_buf_release(&key);
    if (!secret) {
        text(fn, ctx, q, len);
        return;
    }
    text(fn, ctx, q, (size_t)(eq + 1 - q));
    emit(fn, ctx, eq + 1, len - (size_t)(eq + 1 - q), true, FORM_PERCENT);
}

static void walk_query(const char *q, part_fn fn, void *ctx)
{
    while (*q) {
        size_t len = strcspn(q, "&");

        query_param(q, len, fn, ctx);
        q += len;
        if (*q == '&')
            text(fn, ctx, q++, 1);
    }
}

/*
 * The '@' that ends the userinfo of a URL whose authority starts at
 * auth, or NULL. The last '@' before the path, or past it when a ':'
 * comes first: a raw '@' or '/' in a password must not cut it short
 * (libpq reads up to the first '@'; dburl_redact covers both).
 */
static const char *userinfo_end(const char *auth)
{
    const char *slash = auth + strcspn(auth, "/?#");
    const char *at = strrchr(auth, '@');

    if (at && at > slash && !memchr(auth, ':', (size_t)(at - auth)))
        return NULL; /* a '@' in the path, not a password */
    return at;
}

static void walk_uri(const char *url, part_fn fn, void *ctx)
{
    const char *auth = strstr(url, "://") + 3;
    const char *at = userinfo_end(auth), *q;

    text(fn, ctx, url, (size_t)(auth - url));
    if (at) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));

        if (colon) {
            text(fn, ctx, auth, (size_t)(colon + 1 - auth));
            emit(fn, ctx, colon + 1, (size_t)(at - colon - 1), true,
                 FORM_USERINFO);
        } else {
            text(fn, ctx, auth, (size_t)(at - auth));
        }
        auth = at;
    }
    q = strchr(auth, '?');
    if (!q) {
        text(fn, ctx, auth, strlen(auth));
        return;
    }
    text(fn, ctx, auth, (size_t)(q + 1 - auth));
    walk_query(q + 1, fn, ctx);
}

static const char *skip_space(const char *s, part_fn fn, void *ctx)
{
    const char *start = s;

    while (isspace((unsigned char)*s))
        s++;
    text(fn, ctx, start, (size_t)(s - start));
    return s;
}

/* A conninfo value at s, as libpq reads it: quoted ('...' with
 * backslash escapes) or up to unescaped white space. */
static const char *conninfo_value(const char *s, bool secret, part_fn fn,
                                  void *ctx)
{
    bool quoted = *s == '\'';
    const char *v = s + quoted;

    s = v;
    while (*s && (quoted ? *s != '\'' : !isspace((unsigned char)*s))) {
        if (*s == '\\' && s[1])
            s++;
        s++;
    }
    if (quoted)
        text(fn, ctx, v - 1, 1);
    emit(fn, ctx, v, (size_t)(s - v), secret, FORM_CONNINFO);
    if (quoted && *s == '\'')
        text(fn, ctx, s++, 1);
    return s;
}

/* conninfo: key = value pairs, any white space around '='. */
static void walk_conninfo(const char *s, part_fn fn, void *ctx)
{
    while (*s) {
        const char *key;
        size_t klen;

        s = skip_space(s, fn, ctx);
        key = s;
        while (*s && !isspace((unsigned char)*s) && *s != '=')
            s++;
        klen = (size_t)(s - key);
        text(fn, ctx, key, klen);
        s = skip_space(s, fn, ctx);
        if (*s != '=') {
            if (*s)
                text(fn, ctx, s++, 1);
            continue;
        }
        text(fn, ctx, s++, 1);
        s = skip_space(s, fn, ctx);
        s = conninfo_value(s, dburl_is_secret_key(key, klen), fn, ctx);
    }
}

static void walk(const char *url, part_fn fn, void *ctx)
{
    if (strstr(url, "://"))
        walk_uri(url, fn, ctx);
    else
        walk_conninfo(url, fn, ctx);
}

/* ---- masking ------------------------------------------------------- */

static void mask_part(void *ctx, const struct part *p)
{
    struct mgr_buf *out = ctx;

    if (p->secret)
        mgr_buf_addstr(out, "****");
    else
        mgr_buf_add(out, p->s, p->n);
}

void dburl_mask(const char *url, struct mgr_buf *out)
{
    walk(url, mask_part, out);
}

static void has_part(void *ctx, const struct part *p)
{
    if (p->secret && p->n)
        *(bool *)ctx = true;
}

bool dburl_has_secret(const char *url)
{
    bool found = false;

    walk(url, has_part, &found);
    return found;
}

/* ---- redaction ----------------------------------------------------- */

/* Replace every occurrence of secret (when 2 bytes or longer) in text. */
static void replace_all(struct mgr_buf *text_buf, const char *secret,
                        size_t n)
{
    struct mgr_buf out = MGR_BUF_INIT;
    const char *p, *hit;
    char *needle;

    if (n < 2)
        return;
    needle = xstrndup(secret, n);
    if (!strstr(text_buf->buf, needle)) {
        free(needle);
        return;
    }
    for (p = text_buf->buf; (hit = strstr(p, needle)) != NULL; p = hit + n) {
        mgr_buf_add(&out, p, (size_t)(hit - p));
        mgr_buf_addstr(&out, "****");
    }
    mgr_buf_addstr(&out, p);
    mgr_buf_release(text_buf);
    *text_buf = out;
    free(needle);
}

/* Redact s[0..n) as written and as libpq decodes it. */
static void redact_forms(struct mgr_buf *text_buf, const char *s, size_t n,
                         enum secret_form form)
{
    struct mgr_buf decoded = MGR_BUF_INIT;

    replace_all(text_buf, s, n);
    if (form == FORM_CONNINFO)
        unescape(s, n, &decoded);
    else
        percent_decode(s, n, &decoded);
    replace_all(text_buf, decoded.buf, decoded.len);
    mgr_buf_release(&decoded);
}

static void redact_part(void *ctx, const struct part *p)
{
    const char *first_at;

    if (!p->secret)
        return;
    redact_forms(ctx, p->s, p->n, p->form);
    /* libpq ends a userinfo password at the first '@'. */
    first_at = p->form == FORM_USERINFO ? memchr(p->s, '@', p->n) : NULL;
    if (first_at)
        redact_forms(ctx, p->s, (size_t)(first_at - p->s), p->form);
}

void dburl_redact(const char *url, struct mgr_buf *text_buf)
{
    walk(url, redact_part, text_buf);
}

void mgr_url_mask(const char *url, struct mgr_buf *out)
{
    dburl_mask(url, out);
}
