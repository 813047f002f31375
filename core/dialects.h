/*
 * dialects.h: which dialect plugin serves a database URL. The core knows
 * no dialect by name: a dialect serves the URL schemes its ops table
 * declares (mgr_dialect_ops.schemes), and a URL "scheme+driver://..." is
 * served by the dialect that declares "scheme".
 */
#ifndef MGR_CORE_DIALECTS_H
#define MGR_CORE_DIALECTS_H

#include <migrator/plugin.h>

struct mgr_loaded_plugin;
struct mgr_plugin_set;

/*
 * The dialect on the search path of set that serves url. The plugin
 * named like the scheme (dialect_<scheme>) is tried first, so the usual
 * layout opens one module; when it is absent or declares other schemes,
 * the dialects on the path are opened in search order until one declares
 * it (only a scheme that none serves opens them all, to list theirs).
 * A dialect_<scheme> that is refused (trust, ABI, operations) is that
 * error. A scheme that no dialect declares is MGR_ECONFIG, and the
 * message lists the schemes that are available. The URL is printed
 * masked. *plugin_out is borrowed from set.
 */
int dialects_find(struct mgr_plugin_set *set, const char *url,
                  const struct mgr_loaded_plugin **plugin_out,
                  struct mgr_error *err);

/* Whether plugin p (a dialect) declares scheme. */
int dialects_declares(const struct mgr_loaded_plugin *p, const char *scheme);

#endif
