/*
 * dburl.h: database URLs: their scheme, and how to print one
 * without its password (reliability R11: one masking routine for every
 * sink).
 */
#ifndef MGR_CORE_DBURL_H
#define MGR_CORE_DBURL_H

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
 * Append url to out with any password replaced by "****": the userinfo
 * of a URL ("user:secret@host"), a "password=" query parameter, and a
 * conninfo "password = 'secret'" with any spacing and quoting. Text that
 * cannot be parsed is masked from the first ':' after the scheme to the
 * last '@' rather than printed.
 */
void dburl_mask(const char *url, struct mgr_buf *out);

/* Mask every occurrence of url's password in text (for error messages
 * that may quote it). */
void dburl_redact(const char *url, struct mgr_buf *text);

#endif
