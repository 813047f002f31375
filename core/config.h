/*
 * config.h: migrator.ini, read with inih.
 *
 * One section ([migrator], or the one named by -n) is the config; the
 * other sections ([naming_convention], other databases) are kept as they
 * are and can be read with config_get_in(). Keys are case-insensitive
 * (stored in lower case, as Python's configparser does).
 *
 * Values are expanded when the file is loaded: %(here)s is the absolute
 * directory of the config file, %% is a literal % (any other % is an
 * error, as in Python's configparser), ${VAR} and ${VAR:-default} come
 * from the environment (an unset VAR without a default is an empty string
 * and a warning). Everything after the '=' is
 * the value, verbatim: a ';' never starts a comment inside a value, so
 * "password = ab ;cd" is "ab ;cd". Comments are whole lines starting with
 * ';' or '#'. Overrides (-x KEY=VALUE, --url) are applied afterwards with
 * config_set_arg() and config_set(), without expansion.
 *
 * Known keys of the main section and their defaults:
 *   script_location              %(here)s/migrations
 *   version_locations            <script_location>/versions
 *   database_url, dev_url        (none)
 *   version_table                migrator_version  (at most 63 bytes)
 *   version_table_schema         (none)            (at most 63 bytes)
 *   transaction_per_migration    false
 *   recursive_version_locations  false
 *   lock_wait                    600s              (a duration)
 *   connect_timeout              10s               (a duration; 0 = none;
 *                                                  a URL's own wins)
 *   statement_lock_timeout       5s                (a duration; 0 = none)
 *   lock_retries                 3                 (0 to 1000)
 *   lock_strategy                (none: the dialect's choice; else
 *                                session, table or none)
 *   statement_timeout            0                 (a duration; 0 = off)
 *   max_script_bytes             (none: no limit)  (bytes, K, M or G)
 *   file_template                %(rev)s_%(slug)s
 *   reporter                     text
 *   plugin_path                  (none)
 *   schema_file                  %(here)s/schema.sql
 *   c_compiler                   cc
 *   c_flags                      (none)
 *   protected                    false
 * An unknown key in the main section is a warning, not an error, except
 * one that names a setting migrator makes another way (dialect: the URL's
 * scheme), which is refused. statement_timeout other than 0,
 * max_script_bytes and recursive_version_locations = true are not acted
 * on yet and are refused, not silently ignored. A file owned by anyone
 * but root or the effective user is refused (MGR_ETRUST), as plugins are.
 */
#ifndef MGR_CORE_CONFIG_H
#define MGR_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/migrator.h>

struct mgr_config;

/*
 * Load section (NULL: "migrator") of the file at path.
 *
 * Fails with MGR_ECONFIG, and a message "path:LINE: what is wrong" where a
 * line is involved, when the file cannot be read, a line is longer than
 * inih's limit, a line is not "key = value", "[section]" or a comment, a
 * key or section is given twice, a value is not valid UTF-8, an expansion
 * is malformed, the section is missing, or a known key has a bad value.
 * Fails with MGR_ETRUST when the file is writable by group or others or
 * owned by another user than root or the effective user.
 * Warns (MGR_WARN) about unknown keys, unset environment variables and a
 * password in a file that group or others can read.
 *
 * *cfg_out is set only on success; free it with config_free().
 */
int config_load(struct mgr_config **cfg_out, const char *path,
                    const char *section, struct mgr_error *err);

/*
 * A config with only the defaults, for commands run without a file. It
 * has no directory: relative paths (the default script_location is
 * "migrations") then resolve against the working directory.
 */
struct mgr_config *config_new_defaults(void);

/* Free cfg and everything it returned as borrowed. NULL does nothing. */
void config_free(struct mgr_config *cfg);

/*
 * The expanded value of key in the main section (a default when the file
 * does not set it), or NULL when the key is unset and has no default.
 * Borrowed until the key is set again or cfg is freed.
 */
const char *config_get(const struct mgr_config *cfg, const char *key);

/*
 * The expanded value of key in section (NULL: the main section), or NULL.
 * Only the main section has defaults. Borrowed, as config_get().
 */
const char *config_get_in(const struct mgr_config *cfg,
                              const char *section, const char *key);

/*
 * The keys of section (NULL: the main section, defaults included) in file
 * order, or NULL when there is no such section. NULL-terminated; free
 * with strv_list_free().
 */
char **config_keys(const struct mgr_config *cfg, const char *section);

/* The line of the file that sets key in the main section; 0 for a
 * default, an override or an unset key. */
int config_line(const struct mgr_config *cfg, const char *key);

/* The name of the main section ("migrator" unless -n chose another). */
const char *config_section(const struct mgr_config *cfg);

/*
 * Parse a boolean key: true/false, yes/no, on/off, 1/0, in any case.
 * MGR_ECONFIG when the value is anything else or the key is unset.
 */
int config_get_bool(const struct mgr_config *cfg, const char *key,
                        bool *value_out, struct mgr_error *err);

/*
 * Parse a duration key into milliseconds: a whole number followed by ms,
 * s, m or h, or by nothing (seconds): "600s", "10m", "1500ms", "2h", "30".
 * MGR_ECONFIG when the value is anything else or the key is unset.
 */
int config_get_duration_ms(const struct mgr_config *cfg, const char *key,
                               long *ms_out, struct mgr_error *err);
/* A whole number from 0 to 1000 (lock_retries). */
int config_get_count(const struct mgr_config *cfg, const char *key,
                     unsigned long *count_out, struct mgr_error *err);

/*
 * Parse a size key into bytes: a whole number, optionally followed by K,
 * M or G (powers of 1024). MGR_ECONFIG when the value is anything else or
 * the key is unset.
 */
int config_get_bytes(const struct mgr_config *cfg, const char *key,
                         size_t *bytes_out, struct mgr_error *err);

/*
 * Set (override) key in the main section; value is copied verbatim,
 * without expansion or validation. Setting script_location moves a
 * defaulted version_locations along with it.
 */
void config_set(struct mgr_config *cfg, const char *key,
                    const char *value);

/*
 * Apply one -x "KEY=VALUE" (split at the first '='). Every pair becomes
 * an x-argument (config_xarg()); a pair whose KEY is a known config
 * key also overrides that key, after the value is checked as the file's
 * would be. MGR_EUSAGE when there is no '=', the key is empty or the value
 * is bad for a known key.
 */
int config_set_arg(struct mgr_config *cfg, const char *key_value,
                       struct mgr_error *err);

/* The value of the last -x KEY=... given, or NULL. Borrowed. */
const char *config_xarg(const struct mgr_config *cfg, const char *key);

/* The number of -x arguments, and the i-th one in command-line order
 * (the key is returned, the value stored in *value_out; both borrowed). */
size_t config_xarg_count(const struct mgr_config *cfg);
const char *config_xarg_at(const struct mgr_config *cfg, size_t i,
                               const char **value_out);

/* Whether key is one of the known keys listed above. */
bool config_is_known_key(const char *key);

/* The config file's path as given and its absolute directory
 * (%(here)s); both NULL for config_new_defaults(). Borrowed. */
const char *config_path(const struct mgr_config *cfg);
const char *config_dir(const struct mgr_config *cfg);

/*
 * Split a list value (version_locations, plugin_path) on commas and
 * white space; relative entries are made absolute against the config
 * file's directory, never the working directory (for a config without a
 * file, against the working directory). Paths are cleaned lexically ("."
 * and ".." removed, as Python's os.path.abspath does). Returns a
 * NULL-terminated array, empty when the key is unset; free it with
 * strv_list_free().
 */
char **config_get_paths(const struct mgr_config *cfg, const char *key);

/* Free a NULL-terminated array of strings and its strings. NULL is ok. */
void strv_list_free(char **v);

#endif
