/*
 * config.c: the config object (config.h): its sections and entries, the
 * defaults, reading values back, and the overrides (-x, --url).
 *
 * Reading the file is in config_read.c and config_load.c, expansion in
 * config_expand.c, the known keys and their values in config_values.c,
 * and path lists in config_paths.c; config_internal.h is what they share.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_internal.h"
#include "util.h"

/* ---- the object ---------------------------------------------------- */

struct cfg_section *config_main(const struct mgr_config *cfg)
{
    return &cfg->sections[cfg->main];
}

size_t config_section_find(const struct mgr_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->nr; i++)
        if (!strcmp(cfg->sections[i].name, name))
            return i;
    return CONFIG_NONE;
}

size_t config_section_add(struct mgr_config *cfg, const char *name,
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

struct cfg_entry *config_entry_find(const struct cfg_section *s,
                                    const char *key)
{
    for (size_t i = 0; i < s->nr; i++)
        if (!strcmp(s->v[i].key, key))
            return &s->v[i];
    return NULL;
}

/* Append an entry taking ownership of key, raw and value. */
size_t config_entry_add(struct cfg_section *s, char *key, char *raw,
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

struct mgr_config *config_alloc(void)
{
    return xcalloc(1, sizeof(struct mgr_config));
}

void config_free(struct mgr_config *cfg)
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
void config_derive(struct mgr_config *cfg)
{
    struct cfg_section *s = config_main(cfg);
    struct cfg_entry *vl = config_entry_find(s, "version_locations");
    const struct cfg_entry *sl = config_entry_find(s, "script_location");
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
        size_t i = config_entry_add(s, xstrdup("version_locations"),
                                    NULL, mgr_buf_detach(&sb, NULL), 0);
        s->v[i].is_default = true;
    }
}

struct mgr_config *config_new_defaults(void)
{
    struct mgr_config *cfg = config_alloc();

    cfg->main = config_section_add(cfg, DEFAULT_SECTION,
                                   strlen(DEFAULT_SECTION), 0);
    config_add_defaults(cfg);
    return cfg;
}

/* ---- access -------------------------------------------------------- */

const struct cfg_entry *config_entry(const struct mgr_config *cfg,
                                     const char *section, const char *key)
{
    size_t i;

    if (!cfg || !key)
        return NULL;
    i = section ? config_section_find(cfg, section) : cfg->main;
    return i == CONFIG_NONE ? NULL : config_entry_find(&cfg->sections[i], key);
}

const char *config_get(const struct mgr_config *cfg, const char *key)
{
    return config_get_in(cfg, NULL, key);
}

const char *config_get_in(const struct mgr_config *cfg,
                              const char *section, const char *key)
{
    const struct cfg_entry *e = config_entry(cfg, section, key);

    return e ? e->value : NULL;
}

char **config_keys(const struct mgr_config *cfg, const char *section)
{
    size_t i = section ? config_section_find(cfg, section) : cfg->main;
    const struct cfg_section *s;
    char **v;

    if (i == CONFIG_NONE)
        return NULL;
    s = &cfg->sections[i];
    v = xreallocarray(NULL, s->nr + 1, sizeof(*v));
    for (size_t j = 0; j < s->nr; j++)
        v[j] = xstrdup(s->v[j].key);
    v[s->nr] = NULL;
    return v;
}

int config_line(const struct mgr_config *cfg, const char *key)
{
    const struct cfg_entry *e = config_entry(cfg, NULL, key);

    return e ? e->line : 0;
}

const char *config_section(const struct mgr_config *cfg)
{
    return config_main(cfg)->name;
}

const char *config_path(const struct mgr_config *cfg)
{
    return cfg->path;
}

const char *config_dir(const struct mgr_config *cfg)
{
    return cfg->dir;
}

/* ---- overrides ----------------------------------------------------- */

void config_set(struct mgr_config *cfg, const char *key,
                    const char *value)
{
    struct cfg_section *s = config_main(cfg);
    struct cfg_entry *e = config_entry_find(s, key);

    if (!e) {
        config_entry_add(s, xstrdup(key), NULL, xstrdup(value), 0);
    } else {
        free(e->value);
        free(e->raw);
        e->raw = NULL;
        e->value = xstrdup(value);
        e->line = 0;
        e->is_default = false;
    }
    if (!strcmp(key, "script_location"))
        config_derive(cfg);
}

int config_set_arg(struct mgr_config *cfg, const char *key_value,
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
    k = config_key_lookup(key);
    if (k) {
        struct mgr_buf why = MGR_BUF_INIT;

        if (!config_value_check(k, eq + 1, &why)) {
            mgr_error_set(err, MGR_EUSAGE, "-x %s: %s", key, why.buf);
            mgr_buf_release(&why);
            free(key);
            return MGR_EUSAGE;
        }
        config_set(cfg, key, eq + 1);
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

const char *config_xarg(const struct mgr_config *cfg, const char *key)
{
    for (size_t i = cfg->nxargs; i > 0; i--)
        if (!strcmp(cfg->xargs[i - 1].key, key))
            return cfg->xargs[i - 1].value;
    return NULL;
}

size_t config_xarg_count(const struct mgr_config *cfg)
{
    return cfg->nxargs;
}

const char *config_xarg_at(const struct mgr_config *cfg, size_t i,
                               const char **value_out)
{
    if (i >= cfg->nxargs)
        return NULL;
    if (value_out)
        *value_out = cfg->xargs[i].value;
    return cfg->xargs[i].key;
}
