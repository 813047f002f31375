/*
 * graph.h: the revision graph, built from the revisions the format plugins
 * read (revision.h), validated and indexed.
 *
 * A revision has two kinds of downward edge: its versioned parents
 * ("Revises") and its dependencies ("Depends On", ids or branch labels).
 * Revisions are identified by their index in the array given to
 * graph_build(), which is the revision-map order (file load order); that
 * order orders `heads` and breaks every tie in a traversal.
 *
 * Pure code: no I/O. All lists below are arrays of node indices.
 */
#ifndef MGR_CORE_GRAPH_H
#define MGR_CORE_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/migrator.h>

#include "revision.h"

/* "No revision": returned by lookups that find nothing. */
#define GRAPH_NONE ((size_t)-1)

/* A growable list of node indices. Initialise with GRAPH_LIST_INIT. */
struct graph_list {
    size_t *v;
    size_t len;
    size_t alloc;
};
#define GRAPH_LIST_INIT { NULL, 0, 0 }

void graph_list_push(struct graph_list *l, size_t idx);
bool graph_list_has(const struct graph_list *l, size_t idx);
void graph_list_reset(struct graph_list *l);
void graph_list_release(struct graph_list *l);

struct graph_node {
    const struct revision *rev;   /* borrowed from graph_build()'s input */
    size_t *down;                 /* versioned parents, as declared */
    size_t ndown;
    size_t *deps;                 /* resolved dependencies, as declared,
                                     without duplicates */
    size_t ndeps;
    size_t *norm;                 /* normalized parents: down, then the
                                     deps no versioned ancestor declared */
    size_t nnorm;
    size_t *next;                 /* versioned children, map order */
    size_t nnext;
    size_t *all_next;             /* children through either edge */
    size_t nall_next;
    const char **labels;          /* branch labels including propagated
                                     ones, sorted byte-wise; borrowed */
    size_t nlabels;
};

struct graph_index;

struct graph {
    struct graph_node *nodes;     /* nodes[i] describes revs[i] */
    size_t n;
    size_t *heads;                /* versioned heads (no versioned child),
                                     map order: what `heads` lists */
    size_t nheads;
    size_t *real_heads;           /* no child through either edge: what
                                     the symbol `heads` means */
    size_t nreal_heads;
    size_t *bases;                /* no versioned parent, map order */
    size_t nbases;
    size_t *topo;                 /* every node once, parents before
                                     children (both edge kinds) */
    struct graph_index *index;    /* private: ids, labels, prefixes */
};

/*
 * graph_build - build and validate the graph of revs[0..n-1]
 *
 * ARGUMENTS
 *   g_out  receives the graph, to be freed with graph_free()
 *   revs   the revisions in revision-map order; borrowed: they must
 *          outlive the graph and stay unchanged
 *   err    filled on failure
 *
 * RETURN
 *   MGR_OK, or MGR_EGRAPH with a message naming the file(s) for: an empty
 *   or reserved id (head, heads, base, current), a character of "@-+:" in
 *   an id, a duplicate id, a revision that revises or depends on itself,
 *   an unknown parent or dependency, a branch label used twice, equal to
 *   a revision id, reserved or containing '@' or ':', and cycles through
 *   Revises or Depends On. An empty array gives an empty graph.
 */
int graph_build(struct graph **g_out, const struct revision *revs, size_t n,
                struct mgr_error *err);
void graph_free(struct graph *g);

/* The revision with exactly this id, or GRAPH_NONE. */
size_t graph_find(const struct graph *g, const char *id);
/* The revision that declares this branch label, or GRAPH_NONE. */
size_t graph_find_label(const struct graph *g, const char *label);
/* The id of node i (borrowed from the revision). */
const char *graph_id(const struct graph *g, size_t i);

/*
 * The keys (ids and branch labels) of more than 3 characters that start
 * with prefix, in byte order: returns how many there are, and stores the
 * first max of them (key and node) in keys_out / nodes_out (either may be
 * NULL). A label's node is the revision that declares it.
 */
size_t graph_prefix(const struct graph *g, const char *prefix, size_t max,
                    const char **keys_out, size_t *nodes_out);

bool graph_is_head(const struct graph *g, size_t i);      /* versioned */
bool graph_is_real_head(const struct graph *g, size_t i); /* either edge */
bool graph_is_base(const struct graph *g, size_t i);
bool graph_is_branch_point(const struct graph *g, size_t i); /* >1 child */
bool graph_is_merge_point(const struct graph *g, size_t i);  /* >1 parent */
bool graph_has_label(const struct graph *g, size_t i, const char *label);

/*
 * Set mark[i] = 1 for every revision reachable from starts[] (inclusive)
 * downward (ancestors) or upward (descendants), through versioned edges
 * only or through both edge kinds (with_deps). mark has g->n entries and
 * is not cleared first: a node marked already counts as visited, with
 * what lies beyond it (so marks can accumulate over calls of one kind).
 * Linear in the part of the graph visited.
 */
void graph_mark_ancestors(const struct graph *g, const size_t *starts,
                          size_t nstarts, bool with_deps,
                          unsigned char *mark);
void graph_mark_descendants(const struct graph *g, const size_t *starts,
                            size_t nstarts, bool with_deps,
                            unsigned char *mark);

#endif
