/* check_revfmt.c: the text of heads, current, branches, history, show. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/migrator.h>

#include "graph.h"
#include "graphgen.h"
#include "plan.h"
#include "revfmt.h"

static struct revision_list revs;
static struct graph *g;
static struct mgr_buf out;

static void setup(void)
{
    memset(&revs, 0, sizeof(revs));
    g = NULL;
    mgr_buf_init(&out, 0);
}

static void teardown(void)
{
    graph_free(g);
    g = NULL;
    revision_list_release(&revs);
    mgr_buf_release(&out);
}

static void build(void)
{
    struct mgr_error err;

    ck_assert_msg(graph_build(&g, revs.items, revs.len, &err) == MGR_OK,
                  "%s", err.msg);
}

static void add_depends(void)
{
    gg_add(&revs, "a1a1", NULL, NULL, "alpha");
    gg_add(&revs, "a2a2", "a1a1", NULL, NULL);
    gg_add(&revs, "b1b1", NULL, NULL, "beta");
    gg_add(&revs, "b2b2", "b1b1", "alpha,a2a2", NULL);
    gg_add(&revs, "b3b3", "b2b2", NULL, NULL);
}

static void add_merge(void)
{
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, NULL);
    gg_add(&revs, "c1c1", "bbbb", NULL, NULL);
    gg_add(&revs, "c2c2", "bbbb", NULL, NULL);
    gg_add(&revs, "d1d1", "c1c1", NULL, NULL);
    gg_add(&revs, "mmmm", "c2c2,d1d1", NULL, NULL);
}

static void short_is(size_t i, unsigned parts, bool current, const char *want)
{
    mgr_buf_reset(&out);
    revfmt_short(&out, g, i, parts, current);
    ck_assert_str_eq(out.buf, want);
}

#define ALL (REVFMT_PARENTS | REVFMT_LABELS | REVFMT_HEAD | REVFMT_TREE | \
             REVFMT_DOC)

START_TEST(test_short_forms)
{
    add_depends();
    build();
    short_is(graph_find(g, "b2b2"), ALL, false,
             "b1b1 (alpha, a2a2) -> b2b2 (beta), rev b2b2");
    short_is(graph_find(g, "a2a2"), ALL, false,
             "a1a1 -> a2a2 (alpha) (effective head), rev a2a2");
    short_is(graph_find(g, "a1a1"), ALL, true,
             "<base> -> a1a1 (alpha) (current), rev a1a1");
    short_is(graph_find(g, "b3b3"), REVFMT_LABELS | REVFMT_HEAD, false,
             "b3b3 (beta) (head)");
    short_is(graph_find(g, "b3b3"), 0, true, "b3b3");
    short_is(graph_find(g, "a2a2"), REVFMT_HEAD | REVFMT_TREE, false,
             "a2a2 (effective head)");
}
END_TEST

START_TEST(test_short_merge_and_branch)
{
    add_merge();
    build();
    short_is(graph_find(g, "mmmm"), ALL, false,
             "c2c2, d1d1 -> mmmm (head) (mergepoint), rev mmmm");
    short_is(graph_find(g, "bbbb"), ALL, false,
             "aaaa -> bbbb (branchpoint), rev bbbb");
    short_is(graph_find(g, "bbbb"), ALL & ~REVFMT_TREE, false,
             "aaaa -> bbbb, rev bbbb");
}
END_TEST

START_TEST(test_heads)
{
    add_depends();
    build();
    revfmt_heads(&out, g, false, false);
    ck_assert_str_eq(out.buf, "a2a2 (alpha) (effective head)\n"
                              "b3b3 (beta) (head)\n");
    mgr_buf_reset(&out);
    revfmt_heads(&out, g, false, true);
    ck_assert_str_eq(out.buf, "b3b3 (beta) (head)\n");
}
END_TEST

START_TEST(test_verbose_block)
{
    struct revision *r;

    add_depends();
    r = &revs.items[3];
    free(r->doc);
    r->doc = xstrdup("Revision ID: b2b2\nmore text");
    build();
    revfmt_verbose(&out, g, graph_find(g, "b2b2"), false);
    ck_assert_str_eq(out.buf,
                     "Rev: b2b2\n"
                     "Parent: b1b1\n"
                     "Also depends on: alpha, a2a2\n"
                     "Branch names: beta\n"
                     "Path: v/0003_b2b2.sql\n"
                     "\n"
                     "    rev b2b2\n"
                     "    \n"
                     "    Revision ID: b2b2\n"
                     "    more text\n"
                     "\n");
    mgr_buf_reset(&out);
    revfmt_verbose(&out, g, graph_find(g, "b3b3"), true);
    ck_assert_str_eq(out.buf, "Rev: b3b3 (head) (current)\n"
                              "Parent: b2b2\n"
                              "Branch names: beta\n"
                              "Path: v/0004_b3b3.sql\n"
                              "\n"
                              "    rev b3b3\n"
                              "\n");
}
END_TEST

START_TEST(test_verbose_merge_branch_and_empty)
{
    struct revision *r;

    add_merge();
    r = &revs.items[0];
    free(r->message);
    r->message = xstrdup("");
    build();
    revfmt_verbose(&out, g, graph_find(g, "mmmm"), false);
    ck_assert_str_eq(out.buf, "Rev: mmmm (head) (mergepoint)\n"
                              "Merges: c2c2, d1d1\n"
                              "Path: v/0005_mmmm.sql\n"
                              "\n"
                              "    rev mmmm\n"
                              "\n");
    mgr_buf_reset(&out);
    revfmt_verbose(&out, g, graph_find(g, "bbbb"), false);
    ck_assert(strstr(out.buf, "Rev: bbbb (branchpoint)\nParent: aaaa\n"
                              "Branches into: c1c1, c2c2\n") == out.buf);
    mgr_buf_reset(&out);
    revfmt_verbose(&out, g, graph_find(g, "aaaa"), false);
    ck_assert_str_eq(out.buf, "Rev: aaaa\nParent: <base>\n"
                              "Path: v/0000_aaaa.sql\n\n\n\n");
}
END_TEST

START_TEST(test_branches)
{
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, NULL);
    gg_add(&revs, "c1c1", "bbbb", NULL, NULL);
    gg_add(&revs, "c2c2", "bbbb", NULL, NULL);
    gg_add(&revs, "d1d1", "c1c1", NULL, NULL);
    build();
    revfmt_branches(&out, g, false);
    ck_assert_str_eq(out.buf, "bbbb (branchpoint)\n"
                              "     -> c1c1\n"
                              "     -> c2c2 (head)\n"
                              "\n");
    mgr_buf_reset(&out);
    revfmt_branches(&out, g, true);
    ck_assert_str_eq(out.buf, "Rev: bbbb (branchpoint)\n"
                              "Parent: aaaa\n"
                              "Branches into: c1c1, c2c2\n"
                              "Path: v/0001_bbbb.sql\n"
                              "\n"
                              "    rev bbbb\n"
                              "\n"
                              "     -> c1c1, rev c1c1\n"
                              "     -> c2c2 (head), rev c2c2\n"
                              "\n");
}
END_TEST

START_TEST(test_branches_none)
{
    gg_add(&revs, "p1p1", NULL, NULL, NULL);
    gg_add(&revs, "q1q1", NULL, NULL, NULL);
    build();
    revfmt_branches(&out, g, false);
    ck_assert_str_eq(out.buf, "");
}
END_TEST

START_TEST(test_current)
{
    const char *rows[] = { "b3b3" };
    const char *bad[] = { "nope" };
    struct mgr_error err;

    add_depends();
    build();
    ck_assert_int_eq(revfmt_current(&out, g, rows, 1, false, &err), MGR_OK);
    ck_assert_str_eq(out.buf, "a2a2 (effective head)\nb3b3 (head)\n");
    mgr_buf_reset(&out);
    ck_assert_int_eq(revfmt_current(&out, g, rows, 1, true, &err), MGR_OK);
    ck_assert(strncmp(out.buf, "Rev: a2a2 (head)\n", 17) == 0);
    mgr_buf_reset(&out);
    ck_assert_int_eq(revfmt_current(&out, g, bad, 1, false, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "'nope'") != NULL);
}
END_TEST

START_TEST(test_history)
{
    const char *rows[] = { "c1c1" };
    struct mgr_error err;

    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, NULL);
    gg_add(&revs, "c1c1", "bbbb", NULL, NULL);
    gg_add(&revs, "c2c2", "bbbb", NULL, NULL);
    gg_add(&revs, "d1d1", "c1c1", NULL, NULL);
    build();
    ck_assert_int_eq(revfmt_history(&out, g, NULL, rows, 1, false, true,
                                     &err), MGR_OK);
    ck_assert_str_eq(out.buf, "bbbb -> c2c2 (head), rev c2c2\n"
                              "c1c1 -> d1d1 (head), rev d1d1\n"
                              "bbbb -> c1c1 (current), rev c1c1\n"
                              "aaaa -> bbbb (branchpoint), rev bbbb\n"
                              "<base> -> aaaa, rev aaaa\n");
    mgr_buf_reset(&out);
    ck_assert_int_eq(revfmt_history(&out, g, "current:", rows, 1, false,
                                     false, &err), MGR_OK);
    ck_assert_str_eq(out.buf, "c1c1 -> d1d1 (head), rev d1d1\n"
                              "bbbb -> c1c1, rev c1c1\n");
    mgr_buf_reset(&out);
    ck_assert_int_eq(revfmt_history(&out, g, "c1c1:d1d1", NULL, 0, true,
                                     false, &err), MGR_OK);
    ck_assert(strncmp(out.buf, "Rev: d1d1 (head)\nParent: c1c1\n", 30) == 0);
    ck_assert(strstr(out.buf, "\nRev: c1c1\n") != NULL);
    mgr_buf_reset(&out);
    ck_assert_int_eq(revfmt_history(&out, g, "bbbb", NULL, 0, false, false,
                                     &err), MGR_EREVISION);
    ck_assert(strstr(err.msg, "history range 'bbbb' needs a ':'") != NULL);
    ck_assert_str_eq(out.buf, "");
}
END_TEST

START_TEST(test_history_needs_rows)
{
    ck_assert(revfmt_history_needs_rows(NULL, true));
    ck_assert(!revfmt_history_needs_rows(NULL, false));
    ck_assert(revfmt_history_needs_rows("current:", false));
    ck_assert(revfmt_history_needs_rows(":current", false));
    ck_assert(revfmt_history_needs_rows("base:current", false));
    ck_assert(!revfmt_history_needs_rows("currently:", false));
    ck_assert(!revfmt_history_needs_rows("a:b", false));
    ck_assert(!revfmt_history_needs_rows("current", false));
}
END_TEST

START_TEST(test_show)
{
    const char *rows[] = { "d1d1", "c2c2" };
    struct mgr_error err;

    add_merge();
    build();
    ck_assert_int_eq(revfmt_show(&out, g, "current", rows, 2, &err), MGR_OK);
    ck_assert(strncmp(out.buf, "Rev: d1d1\n", 10) == 0);
    ck_assert(strstr(out.buf, "\n\nRev: c2c2\n") != NULL);
    mgr_buf_reset(&out);
    ck_assert_int_eq(revfmt_show(&out, g, "base", NULL, 0, &err), MGR_OK);
    ck_assert_str_eq(out.buf, "");
    ck_assert_int_eq(revfmt_show(&out, g, "zzzz", NULL, 0, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "unknown revision") != NULL);
}
END_TEST

START_TEST(test_step_lines)
{
    struct plan p = PLAN_INIT;
    const char *rows[] = { "mmmm" };
    const char *dest[] = { "c2c2" };
    struct mgr_error err;

    add_merge();
    build();
    ck_assert_int_eq(plan_upgrade(g, NULL, 0, "bbbb", &p, &err), MGR_OK);
    revfmt_step(&out, &p.steps[0], true);
    ck_assert_str_eq(out.buf, "Running upgrade  -> aaaa, rev aaaa");
    mgr_buf_reset(&out);
    revfmt_step(&out, &p.steps[1], false);
    ck_assert_str_eq(out.buf, "Running upgrade aaaa -> bbbb");
    plan_release(&p);
    ck_assert_int_eq(plan_downgrade(g, rows, 1, "-1", &p, &err), MGR_OK);
    mgr_buf_reset(&out);
    revfmt_step(&out, &p.steps[0], true);
    ck_assert_str_eq(out.buf, "Running downgrade mmmm -> c2c2, d1d1, "
                              "rev mmmm");
    plan_release(&p);
    ck_assert_int_eq(plan_stamp(g, NULL, 0, dest, 1, false, &p, &err),
                     MGR_OK);
    mgr_buf_reset(&out);
    revfmt_step(&out, &p.steps[0], true);
    ck_assert_str_eq(out.buf, "Running stamp_revision  -> c2c2");
    plan_release(&p);
}
END_TEST

static Suite *revfmt_suite(void)
{
    Suite *s = suite_create("revfmt");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_short_forms);
    tcase_add_test(tc, test_short_merge_and_branch);
    tcase_add_test(tc, test_heads);
    tcase_add_test(tc, test_verbose_block);
    tcase_add_test(tc, test_verbose_merge_branch_and_empty);
    tcase_add_test(tc, test_branches);
    tcase_add_test(tc, test_branches_none);
    tcase_add_test(tc, test_current);
    tcase_add_test(tc, test_history);
    tcase_add_test(tc, test_history_needs_rows);
    tcase_add_test(tc, test_show);
    tcase_add_test(tc, test_step_lines);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(revfmt_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
