/* check_graph.c: building, validating and indexing the revision graph. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/migrator.h>

#include "graph.h"
#include "graphgen.h"

static struct revision_list revs;
static struct graph *g;

static void setup(void)
{
    memset(&revs, 0, sizeof(revs));
    g = NULL;
}

static void teardown(void)
{
    graph_free(g);
    revision_list_release(&revs);
}

static void build_ok(void)
{
    struct mgr_error err;
    int rc = graph_build(&g, revs.items, revs.len, &err);

    ck_assert_msg(rc == MGR_OK, "graph_build: %s", err.msg);
}

/* Build, expect MGR_EGRAPH with a message containing each of the texts. */
static void build_fails(const char *t1, const char *t2, const char *t3)
{
    struct mgr_error err;
    int rc;

    memset(&err, 0, sizeof(err));
    rc = graph_build(&g, revs.items, revs.len, &err);
    ck_assert_int_eq(rc, MGR_EGRAPH);
    ck_assert_ptr_null(g);
    ck_assert_int_eq(err.code, MGR_EGRAPH);
    ck_assert_int_eq(mgr_status_exit_code(rc), 2);
    ck_assert_msg(strstr(err.msg, t1), "'%s' not in '%s'", t1, err.msg);
    if (t2)
        ck_assert_msg(strstr(err.msg, t2), "'%s' not in '%s'", t2, err.msg);
    if (t3)
        ck_assert_msg(strstr(err.msg, t3), "'%s' not in '%s'", t3, err.msg);
}

static const char *ids(const size_t *v, size_t n)
{
    struct graph_list l = { (size_t *)v, n, n };

    return gg_ids(g, &l);
}

static const char *labels(const char *id)
{
    static char buf[256];
    const struct graph_node *nd = &g->nodes[graph_find(g, id)];
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < nd->nlabels; i++)
        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s",
                                 i ? "," : "", nd->labels[i]);
    return buf;
}

static size_t N(const char *id)
{
    size_t i = graph_find(g, id);

    ck_assert_msg(i != GRAPH_NONE, "no revision '%s'", id);
    return i;
}

/* The B01 graph: aaaa <- bbbb <- (c1c1 <- d1d1, c2c2). */
static void add_branched(void)
{
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, NULL);
    gg_add(&revs, "c1c1", "bbbb", NULL, NULL);
    gg_add(&revs, "c2c2", "bbbb", NULL, NULL);
    gg_add(&revs, "d1d1", "c1c1", NULL, NULL);
}

START_TEST(test_heads_bases_and_points)
{
    add_branched();
    gg_add(&revs, "mmmm", "d1d1,c2c2", NULL, NULL);
    gg_add(&revs, "eeee", "mmmm", NULL, NULL);
    gg_add(&revs, "zzzz", NULL, NULL, NULL);
    build_ok();
    ck_assert_str_eq(ids(g->heads, g->nheads), "eeee zzzz");
    ck_assert_str_eq(ids(g->real_heads, g->nreal_heads), "eeee zzzz");
    ck_assert_str_eq(ids(g->bases, g->nbases), "aaaa zzzz");
    ck_assert(graph_is_branch_point(g, N("bbbb")));
    ck_assert(!graph_is_branch_point(g, N("c1c1")));
    ck_assert(graph_is_merge_point(g, N("mmmm")));
    ck_assert(!graph_is_merge_point(g, N("eeee")));
    ck_assert(graph_is_base(g, N("zzzz")));
    ck_assert(!graph_is_base(g, N("bbbb")));
    ck_assert_str_eq(ids(g->nodes[N("bbbb")].next,
                         g->nodes[N("bbbb")].nnext), "c1c1 c2c2");
    ck_assert_str_eq(ids(g->nodes[N("mmmm")].down,
                         g->nodes[N("mmmm")].ndown), "d1d1 c2c2");
    ck_assert_str_eq(graph_id(g, N("eeee")), "eeee");
}
END_TEST

START_TEST(test_heads_in_map_order)
{
    /* Map order is file order, not id order. */
    gg_add(&revs, "zz01", NULL, NULL, NULL);
    gg_add(&revs, "aa01", NULL, NULL, NULL);
    gg_add(&revs, "mm01", "zz01", NULL, NULL);
    build_ok();
    ck_assert_str_eq(ids(g->heads, g->nheads), "aa01 mm01");
    ck_assert_str_eq(ids(g->bases, g->nbases), "zz01 aa01");
}
END_TEST

START_TEST(test_topological_order)
{
    /* Children listed before parents in the file. */
    gg_add(&revs, "dddd", "cccc,bbbb", NULL, NULL);
    gg_add(&revs, "cccc", "aaaa", "bbbb", NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, NULL);
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    build_ok();
    for (size_t k = 0; k < g->n; k++) {
        size_t x = g->topo[k];

        for (size_t j = k + 1; j < g->n; j++)
            for (size_t p = 0; p < g->nodes[x].nnorm; p++)
                ck_assert_uint_ne(g->nodes[x].norm[p], g->topo[j]);
    }
}
END_TEST

START_TEST(test_dependencies)
{
    gg_add(&revs, "a1a1", NULL, NULL, "alpha");
    gg_add(&revs, "a2a2", "a1a1", NULL, NULL);
    gg_add(&revs, "b1b1", NULL, NULL, "beta");
    gg_add(&revs, "b2b2", "b1b1", "a2a2", NULL);
    gg_add(&revs, "b3b3", "b2b2", NULL, NULL);
    build_ok();
    /* a2a2 is a versioned head only depended upon: an effective head. */
    ck_assert_str_eq(ids(g->heads, g->nheads), "a2a2 b3b3");
    ck_assert_str_eq(ids(g->real_heads, g->nreal_heads), "b3b3");
    ck_assert(graph_is_head(g, N("a2a2")));
    ck_assert(!graph_is_real_head(g, N("a2a2")));
    ck_assert_uint_eq(g->nodes[N("a2a2")].nnext, 0);
    ck_assert_str_eq(ids(g->nodes[N("a2a2")].all_next,
                         g->nodes[N("a2a2")].nall_next), "b2b2");
    ck_assert_str_eq(ids(g->nodes[N("b2b2")].norm,
                         g->nodes[N("b2b2")].nnorm), "b1b1 a2a2");
    ck_assert(!graph_is_merge_point(g, N("b2b2")));
}
END_TEST

START_TEST(test_dependency_on_label)
{
    gg_add(&revs, "a1a1", NULL, NULL, "alpha");
    gg_add(&revs, "a2a2", "a1a1", NULL, NULL);
    gg_add(&revs, "b1b1", NULL, "alpha", NULL);
    build_ok();
    /* A label names the labelled revision, not the branch head. */
    ck_assert_str_eq(ids(g->nodes[N("b1b1")].deps,
                         g->nodes[N("b1b1")].ndeps), "a1a1");
}
END_TEST

START_TEST(test_dependency_normalization)
{
    gg_add(&revs, "xxxx", NULL, NULL, NULL);
    gg_add(&revs, "yyyy", NULL, NULL, NULL);
    gg_add(&revs, "a1a1", NULL, NULL, NULL);
    gg_add(&revs, "a2a2", "a1a1", "xxxx", NULL);
    gg_add(&revs, "a3a3", "a2a2", "xxxx,yyyy,a1a1,a2a2", NULL);
    build_ok();
    /* xxxx is declared by the ancestor a2a2: dropped; a dependency on an
     * ancestor (a1a1) stays; one on a parent merges with the parent. */
    ck_assert_str_eq(ids(g->nodes[N("a3a3")].norm,
                         g->nodes[N("a3a3")].nnorm), "a2a2 yyyy a1a1");
    ck_assert_str_eq(ids(g->nodes[N("a3a3")].deps,
                         g->nodes[N("a3a3")].ndeps),
                     "xxxx yyyy a1a1 a2a2");
    /* The dropped edge still makes xxxx a real branch point's parent. */
    ck_assert_uint_eq(g->nodes[N("xxxx")].nall_next, 2);
}
END_TEST

START_TEST(test_labels_propagate)
{
    /* SEMANTICS.md S N04. */
    gg_add(&revs, "r0r0", NULL, NULL, NULL);
    gg_add(&revs, "r1r1", "r0r0", NULL, NULL);
    gg_add(&revs, "x1x1", "r1r1", NULL, "feat");
    gg_add(&revs, "x2x2", "x1x1", NULL, NULL);
    gg_add(&revs, "y1y1", "r1r1", NULL, NULL);
    gg_add(&revs, "l1l1", NULL, NULL, NULL);
    gg_add(&revs, "l2l2", "l1l1", NULL, NULL);
    gg_add(&revs, "l3l3", "l2l2", NULL, "mid");
    gg_add(&revs, "l4l4", "l3l3", NULL, NULL);
    build_ok();
    ck_assert_str_eq(labels("x1x1"), "feat");
    ck_assert_str_eq(labels("x2x2"), "feat");
    ck_assert_str_eq(labels("r1r1"), "");
    ck_assert_str_eq(labels("r0r0"), "");
    ck_assert_str_eq(labels("y1y1"), "");
    ck_assert_str_eq(labels("l1l1"), "mid");
    ck_assert_str_eq(labels("l2l2"), "mid");
    ck_assert_str_eq(labels("l4l4"), "mid");
    ck_assert(graph_has_label(g, N("l1l1"), "mid"));
    ck_assert(!graph_has_label(g, N("l1l1"), "feat"));
    ck_assert_uint_eq(graph_find_label(g, "mid"), N("l3l3"));
    ck_assert_uint_eq(graph_find_label(g, "nope"), GRAPH_NONE);
}
END_TEST

START_TEST(test_label_quirk_branch_above)
{
    /* S N07: a branch point above the labelled revision keeps the label
     * from its ancestors; a plain line carries it down to the base. */
    gg_add(&revs, "r0r0", NULL, NULL, NULL);
    gg_add(&revs, "r1r1", "r0r0", NULL, "L");
    gg_add(&revs, "r2r2", "r1r1", NULL, NULL);
    gg_add(&revs, "r3a1", "r2r2", NULL, NULL);
    gg_add(&revs, "r3b1", "r2r2", NULL, NULL);
    gg_add(&revs, "m0m0", NULL, NULL, NULL);
    gg_add(&revs, "m1m1", "m0m0", NULL, "M");
    gg_add(&revs, "m2m2", "m1m1", NULL, NULL);
    build_ok();
    ck_assert_str_eq(labels("r0r0"), "");
    ck_assert_str_eq(labels("r1r1"), "L");
    ck_assert_str_eq(labels("r3a1"), "L");
    ck_assert_str_eq(labels("r3b1"), "L");
    ck_assert_str_eq(labels("m0m0"), "M");
}
END_TEST

START_TEST(test_label_stops_at_dependants_and_merges)
{
    /* d1d1 has a dependant besides its child: a real branch point, so a
     * label above it does not reach it. */
    gg_add(&revs, "d0d0", NULL, NULL, NULL);
    gg_add(&revs, "d1d1", "d0d0", NULL, NULL);
    gg_add(&revs, "d2d2", "d1d1", NULL, "dl");
    gg_add(&revs, "o1o1", NULL, "d1d1", NULL);
    /* A label below a merge reaches the merge and above, not the other
     * parent; a label above a merge does not go below it. */
    gg_add(&revs, "p1p1", NULL, NULL, "pl");
    gg_add(&revs, "q1q1", NULL, NULL, "ql");
    gg_add(&revs, "mmmm", "p1p1,q1q1", NULL, NULL);
    gg_add(&revs, "m2m2", "mmmm", NULL, "top");
    build_ok();
    ck_assert_str_eq(labels("d2d2"), "dl");
    ck_assert_str_eq(labels("d1d1"), "");
    ck_assert_str_eq(labels("mmmm"), "pl,ql");
    ck_assert_str_eq(labels("m2m2"), "pl,ql,top");
    ck_assert_str_eq(labels("p1p1"), "pl");
    ck_assert_str_eq(labels("q1q1"), "ql");
}
END_TEST

START_TEST(test_several_labels_sorted)
{
    gg_add(&revs, "aaaa", NULL, NULL, "zeta,alpha");
    gg_add(&revs, "bbbb", "aaaa", NULL, "mid");
    build_ok();
    ck_assert_str_eq(labels("aaaa"), "alpha,mid,zeta");
    ck_assert_str_eq(labels("bbbb"), "alpha,mid,zeta");
}
END_TEST

START_TEST(test_prefix_index)
{
    const char *keys[8];
    size_t nodes[8];

    gg_add(&revs, "abc", NULL, NULL, NULL);
    gg_add(&revs, "abcd1234", "abc", NULL, NULL);
    gg_add(&revs, "abcd9999", "abc", NULL, "abcdlabel");
    gg_add(&revs, "ffff", "abc", NULL, NULL);
    build_ok();
    ck_assert_uint_eq(graph_prefix(g, "abcd", 8, keys, nodes), 3);
    ck_assert_str_eq(keys[0], "abcd1234");
    ck_assert_str_eq(keys[1], "abcd9999");
    ck_assert_str_eq(keys[2], "abcdlabel");
    ck_assert_uint_eq(nodes[2], N("abcd9999"));
    /* Keys of 3 characters or fewer never match a prefix. */
    ck_assert_uint_eq(graph_prefix(g, "ab", 8, keys, nodes), 3);
    ck_assert_uint_eq(graph_prefix(g, "abcd9", 1, keys, NULL), 1);
    ck_assert_uint_eq(graph_prefix(g, "zz", 8, NULL, NULL), 0);
    ck_assert_uint_eq(graph_find(g, "abc"), 0);
    ck_assert_uint_eq(graph_find(g, "abcd"), GRAPH_NONE);
}
END_TEST

START_TEST(test_marks)
{
    unsigned char m[8] = { 0 };
    size_t start;

    gg_add(&revs, "a1a1", NULL, NULL, NULL);
    gg_add(&revs, "a2a2", "a1a1", NULL, NULL);
    gg_add(&revs, "b1b1", NULL, NULL, NULL);
    gg_add(&revs, "b2b2", "b1b1", "a2a2", NULL);
    build_ok();
    start = N("b2b2");
    graph_mark_ancestors(g, &start, 1, false, m);
    ck_assert(m[N("b2b2")] && m[N("b1b1")] && !m[N("a2a2")]);
    /* Marked nodes count as visited: nothing new from them. */
    graph_mark_ancestors(g, &start, 1, true, m);
    ck_assert(!m[N("a2a2")]);
    memset(m, 0, sizeof(m));
    graph_mark_ancestors(g, &start, 1, true, m);
    ck_assert(m[N("a2a2")] && m[N("a1a1")]);
    memset(m, 0, sizeof(m));
    start = N("a1a1");
    graph_mark_descendants(g, &start, 1, false, m);
    ck_assert(m[N("a1a1")] && m[N("a2a2")] && !m[N("b2b2")]);
    memset(m, 0, sizeof(m));
    graph_mark_descendants(g, &start, 1, true, m);
    ck_assert(m[N("b2b2")] && !m[N("b1b1")]);
}
END_TEST

START_TEST(test_empty_graph)
{
    build_ok();
    ck_assert_uint_eq(g->n, 0);
    ck_assert_uint_eq(g->nheads, 0);
    ck_assert_uint_eq(g->nbases, 0);
    ck_assert_uint_eq(graph_find(g, "x"), GRAPH_NONE);
    graph_free(NULL);
}
END_TEST

START_TEST(test_list_helpers)
{
    struct graph_list l = GRAPH_LIST_INIT;

    for (size_t i = 0; i < 100; i++)
        graph_list_push(&l, i * 2);
    ck_assert_uint_eq(l.len, 100);
    ck_assert(graph_list_has(&l, 198));
    ck_assert(!graph_list_has(&l, 3));
    graph_list_reset(&l);
    ck_assert_uint_eq(l.len, 0);
    graph_list_release(&l);
    ck_assert_ptr_null(l.v);
}
END_TEST

/* ---- errors -------------------------------------------------------- */

START_TEST(test_error_missing_id)
{
    struct revision *r = gg_add(&revs, "aaaa", NULL, NULL, NULL);

    free(r->id);
    r->id = xstrdup("");
    build_fails("v/0000_aaaa.sql:3", "no 'Revision ID'", NULL);
}
END_TEST

START_TEST(test_error_reserved_ids)
{
    static const char *const words[] = { "head", "heads", "base",
                                         "current" };

    for (size_t i = 0; i < 4; i++) {
        setup();
        gg_add(&revs, "aaaa", NULL, NULL, NULL);
        gg_add(&revs, words[i], "aaaa", NULL, NULL);
        build_fails("v/0001_", "is reserved", words[i]);
        teardown();
    }
    setup();
}
END_TEST

START_TEST(test_error_bad_characters)
{
    gg_add(&revs, "a-b+c@d", NULL, NULL, NULL);
    build_fails("v/0000_a-b+c@d.sql:3", "character(s) '+-@'",
                "'a-b+c@d'");
}
END_TEST

START_TEST(test_error_colon_and_space)
{
    gg_add(&revs, "a:b c", NULL, NULL, NULL);
    build_fails("character(s) ' :'", NULL, NULL);
}
END_TEST

START_TEST(test_error_duplicate_id)
{
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, NULL);
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    build_fails("v/0002_aaaa.sql:3: duplicate revision id 'aaaa'",
                "v/0000_aaaa.sql:3", NULL);
}
END_TEST

START_TEST(test_error_self_loop)
{
    gg_add(&revs, "aaaa", "aaaa", NULL, NULL);
    build_fails("v/0000_aaaa.sql:3", "'aaaa' revises itself", NULL);
}
END_TEST

START_TEST(test_error_dependency_self_loop)
{
    gg_add(&revs, "aaaa", NULL, "aaaa", NULL);
    build_fails("v/0000_aaaa.sql:3", "'aaaa' depends on itself", NULL);
}
END_TEST

START_TEST(test_error_dependency_self_loop_by_label)
{
    gg_add(&revs, "aaaa", NULL, "mine", "mine");
    build_fails("depends on itself", "'mine'", NULL);
}
END_TEST

START_TEST(test_error_parent_twice)
{
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa,aaaa", NULL, NULL);
    build_fails("v/0001_bbbb.sql:3", "parent 'aaaa' twice", NULL);
}
END_TEST

START_TEST(test_error_unknown_parent)
{
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "zzzz", NULL, NULL);
    build_fails("v/0001_bbbb.sql:3", "revises 'zzzz'", "not present");
}
END_TEST

START_TEST(test_error_unknown_dependency)
{
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", "nosuch", NULL);
    build_fails("v/0001_bbbb.sql:3", "depends on 'nosuch'",
                "not a revision id or branch label");
}
END_TEST

START_TEST(test_error_label_twice)
{
    gg_add(&revs, "aaaa", NULL, NULL, "x");
    gg_add(&revs, "bbbb", NULL, NULL, "x");
    build_fails("v/0001_bbbb.sql:3: branch label 'x'",
                "already used by revision 'aaaa'", "v/0000_aaaa.sql:3");
}
END_TEST

START_TEST(test_error_label_twice_same_revision)
{
    gg_add(&revs, "aaaa", NULL, NULL, "x,x");
    build_fails("v/0000_aaaa.sql:3", "lists branch label 'x' twice", NULL);
}
END_TEST

START_TEST(test_error_label_is_an_id)
{
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, "aaaa");
    build_fails("v/0001_bbbb.sql:3", "branch label 'aaaa'",
                "already a revision id (v/0000_aaaa.sql:3)");
}
END_TEST

START_TEST(test_error_label_reserved_or_bad)
{
    gg_add(&revs, "aaaa", NULL, NULL, "heads");
    build_fails("branch label 'heads' is reserved", NULL, NULL);
    teardown();
    setup();
    gg_add(&revs, "aaaa", NULL, NULL, "a@b");
    build_fails("character(s) '@' not allowed in branch label 'a@b'", NULL,
                NULL);
}
END_TEST

START_TEST(test_error_cycle)
{
    /* S V01: no base at all. */
    gg_add(&revs, "aaaa", "bbbb", NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, NULL);
    build_fails("cycle in revisions", "'aaaa' (v/0000_aaaa.sql:3)",
                "'bbbb' (v/0001_bbbb.sql:3)");
}
END_TEST

START_TEST(test_error_cycle_above_base)
{
    /* S V02: the cycle hangs off a valid base. */
    gg_add(&revs, "r000", NULL, NULL, NULL);
    gg_add(&revs, "aaaa", "r000,cccc", NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, NULL);
    gg_add(&revs, "cccc", "bbbb", NULL, NULL);
    gg_add(&revs, "dddd", "r000", NULL, NULL);
    build_fails("cycle in revisions", "'bbbb'", "'cccc'");
}
END_TEST

START_TEST(test_error_dependency_cycle)
{
    gg_add(&revs, "a1a1", NULL, "b1b1", NULL);
    gg_add(&revs, "b1b1", NULL, "a1a1", NULL);
    build_fails("dependency cycle in revisions", "'a1a1'", "'b1b1'");
}
END_TEST

START_TEST(test_error_cycle_mixed_edges)
{
    /* Versioned edges are acyclic; one dependency closes the loop. */
    gg_add(&revs, "a1a1", NULL, "a3a3", NULL);
    gg_add(&revs, "a2a2", "a1a1", NULL, NULL);
    gg_add(&revs, "a3a3", "a2a2", NULL, NULL);
    build_fails("dependency cycle", "'a1a1'", "'a3a3'");
}
END_TEST

START_TEST(test_error_without_path)
{
    struct revision *r = gg_add(&revs, "aaaa", "aaaa", NULL, NULL);

    free(r->path);
    r->path = NULL;
    build_fails("revision 'aaaa': revision 'aaaa' revises itself", NULL,
                NULL);
}
END_TEST

/* ---- limits -------------------------------------------------------- */

START_TEST(test_ten_thousand_braided)
{
    char last[32];

    gg_braid(&revs, 10000, 50, last);
    build_ok();
    ck_assert_uint_eq(g->n, 10000);
    ck_assert_uint_eq(g->nheads, 1);
    ck_assert_str_eq(graph_id(g, g->heads[0]), last);
    ck_assert_uint_eq(g->nbases, 1);
    ck_assert(graph_is_merge_point(g, N(last)));
    ck_assert_uint_eq(graph_prefix(g, "r999", 20, NULL, NULL), 11);
}
END_TEST

START_TEST(test_many_bases_and_labels)
{
    char id[32], lab[32], dep[32];

    /* 2000 labelled chains of 5, each depending on the previous chain. */
    for (size_t c = 0; c < 2000; c++)
        for (size_t k = 0; k < 5; k++) {
            char prev[32];

            snprintf(id, sizeof(id), "c%zu_%zu", c, k);
            snprintf(prev, sizeof(prev), "c%zu_%zu", c, k - 1);
            snprintf(lab, sizeof(lab), "lab%zu", c);
            snprintf(dep, sizeof(dep), "lab%zu", c - 1);
            gg_add(&revs, id, k ? prev : NULL, k == 1 && c ? dep : NULL,
                   k == 2 ? lab : NULL);
        }
    build_ok();
    ck_assert_uint_eq(g->nbases, 2000);
    ck_assert_uint_eq(g->nheads, 2000);
    ck_assert_uint_eq(g->nreal_heads, 2000);
    ck_assert_str_eq(labels("c1999_0"), "lab1999");
    ck_assert_str_eq(labels("c7_4"), "lab7");
    /* c7_2 has a dependant: lab7 does not reach below it. */
    ck_assert_str_eq(labels("c7_0"), "");
}
END_TEST

static Suite *graph_suite(void)
{
    Suite *s = suite_create("graph");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_heads_bases_and_points);
    tcase_add_test(tc, test_heads_in_map_order);
    tcase_add_test(tc, test_topological_order);
    tcase_add_test(tc, test_dependencies);
    tcase_add_test(tc, test_dependency_on_label);
    tcase_add_test(tc, test_dependency_normalization);
    tcase_add_test(tc, test_labels_propagate);
    tcase_add_test(tc, test_label_quirk_branch_above);
    tcase_add_test(tc, test_label_stops_at_dependants_and_merges);
    tcase_add_test(tc, test_several_labels_sorted);
    tcase_add_test(tc, test_prefix_index);
    tcase_add_test(tc, test_marks);
    tcase_add_test(tc, test_empty_graph);
    tcase_add_test(tc, test_list_helpers);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_error_missing_id);
    tcase_add_test(tc, test_error_reserved_ids);
    tcase_add_test(tc, test_error_bad_characters);
    tcase_add_test(tc, test_error_colon_and_space);
    tcase_add_test(tc, test_error_duplicate_id);
    tcase_add_test(tc, test_error_self_loop);
    tcase_add_test(tc, test_error_dependency_self_loop);
    tcase_add_test(tc, test_error_dependency_self_loop_by_label);
    tcase_add_test(tc, test_error_parent_twice);
    tcase_add_test(tc, test_error_unknown_parent);
    tcase_add_test(tc, test_error_unknown_dependency);
    tcase_add_test(tc, test_error_label_twice);
    tcase_add_test(tc, test_error_label_twice_same_revision);
    tcase_add_test(tc, test_error_label_is_an_id);
    tcase_add_test(tc, test_error_label_reserved_or_bad);
    tcase_add_test(tc, test_error_cycle);
    tcase_add_test(tc, test_error_cycle_above_base);
    tcase_add_test(tc, test_error_dependency_cycle);
    tcase_add_test(tc, test_error_cycle_mixed_edges);
    tcase_add_test(tc, test_error_without_path);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_ten_thousand_braided);
    tcase_add_test(tc, test_many_bases_and_labels);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(graph_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
