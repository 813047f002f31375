/* check_target.c: the revision identifier grammar. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/migrator.h>

#include "graph.h"
#include "graphgen.h"
#include "target.h"

static struct revision_list revs;
static struct graph *g;

/* Two labelled bases (S N01): alpha a1a1-a2a2-a3a3, beta b1b1-b2b2. */
static void setup_labels(void)
{
    struct mgr_error err;

    memset(&revs, 0, sizeof(revs));
    gg_add(&revs, "a1a1", NULL, NULL, "alpha");
    gg_add(&revs, "a2a2", "a1a1", NULL, NULL);
    gg_add(&revs, "a3a3", "a2a2", NULL, NULL);
    gg_add(&revs, "b1b1", NULL, NULL, "beta");
    gg_add(&revs, "b2b2", "b1b1", NULL, NULL);
    ck_assert_int_eq(graph_build(&g, revs.items, revs.len, &err), MGR_OK);
}

/* A branch and a merge (S M01), plus ids sharing a prefix. */
static void setup_merge(void)
{
    struct mgr_error err;

    memset(&revs, 0, sizeof(revs));
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, NULL);
    gg_add(&revs, "c1c1", "bbbb", NULL, NULL);
    gg_add(&revs, "c2c2", "bbbb", NULL, NULL);
    gg_add(&revs, "d1d1", "c1c1", NULL, NULL);
    gg_add(&revs, "mmmm", "d1d1,c2c2", NULL, NULL);
    gg_add(&revs, "eeee", "mmmm", NULL, NULL);
    gg_add(&revs, "dead0001", NULL, NULL, NULL);
    gg_add(&revs, "dead0002", "dead0001", NULL, NULL);
    gg_add(&revs, "dead0003", "dead0001", NULL, NULL);
    ck_assert_int_eq(graph_build(&g, revs.items, revs.len, &err), MGR_OK);
}

static void teardown(void)
{
    graph_free(g);
    g = NULL;
    revision_list_release(&revs);
}

static void resolve_ok(const char *spec, const char *want)
{
    struct graph_list l = GRAPH_LIST_INIT;
    struct mgr_error err;
    int rc = target_resolve(g, spec, &l, &err);

    ck_assert_msg(rc == MGR_OK, "'%s': %s", spec, err.msg);
    ck_assert_msg(strcmp(gg_ids(g, &l), want) == 0, "'%s' gave '%s', not '%s'",
                  spec, gg_ids(g, &l), want);
    graph_list_release(&l);
}

static void check_msg(int rc, const struct mgr_error *err, const char *spec,
                      const char *t1, const char *t2)
{
    ck_assert_msg(rc == MGR_EREVISION, "'%s' gave %d", spec, rc);
    ck_assert_int_eq(err->code, MGR_EREVISION);
    ck_assert_int_eq(mgr_status_exit_code(rc), 2);
    ck_assert_msg(strstr(err->msg, t1), "'%s': '%s' not in '%s'", spec, t1,
                  err->msg);
    if (t2)
        ck_assert_msg(strstr(err->msg, t2), "'%s': '%s' not in '%s'", spec,
                      t2, err->msg);
}

static void resolve_err(const char *spec, const char *t1, const char *t2)
{
    struct graph_list l = GRAPH_LIST_INIT;
    struct mgr_error err;

    memset(&err, 0, sizeof(err));
    check_msg(target_resolve(g, spec, &l, &err), &err, spec, t1, t2);
    graph_list_release(&l);
}

static const char *rows_of(const char *csv, struct graph_list *rows)
{
    size_t n;
    char **v = gg_split(csv, &n);

    graph_list_reset(rows);
    for (size_t i = 0; i < n; i++) {
        graph_list_push(rows, graph_find(g, v[i]));
        free(v[i]);
    }
    free(v);
    return csv;
}

static void upgrade_ok(const char *rowcsv, const char *spec, const char *want)
{
    struct graph_list rows = GRAPH_LIST_INIT, l = GRAPH_LIST_INIT;
    struct mgr_error err;
    int rc;

    rows_of(rowcsv, &rows);
    rc = target_upgrade(g, &rows, spec, &l, &err);
    ck_assert_msg(rc == MGR_OK, "'%s': %s", spec, err.msg);
    ck_assert_msg(strcmp(gg_ids(g, &l), want) == 0, "'%s' gave '%s'", spec,
                  gg_ids(g, &l));
    graph_list_release(&rows);
    graph_list_release(&l);
}

static void upgrade_err(const char *rowcsv, const char *spec, const char *t1,
                        const char *t2)
{
    struct graph_list rows = GRAPH_LIST_INIT, l = GRAPH_LIST_INIT;
    struct mgr_error err;

    rows_of(rowcsv, &rows);
    check_msg(target_upgrade(g, &rows, spec, &l, &err), &err, spec, t1, t2);
    graph_list_release(&rows);
    graph_list_release(&l);
}

static const char *name(size_t i)
{
    return i == GRAPH_NONE ? "-" : graph_id(g, i);
}

/* keep/undo/branch of a downgrade target, as "keep undo branch". */
static void downgrade_ok(const char *rowcsv, const char *spec,
                         const char *want, bool warned)
{
    struct graph_list rows = GRAPH_LIST_INIT;
    struct target_down td;
    struct mgr_error err;
    char got[128];
    int rc;

    rows_of(rowcsv, &rows);
    rc = target_downgrade(g, &rows, spec, &td, &err);
    ck_assert_msg(rc == MGR_OK, "'%s': %s", spec, err.msg);
    snprintf(got, sizeof(got), "%s %s %s", name(td.keep), name(td.undo),
             name(td.branch));
    ck_assert_msg(strcmp(got, want) == 0, "'%s' gave '%s'", spec, got);
    ck_assert_int_eq(td.warning != NULL, warned);
    graph_list_release(&rows);
}

static void downgrade_err(const char *rowcsv, const char *spec,
                          const char *t1, const char *t2)
{
    struct graph_list rows = GRAPH_LIST_INIT;
    struct target_down td;
    struct mgr_error err;

    rows_of(rowcsv, &rows);
    check_msg(target_downgrade(g, &rows, spec, &td, &err), &err, spec, t1,
              t2);
    graph_list_release(&rows);
}

/* ---- absolute identifiers ----------------------------------------- */

START_TEST(test_ids_labels_prefixes)
{
    resolve_ok("a2a2", "a2a2");
    resolve_ok("alpha", "a1a1");  /* the labelled revision, not its head */
    resolve_ok("alp", "a1a1");    /* labels match as prefixes too */
    resolve_ok("b2b2", "b2b2");
    resolve_ok("base", "");
    resolve_ok("", "");
    resolve_ok("heads", "a3a3 b2b2");
}
END_TEST

START_TEST(test_symbols_with_branch)
{
    resolve_ok("alpha@head", "a3a3");
    resolve_ok("beta@heads", "b2b2");
    resolve_ok("alpha@base", "");
    resolve_ok("alpha@a2a2", "a2a2");
    resolve_ok("a2a2@head", "a3a3"); /* a revision names its branch */
    resolve_ok("b1b1@b2b2", "b2b2");
    resolve_ok("alph@head", "a3a3"); /* branch by prefix */
}
END_TEST

START_TEST(test_relative_to_symbols)
{
    resolve_ok("a1a1+2", "a3a3");
    resolve_ok("a3a3-2", "a1a1");
    resolve_ok("a1a1-1", "");        /* below a base: base */
    resolve_ok("alpha@base+1", "a1a1");
    resolve_ok("beta@base+2", "b2b2");
    resolve_ok("-1", "a2a2 b1b1");   /* down from each script head */
    resolve_ok("beta@-1", "b1b1");
    resolve_ok("alpha@-2", "a1a1");
}
END_TEST

START_TEST(test_resolve_one)
{
    struct mgr_error err;
    size_t idx;

    ck_assert_int_eq(target_resolve_one(g, "beta@head", &idx, &err), MGR_OK);
    ck_assert_str_eq(graph_id(g, idx), "b2b2");
    ck_assert_int_eq(target_resolve_one(g, "base", &idx, &err), MGR_OK);
    ck_assert_uint_eq(idx, GRAPH_NONE);
    memset(&err, 0, sizeof(err));
    check_msg(target_resolve_one(g, "heads", &idx, &err), &err, "heads",
              "multiple heads are present ('a3a3', 'b2b2')",
              "use 'heads', a branch label, or 'migrator merge'");
    check_msg(target_resolve_one(g, "-1", &idx, &err), &err, "-1",
              "names several revisions ('a2a2', 'b1b1')", "name one");
}
END_TEST

START_TEST(test_head_and_heads_with_merge)
{
    resolve_ok("heads", "eeee dead0002 dead0003");
    resolve_ok("aaaa@head", "eeee");
    resolve_ok("dead0001@heads", "dead0002 dead0003");
    resolve_ok("eeee-1", "mmmm");
    resolve_ok("d1d1-2", "bbbb");
}
END_TEST

START_TEST(test_rows)
{
    struct graph_list l = GRAPH_LIST_INIT;
    const char *rows[] = { "b2b2", "a1a1", "b2b2" };
    const char *bad[] = { "a1a1", "zzzz" };
    struct mgr_error err;

    ck_assert_int_eq(target_rows(g, rows, 3, &l, &err), MGR_OK);
    ck_assert_str_eq(gg_ids(g, &l), "b2b2 a1a1");
    graph_list_reset(&l);
    check_msg(target_rows(g, bad, 2, &l, &err), &err, "rows",
              "names revision 'zzzz', which no script defines",
              "'migrator stamp'");
    graph_list_release(&l);
}
END_TEST

START_TEST(test_ranges)
{
    char *a, *b;
    struct mgr_error err;

    ck_assert(target_is_range("a:b"));
    ck_assert(target_is_range(":"));
    ck_assert(!target_is_range("head"));
    ck_assert_int_eq(target_split_range("base:a2a2", &a, &b, &err), MGR_OK);
    ck_assert_str_eq(a, "base");
    ck_assert_str_eq(b, "a2a2");
    free(a);
    free(b);
    ck_assert_int_eq(target_split_range(":x", &a, &b, &err), MGR_OK);
    ck_assert_str_eq(a, "");
    ck_assert_str_eq(b, "x");
    free(a);
    free(b);
    check_msg(target_split_range("a:b:c", &a, &b, &err), &err, "a:b:c",
              "invalid range 'a:b:c'", "[start]:[end]");
    ck_assert_ptr_null(a);
    check_msg(target_split_range("ab", &a, &b, &err), &err, "ab",
              "invalid range", NULL);
}
END_TEST

/* ---- errors -------------------------------------------------------- */

START_TEST(test_unknown_and_short)
{
    resolve_err("zzzz", "unknown revision or branch label 'zzzz'",
                "'migrator history'");
    resolve_err("zzz", "unknown revision or branch label 'zzz'",
                "a partial id needs at least 4 characters");
    /* The text may be short; the ids it matches must be longer. */
    resolve_ok("a1a", "a1a1");
    resolve_err("gamma@head", "unknown branch 'gamma'", NULL);
    resolve_err("gamma@base", "unknown branch 'gamma'", NULL);
}
END_TEST

START_TEST(test_not_on_branch)
{
    resolve_err("alpha@b2b2", "revision 'b2b2' is not on branch 'alpha'",
                "see 'migrator history'");
    resolve_err("beta@a2a", "no revision starting with 'a2a' is on branch "
                "'beta'", NULL);
}
END_TEST

START_TEST(test_relative_errors)
{
    resolve_err("+1", "'+1' is relative to the current revision",
                "upgrade and downgrade");
    resolve_err("a3a3+1", "relative revision 'a3a3+1' walks past the head",
                NULL);
    resolve_err("a1a1-2", "walks past the base", NULL);
    resolve_err("base+1", "ambiguous relative step: there are several bases",
                "'a1a1', 'b1b1'");
    resolve_err("a1a1-3", "walks past the base", NULL);
    resolve_err("current", "'current' names the database's revisions",
                NULL);
    resolve_err("a1a1:a2a2", "a range ('a1a1:a2a2') is not valid here",
                NULL);
}
END_TEST

START_TEST(test_ambiguous_prefix)
{
    resolve_err("dead", "ambiguous revision 'dead'",
                "'dead0001', 'dead0002', 'dead0003'; give more characters");
    resolve_ok("dead0002", "dead0002");
    resolve_ok("dead0001@dead0003", "dead0003");
    resolve_err("head", "multiple heads", NULL);
    resolve_err("dead0001@head", "branch 'dead0001' has multiple heads "
                "('dead0002', 'dead0003')", "'dead0001@heads'");
}
END_TEST

START_TEST(test_ambiguous_walks)
{
    resolve_err("bbbb+1", "'bbbb' is a branch point ('c1c1', 'c2c2' "
                "follow it)",
                "'<label>@+N'");
    resolve_err("mmmm-1", "'mmmm' is a merge of 'd1d1', 'c2c2'",
                "name the target revision");
}
END_TEST

START_TEST(test_errors_where_nothing_is_written)
{
    struct graph_list l = GRAPH_LIST_INIT;
    struct mgr_error err;

    graph_list_push(&l, 0);
    ck_assert_int_ne(target_resolve(g, "nosuch", &l, &err), MGR_OK);
    ck_assert_uint_eq(l.len, 1);
    graph_list_release(&l);
}
END_TEST

/* ---- merge, revision, dependencies, new names ---------------------- */

START_TEST(test_merge_parents)
{
    struct graph_list l = GRAPH_LIST_INIT;
    const char *heads[] = { "heads" };
    const char *two[] = { "dead0003", "eeee" };
    const char *dup[] = { "eeee", "heads" };
    const char *nothead[] = { "c1c1", "eeee" };
    struct mgr_error err;

    ck_assert_int_eq(target_merge_parents(g, heads, 1, false, &l, &err),
                     MGR_OK);
    ck_assert_str_eq(gg_ids(g, &l), "eeee dead0002 dead0003");
    graph_list_reset(&l);
    ck_assert_int_eq(target_merge_parents(g, two, 2, false, &l, &err),
                     MGR_OK);
    ck_assert_str_eq(gg_ids(g, &l), "dead0003 eeee");
    graph_list_reset(&l);
    check_msg(target_merge_parents(g, dup, 2, false, &l, &err), &err, "dup",
              "revision 'eeee' is given twice", NULL);
    graph_list_reset(&l);
    check_msg(target_merge_parents(g, nothead, 2, false, &l, &err), &err,
              "c1c1", "revision 'c1c1' is not a head", "--splice");
    graph_list_reset(&l);
    ck_assert_int_eq(target_merge_parents(g, nothead, 2, true, &l, &err),
                     MGR_OK);
    ck_assert_str_eq(gg_ids(g, &l), "c1c1 eeee");
    graph_list_release(&l);
}
END_TEST

START_TEST(test_revision_parents)
{
    struct graph_list l = GRAPH_LIST_INIT;
    struct mgr_error err;

    check_msg(target_revision_parents(g, NULL, false, &l, &err), &err,
              "head", "multiple heads are present; name the head to build "
              "on with --head", "('eeee', 'dead0002', 'dead0003')");
    ck_assert_int_eq(target_revision_parents(g, "base", false, &l, &err),
                     MGR_OK);
    ck_assert_uint_eq(l.len, 0);
    ck_assert_int_eq(target_revision_parents(g, "dead0002", false, &l,
                                             &err), MGR_OK);
    ck_assert_str_eq(gg_ids(g, &l), "dead0002");
    graph_list_reset(&l);
    check_msg(target_revision_parents(g, "bbbb", false, &l, &err), &err,
              "bbbb", "'bbbb' is not a head", NULL);
    graph_list_release(&l);
}
END_TEST

START_TEST(test_revision_parents_labels)
{
    struct graph_list l = GRAPH_LIST_INIT;
    struct mgr_error err;

    ck_assert_int_eq(target_revision_parents(g, "alpha@head", false, &l,
                                             &err), MGR_OK);
    ck_assert_str_eq(gg_ids(g, &l), "a3a3");
    graph_list_release(&l);
}
END_TEST

START_TEST(test_dependency_text)
{
    const char *t;
    struct mgr_error err;

    ck_assert_int_eq(target_dependency(g, "alpha", &t, &err), MGR_OK);
    ck_assert_str_eq(t, "alpha");
    ck_assert_int_eq(target_dependency(g, "alp", &t, &err), MGR_OK);
    ck_assert_str_eq(t, "a1a1");
    ck_assert_int_eq(target_dependency(g, "b2b2", &t, &err), MGR_OK);
    ck_assert_str_eq(t, "b2b2");
    check_msg(target_dependency(g, "base", &t, &err), &err, "base",
              "'base' is not a revision", NULL);
    check_msg(target_dependency(g, "zzzz", &t, &err), &err, "zzzz",
              "unknown revision", NULL);
}
END_TEST

START_TEST(test_new_names)
{
    struct mgr_error err;
    char longid[40];

    memset(longid, 'a', 33);
    longid[33] = '\0';
    ck_assert_int_eq(target_check_new_id(g, "abc_123", &err), MGR_OK);
    ck_assert_int_eq(target_check_new_id(NULL, "a1a1", &err), MGR_OK);
    check_msg(target_check_new_id(g, "r@1", &err), &err, "r@1",
              "character '@' not allowed in revision id 'r@1'", NULL);
    check_msg(target_check_new_id(g, "", &err), &err, "",
              "1 to 32 characters", NULL);
    check_msg(target_check_new_id(g, longid, &err), &err, "long",
              "1 to 32 characters", NULL);
    check_msg(target_check_new_id(g, "heads", &err), &err, "heads",
              "is reserved", NULL);
    check_msg(target_check_new_id(g, "a1a1", &err), &err, "a1a1",
              "already a revision id", NULL);
    check_msg(target_check_new_id(g, "alpha", &err), &err, "alpha",
              "already a branch label (of revision 'a1a1')", NULL);
    ck_assert_int_eq(target_check_new_label(g, "my-feature", &err), MGR_OK);
    check_msg(target_check_new_label(g, "a b", &err), &err, "a b",
              "character ' ' not allowed in branch label", NULL);
    check_msg(target_check_new_label(g, "", &err), &err, "",
              "empty branch label", NULL);
    check_msg(target_check_new_label(g, "beta", &err), &err, "beta",
              "already a branch label", NULL);
    check_msg(target_check_new_label(g, "base", &err), &err, "base",
              "reserved", NULL);
}
END_TEST

/* ---- upgrade and downgrade destinations ---------------------------- */

START_TEST(test_upgrade_relative)
{
    upgrade_ok("a1a1", "+2", "a3a3");
    upgrade_ok("a1a1,b1b1", "alpha@+1", "a2a2");
    upgrade_ok("a3a3", "beta@+1", "b1b1"); /* branch not applied: base */
    upgrade_ok("", "alpha@+2", "a2a2");
    upgrade_ok("", "a1a1+1", "a2a2");
    upgrade_ok("b2b2", "a3a3-1", "a2a2");
    upgrade_ok("b2b2", "alpha@a3a3-2", "a1a1");
    upgrade_ok("a1a1", "heads", "a3a3 b2b2");
    upgrade_ok("a1a1", "base", "");
}
END_TEST

START_TEST(test_upgrade_relative_errors)
{
    upgrade_err("", "+1", "there are several bases ('a1a1', 'b1b1')", NULL);
    upgrade_err("a1a1,b1b1", "+1", "'+1' is ambiguous: there are several "
                "current revisions ('a1a1', 'b1b1')", "'<label>@+1'");
    upgrade_err("a2a2", "+2", "relative revision '+2' goes past the head",
                "fewer than 2 revisions");
    upgrade_err("a2a2", "-1", "'-1' steps down",
                "use 'migrator downgrade -1'");
    upgrade_err("a2a2", "a3a3+1", "walks past the head", NULL);
    /* Going down, the symbol must be on the branch. */
    upgrade_err("a2a2", "beta@a3a3-1", "'a3a3' is not on branch 'beta'",
                NULL);
}
END_TEST

START_TEST(test_upgrade_branch_below_rows)
{
    /* The branch's revisions are applied only as ancestors of another
     * branch's row: start from their tip. */
    struct mgr_error err;

    teardown();
    memset(&revs, 0, sizeof(revs));
    gg_add(&revs, "r0r0", NULL, NULL, NULL);
    gg_add(&revs, "r1r1", "r0r0", NULL, NULL);
    gg_add(&revs, "x1x1", "r1r1", NULL, "feat");
    gg_add(&revs, "x2x2", "x1x1", NULL, NULL);
    gg_add(&revs, "y1y1", "r1r1", NULL, NULL);
    ck_assert_int_eq(graph_build(&g, revs.items, revs.len, &err), MGR_OK);
    upgrade_ok("y1y1", "feat@+1", "x1x1");
    upgrade_ok("y1y1", "feat@+2", "x2x2");
    upgrade_err("y1y1", "+1", "'+1' goes past the head", NULL);
}
END_TEST

START_TEST(test_downgrade_targets)
{
    downgrade_ok("a3a3", "-1", "a2a2 - a3a3", false);
    downgrade_ok("a3a3", "-3", "- - a3a3", false);
    downgrade_ok("a3a3,b2b2", "-1", "a2a2 - a3a3", true);
    downgrade_ok("a3a3,b2b2", "beta@-1", "b1b1 - b1b1", false);
    downgrade_ok("a3a3,b2b2", "alpha@a1a1", "a1a1 - a1a1", false);
    downgrade_ok("a3a3,b2b2", "base", "- - -", false);
    downgrade_ok("a3a3,b2b2", "beta@base", "- - b1b1", false);
    downgrade_ok("a3a3", "a3a3-2", "a1a1 - -", false);
    downgrade_ok("a3a3", "alpha@base+1", "a1a1 - a1a1", false);
}
END_TEST

START_TEST(test_downgrade_target_errors)
{
    downgrade_err("", "-1", "needs a current revision",
                  "nothing to downgrade");
    downgrade_err("a3a3", "-4", "relative revision '-4' goes below base",
                  NULL);
    downgrade_err("a3a3", "+1", "'+1' steps up",
                  "use 'migrator upgrade +1'");
    downgrade_err("a3a3", "gamma@-1", "unknown branch 'gamma'", NULL);
    downgrade_err("a3a3", "beta@-1",
                  "no current revision is on branch 'beta'", NULL);
    downgrade_err("a3a3", "a1a1+5", "walks past the head", NULL);
    downgrade_err("a3a3", "base+1", "there are several bases", NULL);
}
END_TEST

START_TEST(test_downgrade_at_merge)
{
    /* One step below a merge undoes the merge only. */
    downgrade_ok("mmmm", "-1", "- mmmm mmmm", false);
    downgrade_ok("eeee", "-2", "- mmmm eeee", false);
    downgrade_ok("eeee", "-1", "mmmm - eeee", false);
    downgrade_ok("mmmm", "mmmm-1", "- mmmm -", false);
    downgrade_ok("mmmm", "d1d1@-1", "- mmmm d1d1", false);
    downgrade_ok("mmmm", "c2c2@-1", "- mmmm c2c2", false);
    /* Further down, the walk must choose a side: an error. */
    downgrade_err("eeee", "-3", "'mmmm' is a merge of 'd1d1', 'c2c2'",
                  "name the target revision");
}
END_TEST

static Suite *target_suite(void)
{
    Suite *s = suite_create("target");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup_labels, teardown);
    tcase_add_test(tc, test_ids_labels_prefixes);
    tcase_add_test(tc, test_symbols_with_branch);
    tcase_add_test(tc, test_relative_to_symbols);
    tcase_add_test(tc, test_resolve_one);
    tcase_add_test(tc, test_rows);
    tcase_add_test(tc, test_ranges);
    tcase_add_test(tc, test_revision_parents_labels);
    tcase_add_test(tc, test_dependency_text);
    tcase_add_test(tc, test_new_names);
    tcase_add_test(tc, test_upgrade_relative);
    tcase_add_test(tc, test_upgrade_branch_below_rows);
    tcase_add_test(tc, test_downgrade_targets);
    suite_add_tcase(s, tc);

    tc = tcase_create("merges");
    tcase_add_checked_fixture(tc, setup_merge, teardown);
    tcase_add_test(tc, test_head_and_heads_with_merge);
    tcase_add_test(tc, test_merge_parents);
    tcase_add_test(tc, test_revision_parents);
    tcase_add_test(tc, test_downgrade_at_merge);
    tcase_add_test(tc, test_ambiguous_prefix);
    tcase_add_test(tc, test_ambiguous_walks);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup_labels, teardown);
    tcase_add_test(tc, test_unknown_and_short);
    tcase_add_test(tc, test_not_on_branch);
    tcase_add_test(tc, test_relative_errors);
    tcase_add_test(tc, test_errors_where_nothing_is_written);
    tcase_add_test(tc, test_upgrade_relative_errors);
    tcase_add_test(tc, test_downgrade_target_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(target_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
