/*
 * c.h: internals of the C script format (format_c). The plugin reaches
 * the host only through the struct mgr_host_api it was given.
 *
 * A script is a header in a leading C comment, then C code against
 * <migrator/script.h> that defines mgr_script_upgrade() and
 * mgr_script_downgrade(). The header reads as an SQL script's does: the
 * first text in the comment (on the opener's line or a later one) is the
 * message, lines up to the first key are the description, then come the
 * keys ("Revision ID: 3f2a9c1b7d10", "Revises: 9b1c0d2e4f56", any case).
 * Only blank lines may come before the comment. Inside it, a line's text
 * is what follows its leading blanks and one leading '*' (or "--", which
 * the revision template's ${branch_labels_line} writes). The header ends
 * with the comment; nothing after it is read when parsing.
 *
 * Running a section compiles the file, if its module is stale or missing,
 * into a build cache, loads the module with libltdl after the host's trust
 * checks, and calls the direction's function with a handle whose calls go
 * to the host's exec_query.
 */
#ifndef FORMAT_C_C_H
#define FORMAT_C_C_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/plugin.h>
#include <migrator/script.h>

#include "fail.h"

/* The two functions a script defines. */
#define C_SYM_UPGRADE "mgr_script_upgrade"
#define C_SYM_DOWNGRADE "mgr_script_downgrade"

/* The cache directory made next to the scripts (in their directory). */
#define C_CACHE_NAME ".migrator-cache"

typedef int (*c_script_fn)(struct mgr_script *s);

/* A loaded module, kept open until the plugin is unloaded. */
struct c_module {
    char *path; /* the module file in the cache */
    void *handle; /* lt_dlhandle */
    c_script_fn upgrade, downgrade;
};

struct c_state {
    const struct mgr_host_api *api;
    struct mgr_host *host;
    bool ltdl; /* lt_dlinit() succeeded: lt_dlexit() at fini */
    struct c_module **mods;
    size_t nmods;
};

/* ---- c_text.c ---------------------------------------------------------- */

/* malloc/realloc/strdup that abort on exhaustion, as the host's do. */
void *c_xmalloc(size_t n);
void *c_xrealloc(void *p, size_t n);
char *c_xstrdup(const char *s);
char *c_xstrndup(const char *s, size_t n);

/*
 * Split a command line setting (c_compiler, c_flags) into words at
 * blanks; '...' and "..." group words with blanks, and a backslash
 * outside single quotes takes the next character as it is. Appends the
 * words (c_xstrdup'ed) to *argv, growing *argc; the array stays
 * NULL-terminated. An unclosed quote fails (returns false).
 */
bool c_split_words(const char *s, char ***argv, size_t *argc);
void c_words_free(char **argv);

/* ---- c_header.c -------------------------------------------------------- */

/* mgr_format_ops.parse_header. */
int c_parse_header(void *state, const char *path,
                   struct mgr_script_meta *meta, struct mgr_error *err);

/* ---- c_build.c --------------------------------------------------------- */

/* How a script is built; see c_build_settings(). */
struct c_build {
    char **compiler; /* the compiler command, split into words */
    size_t ncompiler;
    char **flags;    /* c_flags, split into words */
    size_t nflags;
    const char *incdirs[2]; /* -I directories, static strings */
    size_t nincdirs;
    char *cache_dir; /* absolute */
};

/*
 * Work out how path (a script) is built for the run x: the compiler
 * (-x c_compiler, else $MIGRATOR_CC, else the config's c_compiler, else
 * "cc"), its flags (-x c_flags, $MIGRATOR_CFLAGS, the config's c_flags),
 * the include directories and the cache directory (-x c_cache_dir, else
 * $MIGRATOR_C_CACHE_DIR, else C_CACHE_NAME in the script's directory).
 * MGR_ECONFIG for a setting that does not split.
 */
int c_build_settings(const struct c_state *st, struct mgr_exec *x,
                     const char *path, struct c_build *b,
                     struct mgr_error *err);
void c_build_release(struct c_build *b);

/*
 * The name of path's module in the cache: "<script name>-<hash>.so",
 * hash over the source bytes, the compiler, its flags, the include
 * directories and MGR_SCRIPT_API_VERSION (16 hex digits of FNV-1a),
 * appended to out (a host buffer: api->buf_init).
 */
int c_module_name(const struct c_state *st, const struct c_build *b,
                  const char *path, struct mgr_buf *out,
                  struct mgr_error *err);

/*
 * Make sure the cache directory exists (mode 0700), is a directory and
 * not a link, is owned by the user and writable by nobody else; compile
 * path into module (a full path in it) unless it is there already;
 * then run the host's trust checks on it. Compile errors are
 * MGR_ESCRIPT with the compiler's output; *compiled_out (may be NULL)
 * says whether the compiler ran.
 */
int c_build_module(const struct c_state *st, const struct c_build *b,
                   const char *path, const char *module, bool *compiled_out,
                   struct mgr_error *err);

/*
 * The loaded module of path for the run x: build it when stale, load it
 * (once per process) and check that it defines both functions.
 */
int c_module_get(struct c_state *st, struct mgr_exec *x, const char *path,
                 const struct c_module **mod_out, struct mgr_error *err);

/* Unload every module (at fini). */
void c_modules_close(struct c_state *st);

/* ---- c_script.c -------------------------------------------------------- */

/*
 * Call fn (the direction dir of path's module) with a handle on x: the
 * first failure of a call, or fn returning non-zero (MGR_EDB "upgrade of
 * 'path' returned N"), fails.
 */
int c_script_call(const struct c_state *st, struct mgr_exec *x,
                  const char *path, enum mgr_direction dir, c_script_fn fn,
                  struct mgr_error *err);

/* ---- format_c.c -------------------------------------------------------- */

/* mgr_format_ops.run_section. */
int c_run_section(void *state, const char *path, enum mgr_direction dir,
                  struct mgr_exec *x, struct mgr_error *err);

#endif
