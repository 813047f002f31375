/*
 * config_values.c: the known keys of the main section, their defaults and
 * types, the checks of their values and the typed getters.
 */
#include "autoconfig.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "config_internal.h"
#include "util.h"

#define MAX_NAME_BYTES 63 /* PostgreSQL's NAMEDATALEN - 1 */

enum key_type {
    T_STRING,
    T_BOOL,
    T_DURATION,
    T_BYTES,
    T_TABLE,  /* an identifier, not empty, at most 63 bytes */
    T_SCHEMA, /* an identifier or empty, at most 63 bytes */
    T_LOCK,   /* session | table | none */
    T_COUNT,  /* a whole number, 0 to COUNT_MAX */
};

#define COUNT_MAX 1000

/* A default marked HERE is a path relative to %(here)s (or to the working
 * directory for a config without a file). */
enum { PLAIN = 0, HERE = 1 };

static const struct known_key {
    const char *name;
    enum key_type type;
    const char *def; /* after expansion; NULL: no default */
    int flags;
} known_keys[] = {
    { "c_compiler", T_STRING, "cc", PLAIN },
    { "c_flags", T_STRING, NULL, PLAIN },
    { "connect_timeout", T_DURATION, "10s", PLAIN },
    { "database_url", T_STRING, NULL, PLAIN },
    { "dev_url", T_STRING, NULL, PLAIN },
    { "file_template", T_STRING, "%(rev)s_%(slug)s", PLAIN },
    { "lint_ignore", T_STRING, NULL, PLAIN },
    { "lint_large_rows", T_STRING, "1000000", PLAIN },
    { "lint_large_size", T_BYTES, "1G", PLAIN },
    { "lock_lease", T_DURATION, "5m", PLAIN },
    { "lock_retries", T_COUNT, "3", PLAIN },
    { "lock_strategy", T_LOCK, NULL, PLAIN },
    { "lock_wait", T_DURATION, "600s", PLAIN },
    { "max_script_bytes", T_BYTES, NULL, PLAIN },
    { "plugin_path", T_STRING, NULL, PLAIN },
    { "protected", T_BOOL, "false", PLAIN },
    { "recursive_version_locations", T_BOOL, "false", PLAIN },
    { "reporter", T_STRING, "text", PLAIN },
    { "schema_file", T_STRING, "schema.sql", HERE },
    { "schemas", T_STRING, NULL, PLAIN },
    { "script_location", T_STRING, "migrations", HERE },
    { "statement_lock_timeout", T_DURATION, "5s", PLAIN },
    { "statement_timeout", T_DURATION, "0", PLAIN },
    { "transaction_per_migration", T_BOOL, "false", PLAIN },
    { "version_locations", T_STRING, NULL, PLAIN }, /* see config_derive */
    { "version_table", T_TABLE, "migrator_version", PLAIN },
    { "version_table_schema", T_SCHEMA, NULL, PLAIN },
};

/* Keys of other tools that mean one of ours, for the unknown-key hint. */
static const struct {
    const char *name, *ours;
} key_aliases[] = {
    { "sqlalchemy.url", "database_url" },
    { "url", "database_url" },
};

/*
 * Keys that are read and checked but not acted on yet: any value other
 * than the one that turns them off cannot be honoured, and a setting
 * that is silently not honoured is worse than a refusal.
 */
static const struct {
    const char *name;
    const char *why;
} not_honoured[] = {
    { "max_script_bytes", "scripts are read whatever their size; remove "
                          "the line" },
    { "recursive_version_locations",
      "version locations are not searched recursively; list every "
      "directory in version_locations" },
    { "statement_timeout",
      "migrator sets no statement timeout; set one for the role (ALTER "
      "ROLE ... SET statement_timeout) or in the URL "
      "(options=-c statement_timeout=...)" },
};

/* Unknown keys that name something migrator decides another way: they
 * are refused rather than warned about, since the setting they ask for
 * would silently not happen. */
static const struct {
    const char *name, *why;
} refused_keys[] = {
    { "dialect", "the dialect is chosen by the scheme of database_url "
                 "(sqlite:///..., postgresql://...)" },
};

/* ---- known keys ---------------------------------------------------- */

const char *config_key_refused(const char *key)
{
    for (size_t i = 0; i < sizeof(refused_keys) / sizeof(refused_keys[0]);
         i++)
        if (!strcmp(refused_keys[i].name, key))
            return refused_keys[i].why;
    return NULL;
}

const struct known_key *config_key_lookup(const char *key)
{
    for (size_t i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++)
        if (!strcmp(known_keys[i].name, key))
            return &known_keys[i];
    return NULL;
}

bool config_is_known_key(const char *key)
{
    return key && config_key_lookup(key) != NULL;
}

/* Optimal string alignment distance (an adjacent swap costs 1), or a
 * large number when either string is too long to be worth comparing. */
static size_t edit_distance(const char *a, const char *b)
{
    enum { MAXLEN = 40 };
    size_t la = strlen(a), lb = strlen(b);
    size_t d[MAXLEN + 1][MAXLEN + 1];

    if (la > MAXLEN || lb > MAXLEN)
        return SIZE_MAX;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = d[i - 1][j - 1] + cost;

            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

/* The known key that an unknown key was most likely meant to be. */
const char *config_key_suggest(const char *key)
{
    size_t len = strlen(key), limit = len >= 6 ? 2 : 1;
    size_t best = SIZE_MAX;
    const char *found = NULL;

    for (size_t i = 0; i < sizeof(key_aliases) / sizeof(key_aliases[0]);
         i++)
        if (!strcmp(key_aliases[i].name, key))
            return key_aliases[i].ours;
    for (size_t i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]);
         i++) {
        size_t dist = edit_distance(key, known_keys[i].name);

        if (dist <= limit && dist < best) {
            best = dist;
            found = known_keys[i].name;
        }
    }
    return found;
}

/* Add the defaults of the known keys the main section does not set. */
void config_add_defaults(struct mgr_config *cfg)
{
    struct cfg_section *s = config_main(cfg);

    for (size_t i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]);
         i++) {
        const struct known_key *k = &known_keys[i];
        char *value;
        size_t j;

        if (!k->def || config_entry_find(s, k->name))
            continue;
        if ((k->flags & HERE) && cfg->dir)
            value = config_path_join(cfg->dir, k->def);
        else
            value = xstrdup(k->def);
        j = config_entry_add(s, xstrdup(k->name), NULL, value, 0);
        s->v[j].is_default = true;
    }
    config_derive(cfg);
}

/* ---- value checks -------------------------------------------------- */

static bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = { "true", "yes", "on", "1" };
    static const char *const no[] = { "false", "no", "off", "0" };

    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(s, yes[i])) {
            *out = true;
            return true;
        }
        if (!strcasecmp(s, no[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* A whole number into *n, leaving *end at the first other byte. */
static bool parse_uint(const char *s, unsigned long long *n,
                       const char **end)
{
    unsigned long long v = 0;

    if (!isdigit((unsigned char)*s))
        return false;
    for (; isdigit((unsigned char)*s); s++) {
        unsigned d = (unsigned)(*s - '0');

        if (v > (ULLONG_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *n = v;
    *end = s;
    return true;
}

static bool parse_duration(const char *s, long *ms_out)
{
    unsigned long long n, mult;
    const char *unit;

    if (!parse_uint(s, &n, &unit))
        return false;
    if (!*unit || !strcmp(unit, "s"))
        mult = 1000;
    else if (!strcmp(unit, "ms"))
        mult = 1;
    else if (!strcmp(unit, "m"))
        mult = 60 * 1000;
    else if (!strcmp(unit, "h"))
        mult = 60 * 60 * 1000;
    else
        return false;
    if (n > (unsigned long long)LONG_MAX / mult)
        return false;
    *ms_out = (long)(n * mult);
    return true;
}

static bool parse_count(const char *s, unsigned long *out)
{
    char *end;
    unsigned long n;

    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    n = strtoul(s, &end, 10);
    if (errno || *end || n > COUNT_MAX)
        return false;
    *out = n;
    return true;
}

static bool parse_bytes(const char *s, size_t *out)
{
    unsigned long long n, mult = 1;
    const char *unit;

    if (!parse_uint(s, &n, &unit))
        return false;
    if (*unit) {
        switch (toupper((unsigned char)*unit)) {
        case 'K': mult = 1ull << 10; break;
        case 'M': mult = 1ull << 20; break;
        case 'G': mult = 1ull << 30; break;
        default: return false;
        }
        if (unit[1])
            return false;
    }
    if (n > (unsigned long long)SIZE_MAX / mult)
        return false;
    *out = (size_t)(n * mult);
    return true;
}

/* Whether value turns k off (false, 0): the only values of a key in
 * not_honoured[] that can be honoured. */
static bool value_is_off(const struct known_key *k, const char *value)
{
    bool b = true;
    long ms = 1;

    if (k->type == T_BOOL)
        return parse_bool(value, &b) && !b;
    if (k->type == T_DURATION)
        return parse_duration(value, &ms) && ms == 0;
    return false;
}

/* Whether k = value can be honoured; when not, say why in sb. */
static bool value_honoured(const struct known_key *k, const char *value,
                           struct mgr_buf *sb)
{
    for (size_t i = 0; i < sizeof(not_honoured) / sizeof(not_honoured[0]);
         i++) {
        if (strcmp(not_honoured[i].name, k->name) || value_is_off(k, value))
            continue;
        mgr_buf_addf(sb, "'%s = %s' cannot be honoured: %s", k->name, value,
                     not_honoured[i].why);
        return false;
    }
    return true;
}

static bool value_valid(const struct known_key *k, const char *value,
                        struct mgr_buf *sb);

/* Whether value is acceptable for k; when not, say why in sb. Values of
 * typed keys are quoted; string values (a URL) never are. */
bool config_value_check(const struct known_key *k, const char *value,
                        struct mgr_buf *sb)
{
    return value_valid(k, value, sb) && value_honoured(k, value, sb);
}

static bool value_valid(const struct known_key *k, const char *value,
                        struct mgr_buf *sb)
{
    size_t len = strlen(value), size;
    unsigned long count;
    bool b;
    long ms;

    switch (k->type) {
    case T_STRING:
        return true;
    case T_BOOL:
        if (parse_bool(value, &b))
            return true;
        mgr_buf_addf(sb, "'%s' must be true or false (or yes/no, on/off, "
                     "1/0), not '%s'", k->name, value);
        return false;
    case T_DURATION:
        if (parse_duration(value, &ms))
            return true;
        mgr_buf_addf(sb, "bad duration '%s' for '%s'; use a whole number "
                     "with ms, s, m or h (e.g. 600s)", value, k->name);
        return false;
    case T_BYTES:
        if (parse_bytes(value, &size))
            return true;
        mgr_buf_addf(sb, "bad size '%s' for '%s'; use a whole number of "
                     "bytes, optionally with K, M or G", value, k->name);
        return false;
    case T_TABLE:
    case T_SCHEMA:
        if (k->type == T_TABLE && !len) {
            mgr_buf_addf(sb, "'%s' is empty; remove the line to use "
                         "'%s'", k->name, k->def);
            return false;
        }
        if (len <= MAX_NAME_BYTES)
            return true;
        mgr_buf_addf(sb, "'%s' is %zu bytes long, at most %d are allowed "
                     "(names are never truncated)", k->name, len,
                     MAX_NAME_BYTES);
        return false;
    case T_LOCK:
        if (!strcmp(value, "session") || !strcmp(value, "table") ||
            !strcmp(value, "none"))
            return true;
        mgr_buf_addf(sb, "'%s' must be session, table or none, not '%s'",
                     k->name, value);
        return false;
    case T_COUNT:
        if (parse_count(value, &count))
            return true;
        mgr_buf_addf(sb, "'%s' must be a whole number from 0 to %d, not "
                     "'%s'", k->name, COUNT_MAX, value);
        return false;
    }
    return true;
}

/* ---- validation ---------------------------------------------------- */

int config_validate(struct parse *ps)
{
    const struct cfg_section *s = config_main(ps->cfg);
    struct mgr_buf why = MGR_BUF_INIT;

    for (size_t i = 0; i < s->nr; i++) {
        const struct known_key *k = config_key_lookup(s->v[i].key);

        if (k && !config_value_check(k, s->v[i].value, &why)) {
            config_parse_fail(ps, MGR_ECONFIG, s->v[i].line, "%s", why.buf);
            mgr_buf_release(&why);
            return -1;
        }
    }
    return 0;
}

/* ---- typed getters ------------------------------------------------- */

/* The entry of key in the main section, or an error when it is unset. */
static int typed_value(const struct mgr_config *cfg, const char *key,
                       const struct cfg_entry **e_out,
                       struct mgr_error *err)
{
    const struct cfg_entry *e = config_entry(cfg, NULL, key);

    if (!e)
        return mgr_error_set(err, MGR_ECONFIG, "'%s' is not set in [%s]",
                             key, config_section(cfg));
    *e_out = e;
    return MGR_OK;
}

/* Why e's value is not of type; names file:line when it came from the
 * file. */
static int typed_fail(const struct mgr_config *cfg,
                      const struct cfg_entry *e, enum key_type type,
                      struct mgr_error *err)
{
    const struct known_key k = { e->key, type, NULL, PLAIN };
    struct mgr_buf why = MGR_BUF_INIT;
    int rc;

    config_value_check(&k, e->value, &why);
    if (e->line > 0 && cfg->path)
        rc = mgr_error_set(err, MGR_ECONFIG, "%s:%d: %s", cfg->path,
                           e->line, why.buf);
    else
        rc = mgr_error_set(err, MGR_ECONFIG, "%s", why.buf);
    mgr_buf_release(&why);
    return rc;
}

int config_get_bool(const struct mgr_config *cfg, const char *key,
                        bool *value_out, struct mgr_error *err)
{
    const struct cfg_entry *e = NULL;
    int rc = typed_value(cfg, key, &e, err);

    if (rc != MGR_OK)
        return rc;
    if (!parse_bool(e->value, value_out))
        return typed_fail(cfg, e, T_BOOL, err);
    return MGR_OK;
}

int config_get_duration_ms(const struct mgr_config *cfg, const char *key,
                               long *ms_out, struct mgr_error *err)
{
    const struct cfg_entry *e = NULL;
    int rc = typed_value(cfg, key, &e, err);

    if (rc != MGR_OK)
        return rc;
    if (!parse_duration(e->value, ms_out))
        return typed_fail(cfg, e, T_DURATION, err);
    return MGR_OK;
}

int config_get_count(const struct mgr_config *cfg, const char *key,
                     unsigned long *count_out, struct mgr_error *err)
{
    const struct cfg_entry *e = NULL;
    int rc = typed_value(cfg, key, &e, err);

    if (rc != MGR_OK)
        return rc;
    if (!parse_count(e->value, count_out))
        return typed_fail(cfg, e, T_COUNT, err);
    return MGR_OK;
}

int config_get_bytes(const struct mgr_config *cfg, const char *key,
                         size_t *bytes_out, struct mgr_error *err)
{
    const struct cfg_entry *e = NULL;
    int rc = typed_value(cfg, key, &e, err);

    if (rc != MGR_OK)
        return rc;
    if (!parse_bytes(e->value, bytes_out))
        return typed_fail(cfg, e, T_BYTES, err);
    return MGR_OK;
}
