/*
 * revision.h: one revision script's metadata, as its format plugin
 * reported it from the header. The graph (graph.h) is built from an array
 * of these; nothing here reads a script body.
 */
#ifndef MGR_CORE_REVISION_H
#define MGR_CORE_REVISION_H

#include <stddef.h>

struct mgr_loaded_plugin;

struct revision {
    char *id;           /* "Revision ID" */
    char **down;        /* "Revises", in the order written */
    size_t ndown;
    char **labels;      /* "Branch Labels" as declared (not propagated) */
    size_t nlabels;
    char **depends;     /* "Depends On": ids or labels, as written */
    size_t ndepends;
    char *message;      /* first header line, "" if none */
    char *doc;          /* further description lines, "" if none */
    char *create_date;  /* "Create Date", "" if none */

    char *path;         /* the script file */
    int id_line;        /* line of "Revision ID" in path */
    size_t order;       /* position in revision-map order (load order) */

    /* The format plugin that parsed it; NULL in graph-only tests. */
    const struct mgr_loaded_plugin *format;
};

/* A growable array of revisions, in revision-map order. */
struct revision_list {
    struct revision *items;
    size_t len;
    size_t alloc;
};

#define REVISION_LIST_INIT { NULL, 0, 0 }

/* Append an empty, zeroed revision and return it (order is set). */
struct revision *revision_list_add(struct revision_list *list);
void revision_release(struct revision *rev);
void revision_list_release(struct revision_list *list);

#endif
