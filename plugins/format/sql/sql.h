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
 * "\n" or "\r\n". A NUL byte or invalid UTF-8 anywhere is an error
 * (script_text.h). The header's keys are read by header_keys.h.
 */
#ifndef FORMAT_SQL_SQL_H
#define FORMAT_SQL_SQL_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/plugin.h>

#include "fail.h"
#include "plugin_state.h"
#include "script_text.h"

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
int sql_parse_marker(const struct plugin_state *st, const char *path,
                     const struct sql_line *line, struct sql_marker *out,
                     struct mgr_error *err);

/* The message for text outside a section at line. */
int sql_fail_outside(const struct plugin_state *st, const char *path, int line,
                     struct mgr_error *err);

/* mgr_format_ops.parse_header and .run_section. */
int sql_parse_header(void *state, const char *path,
                     struct mgr_script_meta *meta, struct mgr_error *err);
int sql_run_section(void *state, const char *path, enum mgr_direction dir,
                    struct mgr_exec *x, struct mgr_error *err);

#endif
