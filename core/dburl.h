/*
 * dburl.h: database URLs: which dialect serves one, and how to print one
 * without its password (reliability R11: one masking routine for every
 * sink).
 */
#ifndef MGR_CORE_DBURL_H
#define MGR_CORE_DBURL_H

#include <migrator/migrator.h>

/*
 * The dialect name for url: the scheme before "://" ("sqlite",
 * "postgresql"; "postgres" is taken as "postgresql"), or "postgresql"
 * for a libpq conninfo string ("host=... dbname=..."). NULL when there
 * is no way to tell. Returns a static string.
 */
const char *dburl_dialect(const char *url);

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
