/*
 * sql.h: internals of the SQL script format (format_sql). The plugin
 * reaches the host only through the struct mgr_host_api it was given.
 *
 * A script is a header (the leading comment block) followed by sections:
 *
 *     -- add property financial metrics       <- message
 *     --
 *     -- A longer description, any number     <- description (doc) lines
 *     -- of lines.
 *     --
 *     -- Revision ID: 3f2a9c1b7d10            <- keys, case-insensitive
 *     -- Revises: 9b1c0d2e4f56
 *
 *     -- migrate:upgrade                      <- a section marker
 *     ALTER TABLE ...;
 *
 *     -- migrate:downgrade transaction=false  <- a marker with an option
 *     ...
 *
 * A marker starts in column 1 with "--", optional blanks, "migrate:",
 * then "upgrade" or "downgrade" and options ("transaction=true|false").
 * Before the first marker only comments and blank lines may appear. A
 * marker is recognised wherever a line starts with it, also inside a
 * multi-line string or dollar-quoted body: indent such a line.
 *
 * Files are UTF-8 (an optional BOM at offset 0 is skipped), lines end in
 * "\n" or "\r\n". A NUL byte or invalid UTF-8 anywhere is an error.
 * Columns in messages count characters from 1.
 */
#ifndef FORMAT_SQL_SQL_H
#define FORMAT_SQL_SQL_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/plugin.h>

struct sql_state {
    const struct mgr_host_api *api;
    struct mgr_host *host;
};

/* One line of a script, without its end of line ("\n" or "\r\n"). */
struct sql_line {
    const char *s;
    size_t len;
    int no; /* 1-based line number */
};

/* The options of one section marker. */
struct sql_marker {
    enum mgr_direction dir;
    unsigned flags; /* MGR_SECTION_* */
};

/* The UTF-8 byte order mark, skipped at offset 0. */
#define SQL_BOM "\xef\xbb\xbf"
#define SQL_BOM_LEN 3

/*
 * Fill err through api->error_set with a printf-style message; when errnum
 * is not 0, append ": strerror(errnum)" and record it as err->sys_errno.
 * Returns code.
 */
int sql_fail(const struct sql_state *st, struct mgr_error *err, int code,
             int errnum, const char *fmt, ...) MGR_PRINTF(5, 6);

/*
 * Check that line holds no NUL byte and is valid UTF-8 (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF). Fails with
 * MGR_ESCRIPT, "path:LINE: NUL byte" or "path:LINE:COL: invalid UTF-8",
 * COL counting characters from 1.
 */
int sql_check_text(const struct sql_state *st, const char *path,
                   const struct sql_line *line, struct mgr_error *err);

bool sql_is_blank(const struct sql_line *line);

/*
 * If line is a "--" comment (after optional blanks), store its text (after
 * "--", trimmed) and return true.
 */
bool sql_comment_text(const struct sql_line *line, const char **text_out,
                      size_t *len_out);

/* Whether line is a section marker ("--", blanks, "migrate:" at col 1). */
bool sql_is_marker(const struct sql_line *line);

/*
 * Parse a marker line: its section name and options. Fails with
 * MGR_ESCRIPT naming path and line for an unknown section, an unknown
 * option, a bad value or an option given twice.
 */
int sql_parse_marker(const struct sql_state *st, const char *path,
                     const struct sql_line *line, struct sql_marker *out,
                     struct mgr_error *err);

/*
 * If text ("Key: value", the text of a comment) names a known header key
 * (any case; a run of blanks matches the space in "Revision ID"), store its
 * field and the trimmed value after the colon, and return true.
 */
bool sql_header_key(const char *text, size_t len,
                    enum mgr_meta_field *field_out, const char **value_out,
                    size_t *vlen_out);

/* The message for text outside a section at line. */
int sql_fail_outside(const struct sql_state *st, const char *path, int line,
                     struct mgr_error *err);

/* mgr_format_ops.parse_header and .run_section. */
int sql_parse_header(void *state, const char *path,
                     struct mgr_script_meta *meta, struct mgr_error *err);
int sql_run_section(void *state, const char *path, enum mgr_direction dir,
                    struct mgr_exec *x, struct mgr_error *err);

#endif
