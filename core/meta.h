/*
 * meta.h: the host side of mgr_host_api.meta_add. A format plugin reports
 * the raw header fields of one script; this module trims them, splits the
 * comma lists, validates identifiers and fills a struct revision.
 *
 * Rules (all failures are MGR_ESCRIPT with "path:line: ..." messages):
 *  - every value is trimmed of leading and trailing whitespace;
 *  - "Revision ID" is required (meta_finish) and must not be empty;
 *  - a revision id is 1 to META_ID_MAX characters from [A-Za-z0-9_];
 *  - "Revises" is a comma list of revision ids; empty means a base;
 *  - "Branch Labels" is a comma list of labels: 1 to META_LABEL_MAX
 *    characters from [A-Za-z0-9_-], not starting with '-' (so that a label
 *    never reads as a relative step like "-1"); this keeps '@', ':', ',',
 *    '+', '.' and whitespace out, which the identifier grammar uses;
 *  - "Depends On" is a comma list whose entries are ids or labels, so they
 *    follow the label rules;
 *  - "head", "heads", "base" and "current" are reserved: they are neither
 *    ids nor labels;
 *  - an empty entry in a list ("a,,b", "a,") and an entry listed twice are
 *    errors;
 *  - a field given twice is an error naming the line of the first; only
 *    MGR_META_DOC may repeat (its lines are joined with '\n').
 */
#ifndef MGR_CORE_META_H
#define MGR_CORE_META_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/plugin.h>

#include "revision.h"

#define META_ID_MAX 32    /* the version table's VARCHAR(32) */
#define META_LABEL_MAX 64

/*
 * The collector behind the opaque struct mgr_script_meta of plugin.h.
 * Storage is the caller's (usually on the stack); it owns no memory.
 */
struct mgr_script_meta {
    struct revision *rev; /* filled in place; borrowed */
    const char *path;     /* rev->path; borrowed */
    int line[MGR_META_DOC + 1]; /* line each field was first given, or 0 */
    int doc_blank;        /* blank DOC lines waiting for a non-blank one */
};

/*
 * Start collecting the header of path into rev, which must be zeroed (as
 * revision_list_add returns it). Sets rev->path to a copy of path and
 * message, doc and create_date to "". Whatever meta_add stores belongs to
 * rev and is freed by revision_release(), also after an error.
 */
void meta_init(struct mgr_script_meta *m, struct revision *rev,
               const char *path);

/*
 * mgr_host_api.meta_add: record one field as its format plugin found it.
 * value is not NUL-terminated (len bytes); line is 1-based. Returns MGR_OK
 * or MGR_ESCRIPT (an invalid or repeated field) with err filled.
 */
int meta_add(struct mgr_script_meta *m, enum mgr_meta_field field,
             const char *value, size_t len, int line, struct mgr_error *err);

/*
 * After parse_header returned MGR_OK: check the required fields ("Revision
 * ID") and tidy the description. Returns MGR_OK or MGR_ESCRIPT.
 */
int meta_finish(struct mgr_script_meta *m, struct mgr_error *err);

/*
 * Whether s (len bytes) is a valid revision id / branch label per the
 * rules above. Reserved words are neither.
 */
bool meta_valid_id(const char *s, size_t len);
bool meta_valid_label(const char *s, size_t len);

#endif
