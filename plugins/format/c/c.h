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
 * Running a section checks the script's trust (the host's rules for
 * plugins), compiles the text the host read, if the build cache has no
 * module that migrator built from it, loads the module with libltdl after
 * the host's trust checks, and calls the direction's function with a
 * handle whose calls go to the host's exec_query.
 */
#ifndef FORMAT_C_C_H
#define FORMAT_C_C_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

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

/* ---- c_source.c -------------------------------------------------------- */

/* The text a module is built from: the script as the host read it. */
struct c_source {
    const char *path; /* the script; borrowed */
    const char *text; /* its bytes (the host's copy, or own) */
    size_t len;
    char *own;        /* the bytes read here, when the host has no copy */
    char sha256[65];  /* of text, lowercase hex */
};

/*
 * The text of path through the host's script_text (ABI 1.4: the bytes
 * the run checked and records the checksum of), else read from the file
 * once, and its SHA-256. Release with c_source_release().
 */
int c_source_read(const struct c_state *st, const char *path,
                  struct c_source *src, struct mgr_error *err);
void c_source_release(struct c_source *src);

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

/* Hex digits of the key in a module's name. */
#define C_NAME_HEX 32

/*
 * The key of src's module: the SHA-256 (hex) of everything that goes into
 * it: the text's SHA-256, the compiler, its flags, the include
 * directories and MGR_SCRIPT_API_VERSION.
 */
void c_module_key(const struct c_build *b, const struct c_source *src,
                  char key[65]);

/*
 * The name of src's module in the cache, appended to out (a host buffer):
 * "<script name>-<the key's first C_NAME_HEX digits>.so", the script's
 * name without ".c" and with any byte but [A-Za-z0-9._-] made '_'.
 */
void c_module_name(const struct c_state *st, const struct c_source *src,
                   const char *key, struct mgr_buf *out);

/*
 * Make sure the cache directory is fit (c_cache_ready), then use module
 * (a full path in it) only if the cache's manifest vouches for it: else
 * compile src into it (from a private copy) and record it. Then run the
 * host's trust checks on it. Compile errors are MGR_ESCRIPT with the
 * compiler's output; *compiled_out (may be NULL) says whether the
 * compiler ran.
 */
int c_build_module(const struct c_state *st, const struct c_build *b,
                   const struct c_source *src, const char *key,
                   const char *module, bool *compiled_out,
                   struct mgr_error *err);

/* ---- c_compile.c ------------------------------------------------------- */

/*
 * Compile src into module (a full path in b->cache_dir): its text is
 * written to a private copy (mode 0600, in a directory of mode 0700 made
 * in the cache), which the compiler reads, so a change to the script
 * during the build changes nothing; a "#line" directive in front of it
 * keeps the compiler's messages naming src->path. The module is renamed
 * into place complete, mode 0700.
 */
int c_compile(const struct c_state *st, const struct c_build *b,
              const struct c_source *src, const char *module,
              struct mgr_error *err);

/* ---- c_manifest.c ------------------------------------------------------ */

/* The manifest file in the cache. */
#define C_MANIFEST_NAME "manifest"

/*
 * The cache's record of the modules migrator built: per module, the key
 * it was built for, the SHA-256 of its bytes and the identity of the
 * file it was written to (device, inode, size, change time). A module
 * is used only when all of these match: a module that was copied,
 * committed, checked out or edited is not the file migrator wrote.
 */
struct c_manifest_entry {
    char *name;
    char key[65], sha256[65];
    unsigned long long dev, ino, size, ctime_sec, ctime_nsec;
};

struct c_manifest {
    char *path;
    int fd;          /* open and locked (flock LOCK_EX) */
    struct c_manifest_entry *v;
    size_t n;
};

/*
 * Open and lock the manifest of cache_dir, creating it (mode 0600). A
 * manifest that is not a regular file of the user's that only the user
 * may read and write is not migrator's: it is removed (with a warning)
 * and a new, empty one made, so every module is rebuilt. Then the host's
 * trust checks run on it, which covers every directory above it.
 */
int c_manifest_open(const struct c_state *st, const char *cache_dir,
                    struct c_manifest *mf, struct mgr_error *err);
/* Unlock, close and free. */
void c_manifest_close(struct c_manifest *mf);

/* Whether mf vouches for the file module (name: its last part) as the
 * module migrator built for key. */
bool c_manifest_vouches(const struct c_state *st,
                        const struct c_manifest *mf, const char *module,
                        const char *name, const char *key);

/*
 * Record module (just written by migrator) as built for key, and drop
 * the entries whose file is gone; then write the manifest.
 */
int c_manifest_record(const struct c_state *st, struct c_manifest *mf,
                      const char *module, const char *name,
                      const char *key, struct mgr_error *err);

/* The SHA-256 of the regular file path (not followed if a link) into
 * hex, and its stat in *sb. */
int c_file_sha256(const struct c_state *st, const char *path,
                  struct stat *sb, char hex[65], struct mgr_error *err);

/* ---- c_load.c ---------------------------------------------------------- */

/*
 * The loaded module of path for the run x: the script's trust checked
 * (before the compiler runs), built when the cache has no module that
 * migrator built from this text, loaded (once per process) and checked
 * to define both functions.
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
