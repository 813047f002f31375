/*
 * newscript.h: writing a new revision script (migrator revision, merge):
 * a fresh id, the file name from file_template, and the text from the
 * project's script template.
 */
#ifndef MGR_CORE_NEWSCRIPT_H
#define MGR_CORE_NEWSCRIPT_H

#include <stddef.h>

#include <migrator/migrator.h>

struct newscript {
    const char *id;
    const char *message;         /* may be empty */
    const char *const *parents;  /* Revises, in order */
    size_t nparents;
    const char *const *labels;
    size_t nlabels;
    const char *const *depends;
    size_t ndepends;
    const char *create_date;     /* "YYYY-MM-DD HH:MM:SS.ffffff" */
};

/* 12 lowercase hex digits from the system's random source. */
void newscript_make_id(char id_out[13]);

/* "Add users!" -> "add_users": lowercase [a-z0-9_], at most 40 chars. */
char *newscript_slug(const char *message);

/*
 * Expand file_template: %(rev)s, %(slug)s, %(year)d, %(month).2d,
 * %(day).2d, %(hour).2d, %(minute).2d, %(second).2d (from create_date's
 * parts). MGR_ECONFIG for another %(...)s name.
 */
int newscript_file_name(const char *file_template, const struct newscript *s,
                        const char *slug, struct mgr_buf *out,
                        struct mgr_error *err);

/*
 * MGR_EUSAGE, naming what ("message", "branch label"), when text could
 * end or extend the header it is written into: a newline or any other
 * control character (a "-- Revises: x" line, a "-- migrate:upgrade"
 * marker), or a star followed by a slash (the end of a C header
 * comment). Quotes are kept: inside a comment they are inert.
 */
int newscript_check_header_text(const char *what, const char *text,
                                struct mgr_error *err);

/*
 * MGR_ECONFIG when name (file_template expanded) would put the script
 * outside dir: empty, absolute, a ".." component, or a subdirectory that
 * resolves elsewhere.
 */
int newscript_check_file_name(const char *dir, const char *name,
                              struct mgr_error *err);

/*
 * Render the script template: ${message}, ${revision},
 * ${down_revision}, ${create_date}, ${branch_labels_line},
 * ${depends_on_line} (a whole "-- Key: value" line, or nothing). An
 * unknown ${name} is kept as written.
 */
void newscript_render(const char *tmpl, const struct newscript *s,
                      struct mgr_buf *out);

/* The template used when the project has no script.sql.tmpl. */
extern const char newscript_default_sql_template[];

#endif
