/*
 * target.h: the revision identifier grammar, resolved against a graph.
 *
 *   heads            every real head (map order)
 *   head             the single versioned head (error if several)
 *   base             no revision (an empty list)
 *   <id>             a full id, or a unique prefix of more than 3
 *                    characters of an id or a branch label
 *   <label>          the revision that declares the label
 *   X@head, X@heads  the head(s) of the branch of X (X: label or id)
 *   X@base           base, narrowed to the branch of X
 *   X@<id>           <id>, which must be on the branch of X
 *   <sym>+N, <sym>-N walk N steps up or down from a symbol
 *   +N, -N, X@+N     relative to the current version rows: see plan.h
 *   start:end        ranges (offline mode, history -r)
 *
 * Errors are MGR_EREVISION with a message that says what to do next.
 * Pure code: no I/O.
 */
#ifndef MGR_CORE_TARGET_H
#define MGR_CORE_TARGET_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/migrator.h>

#include "graph.h"

/*
 * Resolve spec to zero or more revisions, appended to out (which is not
 * reset): "base" gives none. Forms relative to the current rows (+N, -N
 * and X@+N) are refused here; <sym>+N and <sym>-N walk from the symbol,
 * and a bare -N walks down from the script heads (as in history ranges).
 */
int target_resolve(const struct graph *g, const char *spec,
                   struct graph_list *out, struct mgr_error *err);

/*
 * As target_resolve, but the result must be at most one revision:
 * *idx_out is GRAPH_NONE for base. Several heads give an error that says
 * to use 'heads', a branch label or 'migrator merge'.
 */
int target_resolve_one(const struct graph *g, const char *spec,
                       size_t *idx_out, struct mgr_error *err);

/*
 * The current version rows, as read from the version table, resolved to
 * nodes (appended to out in the given order). An id that is not in the
 * graph is an error naming it.
 */
int target_rows(const struct graph *g, const char *const *rows, size_t nrows,
                struct graph_list *out, struct mgr_error *err);

/* Whether spec is a range ("start:end", either side may be empty). */
bool target_is_range(const char *spec);

/*
 * Split "start:end" at its ':' into two new strings (free() them); an
 * empty side gives an empty string. Exactly one ':' is allowed.
 */
int target_split_range(const char *spec, char **start_out, char **end_out,
                       struct mgr_error *err);

/*
 * `merge`: resolve each argument (ids, prefixes, labels, heads,
 * X@head...) into the parents of the merge revision, in resolution order.
 * Every parent must be a head unless splice; the same revision twice is
 * an error.
 */
int target_merge_parents(const struct graph *g, const char *const *args,
                         size_t nargs, bool splice, struct graph_list *out,
                         struct mgr_error *err);

/*
 * `revision --head SPEC` (default "head"): the parents of a new revision.
 * "base" gives none (a new root); several heads for "head" is an error
 * that says to name one, use a label, or merge. Each parent must be a
 * head unless splice.
 */
int target_revision_parents(const struct graph *g, const char *head,
                            bool splice, struct graph_list *out,
                            struct mgr_error *err);

/*
 * `revision --depends-on`: resolve each entry (id, prefix or label) to
 * the string to write into the new header: a label is kept as the label,
 * a prefix becomes the full id. The result points into the graph.
 */
int target_dependency(const struct graph *g, const char *spec,
                      const char **text_out, struct mgr_error *err);

/*
 * Whether id may name a new revision: not empty, at most 32 characters
 * of [A-Za-z0-9_], not reserved, not already an id or label in g (g may
 * be NULL). The same checks for a new branch label (any characters but
 * '@' and ':', not an id or label already).
 */
int target_check_new_id(const struct graph *g, const char *id,
                        struct mgr_error *err);
int target_check_new_label(const struct graph *g, const char *label,
                           struct mgr_error *err);

/*
 * For the planner (plan*.c): the destination of an upgrade, with +N,
 * X@+N and <sym>+N resolved against the current rows (nodes); "base"
 * gives none.
 */
int target_upgrade(const struct graph *g, const struct graph_list *rows,
                   const char *spec, struct graph_list *out,
                   struct mgr_error *err);

/* For the planner (plan*.c): the destination of a downgrade. */
struct target_down {
    size_t branch;       /* the revision X of "X@..." or GRAPH_NONE */
    size_t keep;         /* drop what is above this revision, or
                            GRAPH_NONE for base (when undo is too) */
    size_t undo;         /* drop this revision and what is above it (a
                            relative step that ends below a merge), or
                            GRAPH_NONE */
    const char *warning; /* static text, or NULL */
};

int target_downgrade(const struct graph *g, const struct graph_list *rows,
                     const char *spec, struct target_down *out,
                     struct mgr_error *err);

/*
 * mark[i] = 1 for every revision sharing lineage with one of nodes[]:
 * its ancestors and its descendants, inclusive (versioned edges, or both
 * kinds with with_deps). Returns a new array of g->n bytes (free() it).
 */
unsigned char *target_lineage(const struct graph *g, const size_t *nodes,
                              size_t n, bool with_deps);

#endif
