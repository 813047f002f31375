/*
 * graphgen.h: build revision lists for the graph, target and plan tests.
 * Header-only helpers shared by check_graph.c, check_target.c and
 * check_plan.c.
 */
#ifndef MGR_TESTS_GRAPHGEN_H
#define MGR_TESTS_GRAPHGEN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "plan.h"
#include "revision.h"
#include "util.h"

/* Split "a,b,c" ("" or NULL: none) into a new array. */
static inline char **gg_split(const char *s, size_t *n)
{
    char **v = NULL;

    *n = 0;
    if (!s || !*s)
        return NULL;
    for (;;) {
        const char *c = strchr(s, ',');
        size_t len = c ? (size_t)(c - s) : strlen(s);

        v = xreallocarray(v, *n + 1, sizeof(*v));
        v[(*n)++] = xstrndup(s, len);
        if (!c)
            break;
        s = c + 1;
    }
    return v;
}

/*
 * Append revision id with parents down, dependencies deps and branch
 * labels (comma lists, NULL for none). Its message is "rev <id>" and its
 * path "v/NNNN_<id>.sql" (NNNN: position), with the id on line 3.
 */
static inline struct revision *gg_add(struct revision_list *l, const char *id,
                                      const char *down, const char *deps,
                                      const char *labels)
{
    struct revision *r = revision_list_add(l);
    char buf[128];

    r->id = xstrdup(id);
    r->down = gg_split(down, &r->ndown);
    r->depends = gg_split(deps, &r->ndepends);
    r->labels = gg_split(labels, &r->nlabels);
    snprintf(buf, sizeof(buf), "rev %s", id);
    r->message = xstrdup(buf);
    r->doc = xstrdup("");
    r->create_date = xstrdup("");
    snprintf(buf, sizeof(buf), "v/%04zu_%s.sql", r->order, id);
    r->path = xstrdup(buf);
    r->id_line = 3;
    return r;
}

/*
 * n revisions "r0".."r<n-1>" in a line, except that every `every`
 * revisions the line forks into two branches of equal length that merge
 * again before the next fork. Returns the last revision's id in last
 * (size 32).
 */
static inline void gg_braid(struct revision_list *l, size_t n, size_t every,
                            char *last)
{
    char id[32], a[32], b[32], parents[80];

    snprintf(last, 32, "%s", "");
    for (size_t i = 0; i < n;) {
        size_t block = every && n - i >= every ? every : 1;

        if (block == 1 || block < 4) {
            snprintf(id, sizeof(id), "r%zu", i);
            gg_add(l, id, *last ? last : NULL, NULL, NULL);
            snprintf(last, 32, "%s", id);
            i++;
            continue;
        }
        /* fork point, two arms of (block - 2) / 2, merge */
        snprintf(id, sizeof(id), "r%zu", i++);
        gg_add(l, id, *last ? last : NULL, NULL, NULL);
        snprintf(a, sizeof(a), "%s", id);
        snprintf(b, sizeof(b), "%s", id);
        for (size_t k = 0; k < (block - 2) / 2; k++) {
            char prev[32];

            snprintf(prev, sizeof(prev), "%s", a);
            snprintf(a, sizeof(a), "r%zu", i++);
            gg_add(l, a, prev, NULL, NULL);
            snprintf(prev, sizeof(prev), "%s", b);
            snprintf(b, sizeof(b), "r%zu", i++);
            gg_add(l, b, prev, NULL, NULL);
        }
        snprintf(parents, sizeof(parents), "%s,%s", a, b);
        snprintf(id, sizeof(id), "r%zu", i++);
        gg_add(l, id, parents, NULL, NULL);
        snprintf(last, 32, "%s", id);
    }
}

/* Ids of a graph list joined by spaces, into a static buffer. */
static inline const char *gg_ids(const struct graph *g,
                                 const struct graph_list *l)
{
    static char buf[4096];
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < l->len && used < sizeof(buf); i++)
        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s",
                                 i ? " " : "", graph_id(g, l->v[i]));
    return buf;
}

/* "up:a down:b ..." and "INSERT a;UPDATE a b;DELETE a;" of a plan. */
static inline const char *gg_ran(const struct plan *p)
{
    static char buf[8192];
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < p->nsteps && used < sizeof(buf); i++)
        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s:%s",
                                 i ? " " : "",
                                 p->steps[i].dir == PLAN_UPGRADE ? "up" :
                                 p->steps[i].dir == PLAN_DOWNGRADE ? "down" :
                                                                     "stamp",
                                 p->steps[i].rev ? p->steps[i].rev->id :
                                                   "base");
    return buf;
}

static inline const char *gg_ops(const struct plan *p)
{
    static char buf[8192];
    size_t used = 0;

    buf[0] = '\0';
    if (p->purge)
        used += (size_t)snprintf(buf, sizeof(buf), "PURGE;");
    for (size_t i = 0; i < p->nsteps; i++)
        for (size_t k = 0; k < p->steps[i].nops && used < sizeof(buf); k++) {
            const struct plan_op *op = &p->steps[i].ops[k];

            if (op->kind == PLAN_INSERT)
                used += (size_t)snprintf(buf + used, sizeof(buf) - used,
                                         "INSERT %s;", op->to);
            else if (op->kind == PLAN_UPDATE)
                used += (size_t)snprintf(buf + used, sizeof(buf) - used,
                                         "UPDATE %s %s;", op->from, op->to);
            else
                used += (size_t)snprintf(buf + used, sizeof(buf) - used,
                                         "DELETE %s;", op->from);
        }
    return buf;
}

#endif
