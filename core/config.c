/*
 * config.c: read migrator.ini with inih.
 *
 * inih splits the file into sections and key = value pairs; this file
 * feeds it through ini_parse_stream() with a reader of its own, because
 * the build of inih we link against has three properties we must not let
 * through to the user:
 *
 *  - It reads at most INI_MAX_LINE - 1 bytes at a time (199 in Debian's
 *    build) and parses the rest of a longer line as if it were the next
 *    line. The reader reads whole lines itself, refuses one that does not
 *    fit with "file:LINE: line too long" (a long comment is fine), and
 *    hands inih an empty line in its place, so that the following lines
 *    keep their numbers and their meaning (and their diagnostics stay
 *    right).
 *
 *  - It cuts a value at " ;" (inline comments), so that
 *    "password = ab ;cd#ef" would silently become "ab". We keep every
 *    value verbatim instead: the handler takes the value from the raw line
 *    the reader kept, not from inih's stripped copy. Refusing such values
 *    was the other choice; we keep them because Python's configparser,
 *    which reads alembic.ini, has no inline comments by default either,
 *    so a file moved from Alembic means the same thing here, and a
 *    password may legitimately contain " ;". A stray comment after a
 *    typed value (lock_wait = 5s ; five) is then caught by validation.
 *
 *  - Its handler gets no line number (INI_HANDLER_LINENO=0) and section
 *    names longer than 49 bytes are cut. The reader numbers the lines and
 *    tracks "[section]" headers itself (exactly, with their line numbers
 *    for the duplicate-section check).
 *
 * To know which lines inih treats as continuations of a multi-line value
 * (an indented line after a key line), the reader mirrors inih's small
 * state machine: see line_classify().
 *
 * Expansion follows configparser too: "%%" is a '%', "%(here)s" the
 * file's directory, and any other '%' is an error that says to double it
 * (a URL-encoded password such as "p%40ss" must be written "p%%40ss",
 * exactly as in alembic.ini). "${NAME}" and "${NAME:-default}" read the
 * environment; a default is expanded in turn, a variable's value never is.
 *
 * An environment variable that is not set expands to an empty string with
 * a warning rather than an error: the default template says
 * "database_url = ${DATABASE_URL}", and commands that never connect
 * (history, heads, revision) must work without it. ${VAR:-} says that an
 * empty value is intended and silences the warning.
 */
#include "autoconfig.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "config.h"
#include "util.h"

#define DEFAULT_SECTION "migrator"
#define MAX_NAME_BYTES 63 /* PostgreSQL's NAMEDATALEN - 1 */
#define NONE SIZE_MAX

enum key_type {
    T_STRING,
    T_BOOL,
    T_DURATION,
    T_BYTES,
    T_TABLE,  /* an identifier, not empty, at most 63 bytes */
    T_SCHEMA, /* an identifier or empty, at most 63 bytes */
    T_LOCK,   /* session | table | none */
};

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
    { "database_url", T_STRING, NULL, PLAIN },
    { "dev_url", T_STRING, NULL, PLAIN },
    { "file_template", T_STRING, "%(rev)s_%(slug)s", PLAIN },
    { "lock_strategy", T_LOCK, NULL, PLAIN },
    { "lock_wait", T_DURATION, "600s", PLAIN },
    { "max_script_bytes", T_BYTES, NULL, PLAIN },
    { "plugin_path", T_STRING, NULL, PLAIN },
    { "recursive_version_locations", T_BOOL, "false", PLAIN },
    { "reporter", T_STRING, "text", PLAIN },
    { "schema_file", T_STRING, "schema.sql", HERE },
    { "script_location", T_STRING, "migrations", HERE },
    { "statement_timeout", T_DURATION, "0", PLAIN },
    { "transaction_per_migration", T_BOOL, "false", PLAIN },
    { "version_locations", T_STRING, NULL, PLAIN }, /* see cfg_derive */
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

struct cfg_entry {
    char *key;   /* lower case */
    char *raw;   /* as written, continuation lines joined with '\n';
                    NULL for a default or an override */
    char *value; /* expanded */
    int line;    /* where the key is set; 0 for a default or override */
    bool is_default;
};

struct cfg_section {
    char *name;
    int line;
    struct cfg_entry *v;
    size_t nr, alloc;
};

struct cfg_xarg {
    char *key, *value;
};

struct mgr_config {
    char *path; /* as given; NULL without a file */
    char *dir;  /* absolute directory of path; NULL without a file */
    struct cfg_section *sections;
    size_t nr, alloc;
    size_t main; /* index of the main section */
    struct cfg_xarg *xargs;
    size_t nxargs, xalloc;
};

/* ---- small helpers ------------------------------------------------- */

static const struct known_key *key_lookup(const char *key)
{
    for (size_t i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++)
        if (!strcmp(known_keys[i].name, key))
            return &known_keys[i];
    return NULL;
}

bool mgr_config_is_known_key(const char *key)
{
    return key && key_lookup(key) != NULL;
}

static char *str_lower(const char *s)
{
    char *p = xstrdup(s);

    for (char *q = p; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    return p;
}

static const char *skip_space(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return s;
}

/* Length of s[0..n) without trailing white space. */
static size_t trim_end(const char *s, size_t n)
{
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return n;
}

/*
 * The offset of the first byte of s[0..len) that does not start a valid
 * UTF-8 sequence (overlong forms, surrogates and code points above
 * U+10FFFF are invalid), or len when all of it is valid.
 */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i];
        size_t n;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (len - i - 1 < n)
            return i;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n + 1;
    }
    return len;
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
static const char *key_suggest(const char *key)
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

/* ---- paths --------------------------------------------------------- */

static char *cwd_dup(void)
{
    size_t size = 256;

    for (;;) {
        char *buf = xmalloc(size);

        if (getcwd(buf, size))
            return buf;
        free(buf);
        if (errno != ERANGE || size > (1u << 20))
            return NULL;
        size *= 2;
    }
}

/* Clean an absolute path lexically: no "//", "." or "..". */
static char *path_clean(const char *path)
{
    struct mgr_buf sb = MGR_BUF_INIT;
    const char *p = path;

    while (*p) {
        const char *seg;
        size_t n;

        while (*p == '/')
            p++;
        seg = p;
        while (*p && *p != '/')
            p++;
        n = (size_t)(p - seg);
        if (n == 0 || (n == 1 && seg[0] == '.'))
            continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            char *slash = strrchr(sb.buf, '/');

            if (slash)
                mgr_buf_setlen(&sb, (size_t)(slash - sb.buf));
            continue;
        }
        mgr_buf_addch(&sb, '/');
        mgr_buf_add(&sb, seg, n);
    }
    if (!sb.len)
        mgr_buf_addch(&sb, '/');
    return mgr_buf_detach(&sb, NULL);
}

/* rel made absolute against base (an absolute path), cleaned. */
static char *path_join(const char *base, const char *rel)
{
    struct mgr_buf sb = MGR_BUF_INIT;
    char *out;

    if (rel[0] != '/') {
        mgr_buf_addstr(&sb, base);
        mgr_buf_addch(&sb, '/');
    }
    mgr_buf_addstr(&sb, rel);
    out = path_clean(sb.buf);
    mgr_buf_release(&sb);
    return out;
}

/* The absolute directory of file path; NULL when the working directory
 * cannot be found. */
static char *path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir, *cwd, *out;

    if (!slash)
        dir = xstrdup(".");
    else if (slash == path)
        dir = xstrdup("/");
    else
        dir = xstrndup(path, (size_t)(slash - path));
    if (dir[0] == '/') {
        out = path_clean(dir);
    } else {
        cwd = cwd_dup();
        out = cwd ? path_join(cwd, dir) : NULL;
        free(cwd);
    }
    free(dir);
    return out;
}

void mgr_strv_free(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

/* ---- the object ---------------------------------------------------- */

static struct cfg_section *cfg_main(const struct mgr_config *cfg)
{
    return &cfg->sections[cfg->main];
}

static size_t section_find(const struct mgr_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->nr; i++)
        if (!strcmp(cfg->sections[i].name, name))
            return i;
    return NONE;
}

static size_t section_add(struct mgr_config *cfg, const char *name,
                          size_t len, int line)
{
    struct cfg_section *s;

    if (cfg->nr == cfg->alloc) {
        cfg->alloc = cfg->alloc ? 2 * cfg->alloc : 4;
        cfg->sections = xreallocarray(cfg->sections, cfg->alloc,
                                      sizeof(*cfg->sections));
    }
    s = &cfg->sections[cfg->nr];
    memset(s, 0, sizeof(*s));
    s->name = xstrndup(name, len);
    s->line = line;
    return cfg->nr++;
}

static struct cfg_entry *entry_find(const struct cfg_section *s,
                                    const char *key)
{
    for (size_t i = 0; i < s->nr; i++)
        if (!strcmp(s->v[i].key, key))
            return &s->v[i];
    return NULL;
}

/* Append an entry taking ownership of key, raw and value. */
static size_t entry_add(struct cfg_section *s, char *key, char *raw,
                        char *value, int line)
{
    struct cfg_entry *e;

    if (s->nr == s->alloc) {
        s->alloc = s->alloc ? 2 * s->alloc : 16;
        s->v = xreallocarray(s->v, s->alloc, sizeof(*s->v));
    }
    e = &s->v[s->nr];
    e->key = key;
    e->raw = raw;
    e->value = value;
    e->line = line;
    e->is_default = false;
    return s->nr++;
}

static struct mgr_config *cfg_alloc(void)
{
    return xcalloc(1, sizeof(struct mgr_config));
}

void mgr_config_free(struct mgr_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->nr; i++) {
        struct cfg_section *s = &cfg->sections[i];

        for (size_t j = 0; j < s->nr; j++) {
            free(s->v[j].key);
            free(s->v[j].raw);
            free(s->v[j].value);
        }
        free(s->v);
        free(s->name);
    }
    free(cfg->sections);
    for (size_t i = 0; i < cfg->nxargs; i++) {
        free(cfg->xargs[i].key);
        free(cfg->xargs[i].value);
    }
    free(cfg->xargs);
    free(cfg->path);
    free(cfg->dir);
    free(cfg);
}

/* version_locations defaults to <script_location>/versions, whatever
 * script_location is at the moment. */
static void cfg_derive(struct mgr_config *cfg)
{
    struct cfg_section *s = cfg_main(cfg);
    struct cfg_entry *vl = entry_find(s, "version_locations");
    const struct cfg_entry *sl = entry_find(s, "script_location");
    struct mgr_buf sb = MGR_BUF_INIT;
    size_t n;

    if (vl && !vl->is_default)
        return;
    n = sl ? strlen(sl->value) : 0;
    while (n > 1 && sl->value[n - 1] == '/')
        n--;
    if (n) {
        mgr_buf_add(&sb, sl->value, n);
        if (sb.buf[n - 1] != '/')
            mgr_buf_addch(&sb, '/');
    }
    mgr_buf_addstr(&sb, "versions");
    if (vl) {
        free(vl->value);
        vl->value = mgr_buf_detach(&sb, NULL);
    } else {
        size_t i = entry_add(s, xstrdup("version_locations"), NULL,
                             mgr_buf_detach(&sb, NULL), 0);
        s->v[i].is_default = true;
    }
}

/* Add the defaults of the known keys the main section does not set. */
static void cfg_add_defaults(struct mgr_config *cfg)
{
    struct cfg_section *s = cfg_main(cfg);

    for (size_t i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]);
         i++) {
        const struct known_key *k = &known_keys[i];
        char *value;
        size_t j;

        if (!k->def || entry_find(s, k->name))
            continue;
        if ((k->flags & HERE) && cfg->dir)
            value = path_join(cfg->dir, k->def);
        else
            value = xstrdup(k->def);
        j = entry_add(s, xstrdup(k->name), NULL, value, 0);
        s->v[j].is_default = true;
    }
    cfg_derive(cfg);
}

struct mgr_config *mgr_config_new_defaults(void)
{
    struct mgr_config *cfg = cfg_alloc();

    cfg->main = section_add(cfg, DEFAULT_SECTION, strlen(DEFAULT_SECTION),
                            0);
    cfg_add_defaults(cfg);
    return cfg;
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

/* Whether value is acceptable for k; when not, say why in sb. Values of
 * typed keys are quoted; string values (a URL) never are. */
static bool value_check(const struct known_key *k, const char *value,
                        struct mgr_buf *sb)
{
    size_t len = strlen(value), size;
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
    }
    return true;
}

/* ---- expansion ----------------------------------------------------- */

struct expand {
    const char *here; /* absolute directory, or NULL */
    const char *key;
    const char *path; /* for the unset-variable warning; NULL: quiet */
    const char *raw;  /* start of the value, for line numbers */
    int line;         /* line of raw[0] */
    struct mgr_buf why;
    const char *why_at; /* where in raw the error is */
};

static int expand_line_at(const struct expand *x, const char *at)
{
    int line = x->line;

    for (const char *p = x->raw; p < at; p++)
        if (*p == '\n')
            line++;
    return line;
}

static bool is_name_char(int c, bool first)
{
    return c == '_' || isalpha(c) || (!first && isdigit(c));
}

static int expand_range(struct expand *x, const char *s, const char *end,
                        struct mgr_buf *out);

/* ${...} at s (s[0..1] == "${"); *next is set past the '}'. */
static int expand_var(struct expand *x, const char *s, const char *end,
                      struct mgr_buf *out, const char **next)
{
    const char *name = s + 2, *p = name, *close = NULL, *def = NULL;
    int depth = 1;
    char *var;
    const char *val;
    int rc = 0;

    for (const char *q = name; q < end; q++) {
        if (q[0] == '$' && q + 1 < end && q[1] == '{') {
            depth++;
            q++;
        } else if (*q == '}' && --depth == 0) {
            close = q;
            break;
        }
    }
    if (!close) {
        x->why_at = s;
        mgr_buf_addf(&x->why, "unterminated '${' in the value of '%s'; "
                     "close it with '}'", x->key);
        return -1;
    }
    while (p < close && is_name_char((unsigned char)*p, p == name))
        p++;
    if (p == name || (p < close && !(close - p >= 2 && p[0] == ':' &&
                                     p[1] == '-'))) {
        x->why_at = s;
        mgr_buf_addf(&x->why, "bad '${...}' in the value of '%s'; use "
                     "${NAME} or ${NAME:-default}", x->key);
        return -1;
    }
    if (p < close)
        def = p + 2;
    var = xstrndup(name, (size_t)(p - name));
    val = getenv(var);
    if (val && (*val || !def)) {
        mgr_buf_addstr(out, val);
    } else if (def) {
        rc = expand_range(x, def, close, out);
    } else if (x->path) {
        MGR_WARN("%s:%d: environment variable '%s' is not set; it expands "
                 "to an empty string in '%s' (write ${%s:-} if that is "
                 "intended)", x->path, expand_line_at(x, s), var, x->key,
                 var);
    }
    free(var);
    *next = close + 1;
    return rc;
}

/* %... at s; *next is set past what was consumed. Messages never quote
 * the value (it may be a password). */
static int expand_percent(struct expand *x, const char *s, const char *end,
                          struct mgr_buf *out, const char **next)
{
    const char *name = s + 2, *close, *p;

    if (s + 1 < end && s[1] == '%') {
        mgr_buf_addch(out, '%');
        *next = s + 2;
        return 0;
    }
    x->why_at = s;
    if (s + 1 >= end || s[1] != '(') {
        mgr_buf_addf(&x->why, "'%%' in the value of '%s' must be written "
                     "'%%%%' (or be part of %%(here)s)", x->key);
        return -1;
    }
    close = memchr(name, ')', (size_t)(end - name));
    for (p = name; close && p < close; p++)
        if (!is_name_char((unsigned char)*p, p == name))
            break;
    if (!close || p < close || p == name || close + 1 >= end ||
        close[1] != 's') {
        mgr_buf_addf(&x->why, "'%%(' in the value of '%s' must be written "
                     "'%%%%(' unless it starts %%(here)s", x->key);
        return -1;
    }
    if (close - name != 4 || strncasecmp(name, "here", 4) || !x->here) {
        mgr_buf_addf(&x->why, "unknown interpolation '%%(%.*s)s' in the "
                     "value of '%s'; only %%(here)s is defined (write "
                     "'%%%%' for a literal '%%')", (int)(close - name), name,
                     x->key);
        return -1;
    }
    mgr_buf_addstr(out, x->here);
    *next = close + 2;
    return 0;
}

static int expand_range(struct expand *x, const char *s, const char *end,
                        struct mgr_buf *out)
{
    while (s < end) {
        const char *next = s + 1;
        int rc = 0;

        if (*s == '%')
            rc = expand_percent(x, s, end, out, &next);
        else if (*s == '$' && s + 1 < end && s[1] == '{')
            rc = expand_var(x, s, end, out, &next);
        else
            mgr_buf_addch(out, *s);
        if (rc)
            return rc;
        s = next;
    }
    return 0;
}

/* ---- parsing ------------------------------------------------------- */

enum line_kind { L_COMMENT, L_SECTION, L_KEY, L_CONT, L_BAD };

struct parse {
    struct mgr_config *cfg;
    FILE *fp;
    const char *path;
    const char *want; /* the main section's name */
    char *raw;        /* the current line, without its end of line */
    size_t cap;
    int lineno;
    enum line_kind kind;
    bool prev_key; /* inih's prev_name is set */
    size_t cur;    /* current section, or NONE before the first */
    size_t last;   /* entry that continuation lines extend, or NONE */
    bool failed;
    struct mgr_error err;
};

static void parse_fail(struct parse *ps, int code, int line,
                       const char *fmt, ...) MGR_PRINTF(4, 5);

/* Record the first error only: the one with the lowest line number. */
static void parse_fail(struct parse *ps, int code, int line,
                       const char *fmt, ...)
{
    struct mgr_buf sb = MGR_BUF_INIT;
    va_list ap;

    if (ps->failed)
        return;
    ps->failed = true;
    if (line > 0)
        mgr_buf_addf(&sb, "%s:%d: ", ps->path, line);
    else
        mgr_buf_addf(&sb, "%s: ", ps->path);
    va_start(ap, fmt);
    mgr_buf_vaddf(&sb, fmt, ap);
    va_end(ap);
    mgr_error_set(&ps->err, code, "%s", sb.buf);
    mgr_buf_release(&sb);
}

/*
 * inih's find_chars_or_comment(): the first byte of s that is in chars,
 * or a ';' after white space (an inline comment), or the end.
 */
static const char *ini_find(const char *s, const char *chars)
{
    bool was_space = false;

    while (*s && !strchr(chars, *s) && !(was_space && *s == ';')) {
        was_space = isspace((unsigned char)*s);
        s++;
    }
    return s;
}

/* inih's start-of-line comment test (an empty line is one too). */
static bool is_comment(const char *line)
{
    const char *start = skip_space(line);

    return !*start || *start == ';' || *start == '#';
}

/*
 * Classify the current line as inih will see it, so that continuation
 * lines are told apart from keys and "[section]" headers are seen (with
 * their line numbers) even when they hold no keys. Mirrors the order of
 * the tests in inih's ini_parse_stream().
 */
static void line_classify(struct parse *ps)
{
    const char *line = ps->raw, *start = skip_space(line), *end;

    if (is_comment(line)) {
        ps->kind = L_COMMENT;
    } else if (ps->prev_key && start > line) {
        ps->kind = L_CONT;
    } else if (*start == '[') {
        end = ini_find(start + 1, "]");
        if (*end != ']') {
            ps->kind = L_BAD;
            parse_fail(ps, MGR_ECONFIG, ps->lineno,
                       "section header has no closing ']'");
            return;
        }
        ps->kind = L_SECTION;
        ps->prev_key = false;
    } else {
        end = ini_find(start, "=:");
        if (*end != '=' && *end != ':') {
            ps->kind = L_BAD;
            parse_fail(ps, MGR_ECONFIG, ps->lineno,
                       "not a 'key = value' line, a '[section]' header "
                       "or a comment");
            return;
        }
        ps->kind = L_KEY;
        ps->prev_key = trim_end(start, (size_t)(end - start)) > 0;
    }
}

static void section_start(struct parse *ps)
{
    const char *name = skip_space(ps->raw) + 1;
    size_t len = (size_t)(ini_find(name, "]") - name);
    size_t i;
    char *tmp;

    if (!len) {
        parse_fail(ps, MGR_ECONFIG, ps->lineno, "empty section name '[]'");
        return;
    }
    tmp = xstrndup(name, len);
    i = section_find(ps->cfg, tmp);
    if (i != NONE) {
        parse_fail(ps, MGR_ECONFIG, ps->lineno,
                   "duplicate section [%s] (first on line %d)", tmp,
                   ps->cfg->sections[i].line);
        ps->cur = i;
    } else {
        ps->cur = section_add(ps->cfg, name, len, ps->lineno);
    }
    ps->last = NONE;
    free(tmp);
}

/* inih's reader callback: one whole line per call, never split. */
static char *parse_read(char *str, int num, void *stream)
{
    struct parse *ps = stream;
    ssize_t got;
    size_t len, off = 0, bad;

    errno = 0;
    got = getline(&ps->raw, &ps->cap, ps->fp);
    if (got < 0) {
        if (ferror(ps->fp))
            parse_fail(ps, MGR_ECONFIG, 0, "cannot read '%s': %s",
                       ps->path, strerror(errno ? errno : EIO));
        return NULL;
    }
    ps->lineno++;
    len = (size_t)got;
    if (len && ps->raw[len - 1] == '\n')
        len--;
    if (len && ps->raw[len - 1] == '\r')
        len--;
    ps->raw[len] = '\0';
    if (ps->lineno == 1 && len >= 3 && !memcmp(ps->raw, "\xef\xbb\xbf", 3))
        off = 3;
    memmove(ps->raw, ps->raw + off, len - off + 1);
    len -= off;

    /* What inih gets when the line is not handed over: an empty line,
     * which it skips as it skips a comment. */
    str[0] = '\0';
    ps->kind = L_BAD;
    if (memchr(ps->raw, '\0', len)) {
        parse_fail(ps, MGR_ECONFIG, ps->lineno, "NUL byte at column %zu",
                   strlen(ps->raw) + 1);
        return str;
    }
    if (num < 2 || len > (size_t)num - 1) {
        /* A long comment is harmless: inih skips the empty line. */
        if (!is_comment(ps->raw))
            parse_fail(ps, MGR_ECONFIG, ps->lineno,
                       "line too long (%zu bytes, at most %d)", len,
                       num - 1);
        return str;
    }
    line_classify(ps);
    if (ps->kind != L_COMMENT) {
        bad = utf8_invalid_at((const unsigned char *)ps->raw, len);
        if (bad < len) {
            parse_fail(ps, MGR_ECONFIG, ps->lineno,
                       "byte 0x%02x at column %zu is not valid UTF-8; "
                       "save the file as UTF-8",
                       (unsigned char)ps->raw[bad], bad + 1);
            /* Let inih see the line all the same: the rest is checked. */
        }
    }
    if (ps->kind == L_SECTION)
        section_start(ps);
    memcpy(str, ps->raw, len + 1);
    return str;
}

static void warn_unknown_key(const struct parse *ps, const char *key)
{
    const char *hint = key_suggest(key);

    if (hint)
        MGR_WARN("%s:%d: unknown key '%s' (did you mean '%s'?)", ps->path,
                 ps->lineno, key, hint);
    else
        MGR_WARN("%s:%d: unknown key '%s'", ps->path, ps->lineno, key);
}

/* inih's handler: 1 for ok, 0 for an error (inih's convention). */
static int parse_handler(void *user, const char *section, const char *name,
                         const char *value)
{
    struct parse *ps = user;
    struct cfg_section *s;
    const struct cfg_entry *dup;
    const char *start, *sep;
    size_t vlen;
    char *key, *raw;

    (void)section; /* cut at 49 bytes by inih: we track our own */
    if (ps->kind == L_BAD)
        return 0;
    if (ps->cur == NONE) {
        parse_fail(ps, MGR_ECONFIG, ps->lineno,
                   "key '%s' is not in a section; put [%s] above it", name,
                   ps->want);
        return 0;
    }
    s = &ps->cfg->sections[ps->cur];
    start = skip_space(ps->raw);
    if (ps->kind == L_CONT) {
        struct mgr_buf sb = MGR_BUF_INIT;
        struct cfg_entry *e;

        if (ps->last == NONE)
            return 1; /* it extends a key that was refused */
        e = &s->v[ps->last];
        mgr_buf_addstr(&sb, e->raw);
        mgr_buf_addch(&sb, '\n');
        mgr_buf_add(&sb, start, trim_end(start, strlen(start)));
        free(e->raw);
        e->raw = mgr_buf_detach(&sb, NULL);
        return 1;
    }

    key = str_lower(name);
    if (!*key) {
        parse_fail(ps, MGR_ECONFIG, ps->lineno, "empty key name");
        free(key);
        ps->last = NONE;
        return 0;
    }
    dup = entry_find(s, key);
    if (dup) {
        parse_fail(ps, MGR_ECONFIG, ps->lineno,
                   "duplicate key '%s' (first set on line %d)", key,
                   dup->line);
        free(key);
        ps->last = NONE;
        return 0;
    }
    /* The value as written: everything after the separator that inih
     * found behind the name, inline comments and all. */
    sep = strlen(start) >= strlen(name) ?
        strpbrk(start + strlen(name), "=:") : NULL;
    if (sep) {
        sep = skip_space(sep + 1);
        vlen = trim_end(sep, strlen(sep));
        raw = xstrndup(sep, vlen);
    } else {
        raw = xstrdup(value);
    }
    if (!strcmp(s->name, ps->want) && !key_lookup(key))
        warn_unknown_key(ps, key);
    ps->last = entry_add(s, key, raw, NULL, ps->lineno);
    return 1;
}

/* ---- loading ------------------------------------------------------- */

/* Whether a raw URL or conninfo holds a password itself (rather than a
 * ${VAR} reference to one). Errs on the side of yes. */
static bool has_password(const char *raw)
{
    const char *p = strstr(raw, "://");

    if (p) {
        const char *user = p + 3, *at = strrchr(user, '@');
        const char *colon = at ? memchr(user, ':', (size_t)(at - user)) :
                                 NULL;

        if (colon && colon + 1 < at && !str_has_prefix(colon + 1, "${"))
            return true;
    }
    for (p = raw; *p; p++) {
        const char *q;

        if (strncasecmp(p, "password", 8))
            continue;
        q = skip_space(p + 8);
        if (*q != '=')
            continue;
        q = skip_space(q + 1);
        if (*q && *q != '&' && !str_has_prefix(q, "${"))
            return true;
    }
    return false;
}

static void warn_readable_password(const struct parse *ps, mode_t mode)
{
    static const char *const keys[] = { "database_url", "dev_url" };

    if (!(mode & (S_IRGRP | S_IROTH)))
        return;
    for (size_t i = 0; i < ps->cfg->nr; i++) {
        const struct cfg_section *s = &ps->cfg->sections[i];

        for (size_t k = 0; k < 2; k++) {
            const struct cfg_entry *e = entry_find(s, keys[k]);

            if (e && has_password(e->raw)) {
                MGR_WARN("%s:%d: '%s' holds a password and the file is "
                         "readable by group or others; chmod go-r %s, or "
                         "take the password from the environment (${VAR}) "
                         "or PGPASSFILE", ps->path, e->line, keys[k],
                         ps->path);
                return;
            }
        }
    }
}

/* Expand every value of every section; warn about unset variables only
 * in the main section. */
static int cfg_expand_all(struct parse *ps)
{
    struct mgr_config *cfg = ps->cfg;

    for (size_t i = 0; i < cfg->nr; i++) {
        struct cfg_section *s = &cfg->sections[i];

        for (size_t j = 0; j < s->nr; j++) {
            struct cfg_entry *e = &s->v[j];
            struct mgr_buf out = MGR_BUF_INIT;
            struct expand x = { cfg->dir, e->key,
                                i == cfg->main ? ps->path : NULL, e->raw,
                                e->line, MGR_BUF_INIT, NULL };

            if (expand_range(&x, e->raw, e->raw + strlen(e->raw), &out)) {
                parse_fail(ps, MGR_ECONFIG, expand_line_at(&x, x.why_at),
                           "%s", x.why.buf);
                mgr_buf_release(&x.why);
                mgr_buf_release(&out);
                return -1;
            }
            e->value = mgr_buf_detach(&out, NULL);
        }
    }
    return 0;
}

static int cfg_validate(struct parse *ps)
{
    const struct cfg_section *s = cfg_main(ps->cfg);
    struct mgr_buf why = MGR_BUF_INIT;

    for (size_t i = 0; i < s->nr; i++) {
        const struct known_key *k = key_lookup(s->v[i].key);

        if (k && !value_check(k, s->v[i].value, &why)) {
            parse_fail(ps, MGR_ECONFIG, s->v[i].line, "%s", why.buf);
            mgr_buf_release(&why);
            return -1;
        }
    }
    return 0;
}

static void missing_section(struct parse *ps)
{
    struct mgr_buf sb = MGR_BUF_INIT;

    for (size_t i = 0; i < ps->cfg->nr; i++)
        mgr_buf_addf(&sb, "%s[%s]", i ? ", " : "",
                     ps->cfg->sections[i].name);
    if (sb.len)
        parse_fail(ps, MGR_ECONFIG, 0, "no [%s] section; pick one of %s "
                   "with -n NAME", ps->want, sb.buf);
    else
        parse_fail(ps, MGR_ECONFIG, 0, "no [%s] section; the file has no "
                   "sections", ps->want);
    mgr_buf_release(&sb);
}

/* Open path for reading into *fp_out, refusing a file that group or
 * others may write. */
static int open_checked(const char *path, FILE **fp_out, mode_t *mode_out,
                        struct mgr_error *err)
{
    FILE *fp = fopen(path, "r");
    struct stat st;
    int e, rc;

    if (!fp) {
        e = errno;
        if (e == ENOENT)
            rc = mgr_error_set(err, MGR_ECONFIG, "cannot read '%s': %s; run "
                               "'migrator init DIR' to create one, or pass "
                               "-c FILE", path, strerror(e));
        else
            rc = mgr_error_set(err, MGR_ECONFIG, "cannot read '%s': %s",
                               path, strerror(e));
        goto fail;
    }
    if (fstat(fileno(fp), &st) < 0 || S_ISDIR(st.st_mode)) {
        e = S_ISDIR(st.st_mode) ? EISDIR : errno;
        rc = mgr_error_set(err, MGR_ECONFIG, "cannot read '%s': %s", path,
                           strerror(e));
        goto fail;
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        e = 0;
        rc = mgr_error_set(err, MGR_ETRUST, "refusing to read '%s': it is "
                           "writable by group or others; chmod go-w %s",
                           path, path);
        goto fail;
    }
    *fp_out = fp;
    *mode_out = st.st_mode;
    return MGR_OK;

fail:
    if (err)
        err->sys_errno = e;
    if (fp)
        fclose(fp);
    return rc;
}

int mgr_config_load(struct mgr_config **cfg_out, const char *path,
                    const char *section, struct mgr_error *err)
{
    struct parse ps;
    mode_t mode = 0;
    int rc;

    memset(&ps, 0, sizeof(ps));
    ps.path = path;
    ps.want = section && *section ? section : DEFAULT_SECTION;
    ps.cur = NONE;
    ps.last = NONE;
    rc = open_checked(path, &ps.fp, &mode, err);
    if (rc != MGR_OK)
        return rc;
    ps.cfg = cfg_alloc();
    ps.cfg->path = xstrdup(path);
    ps.cfg->dir = path_dir(path);
    if (!ps.cfg->dir) {
        parse_fail(&ps, MGR_EIO, 0, "cannot find the working directory: "
                   "%s", strerror(errno));
        goto out;
    }

    rc = ini_parse_stream(parse_read, &ps, parse_handler, &ps);
    if (rc > 0)
        parse_fail(&ps, MGR_ECONFIG, rc, "syntax error");
    else if (rc < 0)
        parse_fail(&ps, MGR_ENOMEM, 0, "out of memory while parsing");
    if (ps.failed)
        goto out;
    warn_readable_password(&ps, mode);
    ps.cfg->main = section_find(ps.cfg, ps.want);
    if (ps.cfg->main == NONE) {
        missing_section(&ps);
        goto out;
    }
    if (cfg_expand_all(&ps) < 0)
        goto out;
    cfg_add_defaults(ps.cfg);
    cfg_validate(&ps);

out:
    fclose(ps.fp);
    free(ps.raw);
    if (ps.failed) {
        mgr_config_free(ps.cfg);
        if (err)
            *err = ps.err;
        return ps.err.code;
    }
    *cfg_out = ps.cfg;
    return MGR_OK;
}

/* ---- access -------------------------------------------------------- */

static const struct cfg_entry *cfg_entry(const struct mgr_config *cfg,
                                         const char *section,
                                         const char *key)
{
    size_t i;

    if (!cfg || !key)
        return NULL;
    i = section ? section_find(cfg, section) : cfg->main;
    return i == NONE ? NULL : entry_find(&cfg->sections[i], key);
}

const char *mgr_config_get(const struct mgr_config *cfg, const char *key)
{
    return mgr_config_get_in(cfg, NULL, key);
}

const char *mgr_config_get_in(const struct mgr_config *cfg,
                              const char *section, const char *key)
{
    const struct cfg_entry *e = cfg_entry(cfg, section, key);

    return e ? e->value : NULL;
}

char **mgr_config_keys(const struct mgr_config *cfg, const char *section)
{
    size_t i = section ? section_find(cfg, section) : cfg->main;
    const struct cfg_section *s;
    char **v;

    if (i == NONE)
        return NULL;
    s = &cfg->sections[i];
    v = xreallocarray(NULL, s->nr + 1, sizeof(*v));
    for (size_t j = 0; j < s->nr; j++)
        v[j] = xstrdup(s->v[j].key);
    v[s->nr] = NULL;
    return v;
}

int mgr_config_line(const struct mgr_config *cfg, const char *key)
{
    const struct cfg_entry *e = cfg_entry(cfg, NULL, key);

    return e ? e->line : 0;
}

const char *mgr_config_section(const struct mgr_config *cfg)
{
    return cfg_main(cfg)->name;
}

const char *mgr_config_path(const struct mgr_config *cfg)
{
    return cfg->path;
}

const char *mgr_config_dir(const struct mgr_config *cfg)
{
    return cfg->dir;
}

/* The entry of key in the main section, or an error when it is unset. */
static int typed_value(const struct mgr_config *cfg, const char *key,
                       const struct cfg_entry **e_out,
                       struct mgr_error *err)
{
    const struct cfg_entry *e = cfg_entry(cfg, NULL, key);

    if (!e)
        return mgr_error_set(err, MGR_ECONFIG, "'%s' is not set in [%s]",
                             key, mgr_config_section(cfg));
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

    value_check(&k, e->value, &why);
    if (e->line > 0 && cfg->path)
        rc = mgr_error_set(err, MGR_ECONFIG, "%s:%d: %s", cfg->path,
                           e->line, why.buf);
    else
        rc = mgr_error_set(err, MGR_ECONFIG, "%s", why.buf);
    mgr_buf_release(&why);
    return rc;
}

int mgr_config_get_bool(const struct mgr_config *cfg, const char *key,
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

int mgr_config_get_duration_ms(const struct mgr_config *cfg, const char *key,
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

int mgr_config_get_bytes(const struct mgr_config *cfg, const char *key,
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

char **mgr_config_get_paths(const struct mgr_config *cfg, const char *key)
{
    const char *value = mgr_config_get(cfg, key), *p;
    char *cwd = NULL;
    const char *base = cfg->dir;
    char **v = NULL;
    size_t n = 0;

    if (!base && value)
        base = cwd = cwd_dup();
    for (p = value; p && *p;) {
        const char *tok;
        char *item;

        while (*p == ',' || isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        tok = p;
        while (*p && *p != ',' && !isspace((unsigned char)*p))
            p++;
        item = xstrndup(tok, (size_t)(p - tok));
        v = xreallocarray(v, n + 2, sizeof(*v));
        if (base || item[0] == '/') {
            v[n++] = path_join(base ? base : "/", item);
            free(item);
        } else {
            v[n++] = item; /* no working directory: keep it relative */
        }
    }
    free(cwd);
    if (!v)
        v = xmalloc(sizeof(*v));
    v[n] = NULL;
    return v;
}

/* ---- overrides ----------------------------------------------------- */

void mgr_config_set(struct mgr_config *cfg, const char *key,
                    const char *value)
{
    struct cfg_section *s = cfg_main(cfg);
    struct cfg_entry *e = entry_find(s, key);

    if (!e) {
        entry_add(s, xstrdup(key), NULL, xstrdup(value), 0);
    } else {
        free(e->value);
        free(e->raw);
        e->raw = NULL;
        e->value = xstrdup(value);
        e->line = 0;
        e->is_default = false;
    }
    if (!strcmp(key, "script_location"))
        cfg_derive(cfg);
}

int mgr_config_set_arg(struct mgr_config *cfg, const char *key_value,
                       struct mgr_error *err)
{
    const char *eq = strchr(key_value, '=');
    const struct known_key *k;
    struct cfg_xarg *x;
    char *key;

    if (!eq)
        return mgr_error_set(err, MGR_EUSAGE, "-x '%s': expected "
                             "KEY=VALUE", key_value);
    if (eq == key_value)
        return mgr_error_set(err, MGR_EUSAGE, "-x '%s': the key is empty; "
                             "expected KEY=VALUE", key_value);
    key = xstrndup(key_value, (size_t)(eq - key_value));
    k = key_lookup(key);
    if (k) {
        struct mgr_buf why = MGR_BUF_INIT;

        if (!value_check(k, eq + 1, &why)) {
            mgr_error_set(err, MGR_EUSAGE, "-x %s: %s", key, why.buf);
            mgr_buf_release(&why);
            free(key);
            return MGR_EUSAGE;
        }
        mgr_config_set(cfg, key, eq + 1);
    }
    if (cfg->nxargs == cfg->xalloc) {
        cfg->xalloc = cfg->xalloc ? 2 * cfg->xalloc : 4;
        cfg->xargs = xreallocarray(cfg->xargs, cfg->xalloc,
                                   sizeof(*cfg->xargs));
    }
    x = &cfg->xargs[cfg->nxargs++];
    x->key = key;
    x->value = xstrdup(eq + 1);
    return MGR_OK;
}

const char *mgr_config_xarg(const struct mgr_config *cfg, const char *key)
{
    for (size_t i = cfg->nxargs; i > 0; i--)
        if (!strcmp(cfg->xargs[i - 1].key, key))
            return cfg->xargs[i - 1].value;
    return NULL;
}

size_t mgr_config_xarg_count(const struct mgr_config *cfg)
{
    return cfg->nxargs;
}

const char *mgr_config_xarg_at(const struct mgr_config *cfg, size_t i,
                               const char **value_out)
{
    if (i >= cfg->nxargs)
        return NULL;
    if (value_out)
        *value_out = cfg->xargs[i].value;
    return cfg->xargs[i].key;
}
