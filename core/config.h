/*
 * config.h: migrator.ini, read with inih.
 *
 * One section ([migrator], or the one named by -n) becomes a key/value
 * map. Values are expanded when the file is loaded: %(here)s is the
 * directory of the config file, %% is a literal %, ${VAR} and
 * ${VAR:-default} come from the environment. Overrides (-x KEY=VALUE,
 * --url) are applied afterwards with mgr_config_set().
 */
#ifndef MGR_CORE_CONFIG_H
#define MGR_CORE_CONFIG_H

#include <stdbool.h>

#include <migrator/migrator.h>

struct mgr_config;

/*
 * Load section (NULL: "migrator") of the file at path. An unknown key is
 * a warning naming file:line; a syntax error, a missing file or section,
 * or a value that cannot be read exactly fails with MGR_ECONFIG and a
 * message starting "file:line: ". *cfg_out is set only on success.
 */
int mgr_config_load(struct mgr_config **cfg_out, const char *path,
                    const char *section, struct mgr_error *err);

/* A config with only the defaults, for commands run without a file. */
struct mgr_config *mgr_config_new_defaults(void);

void mgr_config_free(struct mgr_config *cfg);

/*
 * The expanded value of key (a default from DESIGN.md when the file does
 * not set it), or NULL when the key is unknown and unset. Borrowed.
 */
const char *mgr_config_get(const struct mgr_config *cfg, const char *key);

/* Parse a boolean key (true/false/yes/no/on/off/1/0). */
int mgr_config_get_bool(const struct mgr_config *cfg, const char *key,
                        bool *value_out, struct mgr_error *err);

/* Set (override) key; value is copied verbatim, without expansion. */
void mgr_config_set(struct mgr_config *cfg, const char *key,
                    const char *value);

/* Apply "KEY=VALUE"; MGR_EUSAGE when there is no '=' or no key. */
int mgr_config_set_arg(struct mgr_config *cfg, const char *key_value,
                       struct mgr_error *err);

/* The config file's path and directory (%(here)s); NULL for defaults. */
const char *mgr_config_path(const struct mgr_config *cfg);
const char *mgr_config_dir(const struct mgr_config *cfg);

/*
 * Split a list value (version_locations, plugin_path) on commas and
 * white space; relative entries are made absolute against the config
 * file's directory, never the working directory. Returns a
 * NULL-terminated array to free with mgr_strv_free().
 */
char **mgr_config_get_paths(const struct mgr_config *cfg, const char *key);
void mgr_strv_free(char **v);

#endif
