/*
 * config_internal.h: what the files of the config object share
 * (config.c, config_read.c, config_load.c, config_expand.c,
 * config_values.c, config_paths.c). Never included outside them: the API
 * is config.h.
 */
#ifndef MGR_CORE_CONFIG_INTERNAL_H
#define MGR_CORE_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <migrator/migrator.h>

#include "config.h"

#define DEFAULT_SECTION "migrator"
#define CONFIG_NONE SIZE_MAX

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

/* ---- the object (config.c) ----------------------------------------- */

struct cfg_section *config_main(const struct mgr_config *cfg);
struct mgr_config *config_alloc(void);

/* The index of section name, or CONFIG_NONE. */
size_t config_section_find(const struct mgr_config *cfg, const char *name);
size_t config_section_add(struct mgr_config *cfg, const char *name,
                          size_t len, int line);
struct cfg_entry *config_entry_find(const struct cfg_section *s,
                                    const char *key);
size_t config_entry_add(struct cfg_section *s, char *key, char *raw,
                        char *value, int line);
void config_derive(struct mgr_config *cfg);

/* The entry of key in section (NULL: the main section), or NULL. */
const struct cfg_entry *config_entry(const struct mgr_config *cfg,
                                     const char *section, const char *key);

/* ---- known keys and values (config_values.c) ----------------------- */

struct known_key; /* defined with the table in config_values.c */

const struct known_key *config_key_lookup(const char *key);
const char *config_key_suggest(const char *key);
/* Why an unknown key is refused rather than warned about, or NULL. */
const char *config_key_refused(const char *key);
void config_add_defaults(struct mgr_config *cfg);
bool config_value_check(const struct known_key *k, const char *value,
                        struct mgr_buf *sb);

/* ---- paths (config_paths.c) ---------------------------------------- */

char *config_path_join(const char *base, const char *rel);
char *config_path_dir(const char *path);

/* ---- reading (config_read.c) --------------------------------------- */

/* How inih sees a line (see line_classify()). */
enum line_kind { L_COMMENT, L_SECTION, L_KEY, L_CONT, L_BAD };

/* The state of one config_load() while inih reads the file. */
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
    size_t cur;    /* current section, or CONFIG_NONE before the first */
    size_t last;   /* entry that continuation lines extend, or CONFIG_NONE */
    bool failed;
    struct mgr_error err;
};

const char *config_skip_space(const char *s);
void config_parse_fail(struct parse *ps, int code, int line,
                       const char *fmt, ...) MGR_PRINTF(4, 5);
/* inih's reader and handler, given to ini_parse_stream(). */
char *config_parse_read(char *str, int num, void *stream);
int config_parse_handler(void *user, const char *section, const char *name,
                         const char *value);

/* ---- after reading (config_expand.c, config_values.c) -------------- */

/* Expand every value (config_expand.c); -1 after config_parse_fail(). */
int config_expand_all(struct parse *ps);

/* Check the values of the known keys of the main section
 * (config_values.c); -1 after config_parse_fail(). */
int config_validate(struct parse *ps);

#endif
