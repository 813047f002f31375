/*
 * dburl.h: database URLs: their scheme, and how to print one
 * without its password (reliability R11: one masking routine for every
 * sink).
 */
#ifndef MGR_CORE_DBURL_H
#define MGR_CORE_DBURL_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/migrator.h>

/* The scheme a key=value connection string ("host=... dbname=...")
 * stands for; the dialect that takes such strings declares it. */
#define DBURL_CONNINFO_SCHEME "conninfo"

/*
 * The scheme of url, lowercased, without a "+driver" suffix, into out:
 * "sqlite" for sqlite:///x.db, "postgresql" for postgresql+psycopg2://h,
 * DBURL_CONNINFO_SCHEME for a key=value connection string. -1 when url
 * has no scheme or it does not fit in size.
 */
int dburl_scheme(const char *url, char *out, size_t size);

/*
 * The secrets of a URL are what libpq would read as a secret option
 * (password, sslpassword, oauth_client_secret): the userinfo password of
 * a URL ("user:secret@host"), a query parameter whose key names one once
 * percent-decoded ("?pass%77ord=secret"), a conninfo value of one with
 * any spacing, quoting and backslash escapes ("sslpassword = 'a b'").
 * dburl_secret.c.
 */

/*
 * Append url to out with every secret replaced by "****". Text that
 * cannot be parsed is masked from the first ':' after the scheme to the
 * last '@' rather than printed.
 */
void dburl_mask(const char *url, struct mgr_buf *out);

/* Mask every occurrence of url's secrets in text, as written and as
 * libpq decodes them (for error messages that may quote them). */
void dburl_redact(const char *url, struct mgr_buf *text);

/* Whether url holds a secret itself. */
bool dburl_has_secret(const char *url);

/* Whether key[0..len) names a secret option (case-insensitive). */
bool dburl_is_secret_key(const char *key, size_t len);

#endif
