/*
 * revfmt.h: the text of `heads`, `current`, `branches`, `history` and
 * `show`, and of the "Running upgrade A -> B, message" lines, in
 * Alembic's formats (conformance/SEMANTICS.md section 6.1). Pure: text
 * is appended to a struct mgr_buf, each line ending in '\n'.
 *
 * Short form:
 *   [<parents> [(<deps>)] -> ]<rev>[ (<labels>)][ (head)][ (effective
 *   head)][ (current)][ (branchpoint)][ (mergepoint)][, <message>]
 * Verbose form (-v, show): a "Rev: ..." block, see revfmt_verbose().
 */
#ifndef MGR_CORE_REVFMT_H
#define MGR_CORE_REVFMT_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/migrator.h>

#include "graph.h"
#include "plan.h"

/* Parts of the short form. */
#define REVFMT_PARENTS 0x01u    /* "<parents> (deps) -> " */
#define REVFMT_LABELS 0x02u     /* " (labels)" */
#define REVFMT_HEAD 0x04u       /* " (head)", " (effective head)",
                                   " (current)" */
#define REVFMT_TREE 0x08u       /* " (branchpoint)", " (mergepoint)" */
#define REVFMT_DOC 0x10u        /* ", message" */

/* One short line (no newline) for node i. */
void revfmt_short(struct mgr_buf *out, const struct graph *g, size_t i,
                  unsigned parts, bool current);

/*
 * The verbose block for node i: "Rev: id[ (head)][ (branchpoint)]
 * [ (mergepoint)][ (current)]", "Merges:" or "Parent:", "Also depends
 * on:", "Branches into:", "Branch names:", "Path:", a blank line, the
 * message and description indented by 4 spaces, and a blank line.
 */
void revfmt_verbose(struct mgr_buf *out, const struct graph *g, size_t i,
                    bool current);

/* `heads [-v] [--resolve-dependencies]`. */
void revfmt_heads(struct mgr_buf *out, const struct graph *g, bool verbose,
                  bool resolve_dependencies);

/* `branches [-v]`: each branch point in history order, then its
 * children, then a blank line. */
void revfmt_branches(struct mgr_buf *out, const struct graph *g,
                     bool verbose);

/* `current [-v]` (without the "Current revision(s) for" line). */
int revfmt_current(struct mgr_buf *out, const struct graph *g,
                   const char *const *rows, size_t nrows, bool verbose,
                   struct mgr_error *err);

/*
 * `history [-r range] [-v] [-i]`. range may be NULL (everything); it must
 * contain ':'. rows are needed only when revfmt_history_needs_rows() says
 * so (a "current" bound or -i); otherwise pass NULL, 0.
 */
bool revfmt_history_needs_rows(const char *range, bool indicate_current);
int revfmt_history(struct mgr_buf *out, const struct graph *g,
                   const char *range, const char *const *rows, size_t nrows,
                   bool verbose, bool indicate_current,
                   struct mgr_error *err);

/* `show <spec>`: verbose blocks of each resolved revision; "current"
 * means the rows. */
int revfmt_show(struct mgr_buf *out, const struct graph *g, const char *spec,
                const char *const *rows, size_t nrows,
                struct mgr_error *err);

/*
 * The same listings one item at a time: fn gets each revision's node,
 * whether it is current, and its text (the lines above; borrowed for the
 * call). The functions above are these with fn appending to out.
 */
typedef void (*revfmt_item_fn)(void *ctx, size_t node, bool current,
                               const char *text);
void revfmt_heads_each(const struct graph *g, bool verbose,
                       bool resolve_dependencies, revfmt_item_fn fn,
                       void *ctx);
/* One item per branch point: its line, its children's, a blank line. */
void revfmt_branches_each(const struct graph *g, bool verbose,
                          revfmt_item_fn fn, void *ctx);
int revfmt_current_each(const struct graph *g, const char *const *rows,
                        size_t nrows, bool verbose, revfmt_item_fn fn,
                        void *ctx, struct mgr_error *err);
int revfmt_history_each(const struct graph *g, const char *range,
                        const char *const *rows, size_t nrows, bool verbose,
                        bool indicate_current, revfmt_item_fn fn, void *ctx,
                        struct mgr_error *err);
int revfmt_show_each(const struct graph *g, const char *spec,
                     const char *const *rows, size_t nrows,
                     revfmt_item_fn fn, void *ctx, struct mgr_error *err);

/*
 * "Running upgrade a1 -> b2" (with_doc adds ", message" for up/down
 * steps): "upgrade", "downgrade" or "stamp_revision", the from side and
 * the to side comma-joined; an empty side stays empty, as in
 * "Running upgrade  -> a1". No newline.
 */
void revfmt_step(struct mgr_buf *out, const struct plan_step *step,
                 bool with_doc);

#endif
