/*
 * check_plan.c: upgrade, downgrade and stamp plans, offline ranges, the
 * version-table changes, history order and the `current` set; and, on
 * random graphs, the step order against a direct transcription of
 * Alembic's topological sort (SEMANTICS.md 9.1).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/migrator.h>

#include "graph.h"
#include "graphgen.h"
#include "plan.h"
#include "target.h"

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
    g = NULL;
    revision_list_release(&revs);
}

static void build(void)
{
    struct mgr_error err;

    ck_assert_msg(graph_build(&g, revs.items, revs.len, &err) == MGR_OK,
                  "%s", err.msg);
}

/* S M07-like: bbbb forks into x, y, z; mmmm merges (x1x1, y1y1, z1z1). */
static void add_three_way(void)
{
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, NULL);
    gg_add(&revs, "x1x1", "bbbb", NULL, NULL);
    gg_add(&revs, "y1y1", "bbbb", NULL, NULL);
    gg_add(&revs, "z1z1", "bbbb", NULL, NULL);
    gg_add(&revs, "mmmm", "x1x1,y1y1,z1z1", NULL, NULL);
}

/* S D02: alpha a1a1-a2a2, beta b1b1-b2b2(depends a2a2)-b3b3. */
static void add_depends(void)
{
    gg_add(&revs, "a1a1", NULL, NULL, "alpha");
    gg_add(&revs, "a2a2", "a1a1", NULL, NULL);
    gg_add(&revs, "b1b1", NULL, NULL, "beta");
    gg_add(&revs, "b2b2", "b1b1", "a2a2", NULL);
    gg_add(&revs, "b3b3", "b2b2", NULL, NULL);
}

static void add_branched(void)
{
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, NULL);
    gg_add(&revs, "c1c1", "bbbb", NULL, NULL);
    gg_add(&revs, "c2c2", "bbbb", NULL, NULL);
    gg_add(&revs, "d1d1", "c1c1", NULL, NULL);
}

/* rows as a sorted, space-separated string */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *rows_text(const struct plan_rows *r)
{
    static char buf[1024];
    char **v = xreallocarray(NULL, r->len + 1, sizeof(*v));
    size_t used = 0;

    if (r->len) {
        memcpy(v, r->ids, r->len * sizeof(*v));
        qsort(v, r->len, sizeof(*v), cmp_str);
    }
    buf[0] = '\0';
    for (size_t i = 0; i < r->len; i++)
        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s",
                                 i ? " " : "", v[i]);
    free(v);
    return buf;
}

static void set_rows(struct plan_rows *r, const char *csv)
{
    size_t n;
    char **v = gg_split(csv, &n);

    plan_rows_clear(r);
    for (size_t i = 0; i < n; i++) {
        plan_rows_add(r, v[i]);
        free(v[i]);
    }
    free(v);
}

enum kind { UP, DOWN, STAMP, STAMP_PURGE };

/*
 * Plan kind from rows to target, check ran and ops, apply, and check the
 * rows after (sorted). target may list several stamp targets, by commas.
 */
static void expect(enum kind k, const char *rows, const char *target,
                   const char *ran, const char *ops, const char *after)
{
    struct plan_rows r = PLAN_ROWS_INIT;
    struct plan p = PLAN_INIT;
    struct mgr_error err;
    int rc;

    set_rows(&r, rows);
    if (k == UP) {
        rc = plan_upgrade(g, (const char *const *)r.ids, r.len, target, &p,
                          &err);
    } else if (k == DOWN) {
        rc = plan_downgrade(g, (const char *const *)r.ids, r.len, target,
                            &p, &err);
    } else {
        size_t n;
        char **t = gg_split(target, &n);

        rc = plan_stamp(g, (const char *const *)r.ids, r.len,
                        (const char *const *)t, n, k == STAMP_PURGE, &p,
                        &err);
        for (size_t i = 0; i < n; i++)
            free(t[i]);
        free(t);
    }
    ck_assert_msg(rc == MGR_OK, "%s: %s", target, err.msg);
    ck_assert_msg(strcmp(gg_ran(&p), ran) == 0, "%s ran '%s'", target,
                  gg_ran(&p));
    ck_assert_msg(strcmp(gg_ops(&p), ops) == 0, "%s ops '%s'", target,
                  gg_ops(&p));
    ck_assert_msg(plan_apply(&p, &r, &err) == MGR_OK, "%s", err.msg);
    ck_assert_msg(strcmp(rows_text(&r), after) == 0, "%s rows '%s'", target,
                  rows_text(&r));
    plan_release(&p);
    plan_rows_release(&r);
}

static void expect_err(enum kind k, const char *rows, const char *target,
                       const char *t1)
{
    struct plan_rows r = PLAN_ROWS_INIT;
    struct plan p = PLAN_INIT;
    struct mgr_error err;
    int rc;

    set_rows(&r, rows);
    memset(&err, 0, sizeof(err));
    if (k == UP)
        rc = plan_upgrade(g, (const char *const *)r.ids, r.len, target, &p,
                          &err);
    else
        rc = plan_downgrade(g, (const char *const *)r.ids, r.len, target,
                            &p, &err);
    ck_assert_int_eq(rc, MGR_EREVISION);
    ck_assert_msg(strstr(err.msg, t1), "'%s' not in '%s'", t1, err.msg);
    ck_assert_uint_eq(p.nsteps, 0);
    plan_release(&p);
    plan_rows_release(&r);
}

/* ---- upgrade and downgrade ----------------------------------------- */

START_TEST(test_three_way_merge)
{
    add_three_way();
    build();
    /* The last parent's side runs first (S M07). */
    expect(UP, "", "heads",
           "up:aaaa up:bbbb up:z1z1 up:y1y1 up:x1x1 up:mmmm",
           "INSERT aaaa;UPDATE aaaa bbbb;UPDATE bbbb z1z1;INSERT y1y1;"
           "INSERT x1x1;DELETE x1x1;DELETE y1y1;UPDATE z1z1 mmmm;",
           "mmmm");
    /* Undoing it gives one row per parent. */
    expect(DOWN, "mmmm", "x1x1", "down:mmmm",
           "INSERT x1x1;INSERT y1y1;UPDATE mmmm z1z1;", "x1x1 y1y1 z1z1");
    expect(DOWN, "mmmm", "-1", "down:mmmm",
           "INSERT x1x1;INSERT y1y1;UPDATE mmmm z1z1;", "x1x1 y1y1 z1z1");
    expect(DOWN, "x1x1,y1y1,z1z1", "bbbb", "down:x1x1 down:y1y1 down:z1z1",
           "DELETE x1x1;DELETE y1y1;UPDATE z1z1 bbbb;", "bbbb");
}
END_TEST

START_TEST(test_redundant_merge_parent)
{
    /* S M09: mmmm merges (aaaa, bbbb, cccc) where aaaa is below bbbb.
     * Only rows present are deleted (Alembic crashes here). */
    gg_add(&revs, "aaaa", NULL, NULL, NULL);
    gg_add(&revs, "bbbb", "aaaa", NULL, NULL);
    gg_add(&revs, "cccc", NULL, NULL, NULL);
    gg_add(&revs, "mmmm", "aaaa,bbbb,cccc", NULL, NULL);
    build();
    expect(UP, "", "heads", "up:cccc up:aaaa up:bbbb up:mmmm",
           "INSERT cccc;INSERT aaaa;UPDATE aaaa bbbb;DELETE bbbb;"
           "UPDATE cccc mmmm;",
           "mmmm");
    /* Undone: aaaa is covered by bbbb, so no row for it. */
    expect(DOWN, "mmmm", "-1", "down:mmmm", "INSERT bbbb;UPDATE mmmm cccc;",
           "bbbb cccc");
}
END_TEST

START_TEST(test_downgrade_below_merge_steps)
{
    add_branched();
    gg_add(&revs, "mmmm", "d1d1,c2c2", NULL, NULL);
    gg_add(&revs, "eeee", "mmmm", NULL, NULL);
    build();
    expect(DOWN, "eeee", "-2", "down:eeee down:mmmm",
           "UPDATE eeee mmmm;INSERT d1d1;UPDATE mmmm c2c2;", "c2c2 d1d1");
    expect(DOWN, "mmmm", "d1d1@-1", "down:mmmm",
           "INSERT d1d1;UPDATE mmmm c2c2;", "c2c2 d1d1");
    expect_err(DOWN, "eeee", "-3", "is a merge of 'd1d1', 'c2c2'");
    /* S M05: everything above bbbb, newest first. */
    expect(DOWN, "eeee", "bbbb",
           "down:eeee down:mmmm down:d1d1 down:c1c1 down:c2c2",
           "UPDATE eeee mmmm;INSERT d1d1;UPDATE mmmm c2c2;UPDATE d1d1 c1c1;"
           "DELETE c1c1;UPDATE c2c2 bbbb;",
           "bbbb");
}
END_TEST

START_TEST(test_depends_on)
{
    add_depends();
    build();
    expect(UP, "", "beta@head",
           "up:a1a1 up:a2a2 up:b1b1 up:b2b2 up:b3b3",
           "INSERT a1a1;UPDATE a1a1 a2a2;INSERT b1b1;DELETE b1b1;"
           "UPDATE a2a2 b2b2;UPDATE b2b2 b3b3;",
           "b3b3");
    /* Dependants come down with what they depend on; parents' order
     * decides which row is updated. */
    expect(DOWN, "b3b3", "alpha@base",
           "down:b3b3 down:b2b2 down:a2a2 down:a1a1",
           "UPDATE b3b3 b2b2;INSERT b1b1;UPDATE b2b2 a2a2;UPDATE a2a2 a1a1;"
           "DELETE a1a1;",
           "b1b1");
    expect(UP, "b1b1", "heads", "up:a1a1 up:a2a2 up:b2b2 up:b3b3",
           "INSERT a1a1;UPDATE a1a1 a2a2;DELETE b1b1;UPDATE a2a2 b2b2;"
           "UPDATE b2b2 b3b3;",
           "b3b3");
}
END_TEST

START_TEST(test_noops_and_invalid)
{
    add_branched();
    build();
    expect(UP, "d1d1", "bbbb", "", "", "d1d1");  /* an ancestor: nothing */
    expect(DOWN, "d1d1", "d1d1", "", "", "d1d1");
    expect(UP, "d1d1", "c2c2", "up:c2c2", "INSERT c2c2;", "c2c2 d1d1");
    expect(DOWN, "", "base", "", "", "");
    expect_err(DOWN, "c1c1", "d1d1", "cannot downgrade to 'd1d1'");
    expect_err(DOWN, "c1c1", "c2c2", "not below the current revision");
    expect_err(UP, "", "a:b", "valid only with --sql");
    expect_err(DOWN, "d1d1", "a:b", "valid only with --sql");
    expect_err(UP, "zzzz", "heads", "which no script defines");
    expect_err(UP, "d1d1,bbbb", "heads",
               "current revisions 'd1d1' and 'bbbb' overlap");
    expect_err(UP, "", "d1d1,c1c1", "unknown revision");
}
END_TEST

START_TEST(test_downgrade_branch_filter)
{
    /* S B06: X@target drops only the branch of X. */
    add_branched();
    build();
    expect(DOWN, "d1d1,c2c2", "c1c1@bbbb", "down:d1d1 down:c1c1",
           "UPDATE d1d1 c1c1;DELETE c1c1;", "c2c2");
    expect(DOWN, "d1d1,c2c2", "c1c1@-1", "down:d1d1", "UPDATE d1d1 c1c1;",
           "c1c1 c2c2");
    /* X@base still goes through the shared base. */
    expect(DOWN, "d1d1,c2c2", "c2c2@base",
           "down:c2c2 down:d1d1 down:c1c1 down:bbbb down:aaaa",
           "DELETE c2c2;UPDATE d1d1 c1c1;UPDATE c1c1 bbbb;UPDATE bbbb aaaa;"
           "DELETE aaaa;",
           "");
}
END_TEST

START_TEST(test_multi_row_minus_one_warns)
{
    struct plan p = PLAN_INIT;
    const char *rows[] = { "d1d1", "c2c2" };
    struct mgr_error err;

    add_branched();
    build();
    ck_assert_int_eq(plan_downgrade(g, rows, 2, "-1", &p, &err), MGR_OK);
    ck_assert_ptr_nonnull(p.warning);
    ck_assert_str_eq(gg_ran(&p), "down:d1d1");
    ck_assert_uint_eq(p.nstart, 2);
    ck_assert_str_eq(p.start[1], "c2c2");
    ck_assert_int_eq(p.dir, PLAN_DOWNGRADE);
    plan_release(&p);
    ck_assert_uint_eq(p.nsteps, 0);
}
END_TEST

START_TEST(test_running_sides)
{
    struct plan p = PLAN_INIT;
    struct mgr_error err;

    add_branched();
    gg_add(&revs, "mmmm", "d1d1,c2c2", "aaaa", NULL);
    build();
    ck_assert_int_eq(plan_upgrade(g, NULL, 0, "heads", &p, &err), MGR_OK);
    ck_assert_uint_eq(p.steps[0].nfrom, 0);
    ck_assert_str_eq(p.steps[0].to[0], "aaaa");
    /* Versioned parents only, no dependencies. */
    ck_assert_uint_eq(p.steps[p.nsteps - 1].nfrom, 2);
    ck_assert_str_eq(p.steps[p.nsteps - 1].from[1], "c2c2");
    ck_assert_ptr_eq(p.steps[p.nsteps - 1].rev, revs.items + 5);
    plan_release(&p);
}
END_TEST

/* ---- stamp ----------------------------------------------------------- */

START_TEST(test_stamp)
{
    add_branched();
    build();
    /* S B07, step by step. */
    expect(STAMP, "", "c1c1", "stamp:c1c1", "INSERT c1c1;", "c1c1");
    expect(STAMP, "c1c1", "c2c2", "stamp:c2c2", "INSERT c2c2;", "c1c1 c2c2");
    expect(STAMP, "c1c1,c2c2", "d1d1", "stamp:d1d1", "UPDATE c1c1 d1d1;",
           "c2c2 d1d1");
    expect(STAMP, "d1d1,c2c2", "bbbb", "stamp:bbbb",
           "DELETE d1d1;UPDATE c2c2 bbbb;", "bbbb");
    expect(STAMP, "bbbb", "heads", "stamp:c2c2 stamp:d1d1",
           "UPDATE bbbb c2c2;INSERT d1d1;", "c2c2 d1d1");
    expect(STAMP, "c2c2,d1d1", "base", "stamp:base stamp:base",
           "DELETE c2c2;DELETE d1d1;", "");
    expect(STAMP, "", "c1c1,c2c2", "stamp:c1c1 stamp:c2c2",
           "INSERT c1c1;INSERT c2c2;", "c1c1 c2c2");
    expect(STAMP_PURGE, "c1c1,c2c2,zzzz", "aaaa", "stamp:aaaa",
           "PURGE;INSERT aaaa;", "aaaa");
    expect(STAMP, "d1d1", "d1d1", "", "", "d1d1");
}
END_TEST

START_TEST(test_stamp_errors)
{
    struct plan p = PLAN_INIT;
    const char *head[] = { "head" };
    const char *rows[] = { "zzzz" };
    const char *c1[] = { "c1c1" };
    struct mgr_error err;

    add_branched();
    build();
    ck_assert_int_eq(plan_stamp(g, NULL, 0, head, 1, false, &p, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "multiple heads") != NULL);
    ck_assert_int_eq(plan_stamp(g, rows, 1, c1, 1, false, &p, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "'zzzz'") != NULL);
    ck_assert_uint_eq(p.nsteps, 0);
}
END_TEST

/* ---- offline --------------------------------------------------------- */

static void offline(int kind, const char *range, const char *start,
                    const char *ran, const char *ops)
{
    struct plan p = PLAN_INIT;
    struct mgr_error err;
    int rc;

    if (kind == UP) {
        rc = plan_upgrade_offline(g, range, &p, &err);
    } else if (kind == DOWN) {
        rc = plan_downgrade_offline(g, range, &p, &err);
    } else {
        size_t n;
        char **t = gg_split(range, &n);

        rc = plan_stamp_offline(g, (const char *const *)t, n, false, &p,
                                &err);
        for (size_t i = 0; i < n; i++)
            free(t[i]);
        free(t);
    }
    ck_assert_msg(rc == MGR_OK, "%s: %s", range, err.msg);
    ck_assert_str_eq(gg_ran(&p), ran);
    ck_assert_str_eq(gg_ops(&p), ops);
    ck_assert_uint_eq(p.nstart, *start ? 1 : 0);
    if (*start)
        ck_assert_str_eq(p.start[0], start);
    plan_release(&p);
}

START_TEST(test_offline_ranges)
{
    add_branched();
    build();
    offline(UP, "base:c1c1", "", "up:aaaa up:bbbb up:c1c1",
            "INSERT aaaa;UPDATE aaaa bbbb;UPDATE bbbb c1c1;");
    offline(UP, "c1c1", "", "up:aaaa up:bbbb up:c1c1",
            "INSERT aaaa;UPDATE aaaa bbbb;UPDATE bbbb c1c1;");
    offline(UP, "aaaa:c1c1", "aaaa", "up:bbbb up:c1c1",
            "UPDATE aaaa bbbb;UPDATE bbbb c1c1;");
    /* S B09: the start is the only row, so the sibling is inserted. */
    offline(UP, "d1d1:heads", "d1d1", "up:c2c2", "INSERT c2c2;");
    offline(DOWN, "d1d1:bbbb", "d1d1", "down:d1d1 down:c1c1",
            "UPDATE d1d1 c1c1;UPDATE c1c1 bbbb;");
    offline(DOWN, "c1c1:base", "c1c1",
            "down:c1c1 down:bbbb down:aaaa",
            "UPDATE c1c1 bbbb;UPDATE bbbb aaaa;DELETE aaaa;");
    offline(STAMP, "base:heads", "", "stamp:c2c2 stamp:d1d1",
            "INSERT c2c2;INSERT d1d1;");
    offline(STAMP, "c1c1:d1d1", "c1c1", "stamp:d1d1", "UPDATE c1c1 d1d1;");
    offline(STAMP, "c1c1:d1d1,c1c1:c2c2", "c1c1", "stamp:d1d1 stamp:c2c2",
            "UPDATE c1c1 d1d1;INSERT c2c2;");
}
END_TEST

START_TEST(test_offline_label_start)
{
    gg_add(&revs, "a1a1", NULL, NULL, "alpha");
    gg_add(&revs, "a2a2", "a1a1", NULL, NULL);
    gg_add(&revs, "b1b1", NULL, NULL, "beta");
    gg_add(&revs, "b2b2", "b1b1", NULL, NULL);
    build();
    /* "beta@..." as the start keeps only targets on branch beta. */
    offline(UP, "beta@base:heads", "", "up:b1b1 up:b2b2",
            "INSERT b1b1;UPDATE b1b1 b2b2;");
    offline(UP, "base:heads", "", "up:b1b1 up:b2b2 up:a1a1 up:a2a2",
            "INSERT b1b1;UPDATE b1b1 b2b2;INSERT a1a1;UPDATE a1a1 a2a2;");
    /* A revision as the branch stands for its label. */
    offline(UP, "a1a1@a1a1:heads", "a1a1", "up:a2a2", "UPDATE a1a1 a2a2;");
}
END_TEST

START_TEST(test_offline_errors)
{
    struct plan p = PLAN_INIT;
    const char *mixed[] = { "aaaa:c1c1", "bbbb:c2c2" };
    const char *one[] = { "c1c1" };
    struct mgr_error err;

    add_branched();
    build();
    ck_assert_int_eq(plan_downgrade_offline(g, "-1", &p, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "needs a range") != NULL);
    ck_assert_int_eq(plan_upgrade_offline(g, "heads:heads", &p, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "must be one revision, but 'heads' names "
                              "several ('c2c2', 'd1d1')") != NULL);
    ck_assert_int_eq(plan_upgrade_offline(g, "head:heads", &p, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "multiple heads") != NULL);
    ck_assert_int_eq(plan_downgrade_offline(g, "bbbb:d1d1", &p, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "cannot downgrade to 'd1d1'") != NULL);
    ck_assert_int_eq(plan_stamp_offline(g, mixed, 2, false, &p, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "one start revision") != NULL);
    ck_assert_int_eq(plan_stamp_offline(g, one, 1, true, &p, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "--purge cannot be used with --sql") != NULL);
    ck_assert_int_eq(plan_upgrade_offline(g, "a:b:c", &p, &err),
                     MGR_EREVISION);
    ck_assert_uint_eq(p.nsteps, 0);
}
END_TEST

/* ---- row sets -------------------------------------------------------- */

START_TEST(test_apply_checks_rows)
{
    struct plan_rows r = PLAN_ROWS_INIT;
    struct plan_op ins = { PLAN_INSERT, NULL, "x" };
    struct plan_op upd = { PLAN_UPDATE, "x", "y" };
    struct plan_op del = { PLAN_DELETE, "y", NULL };
    struct plan_step st;
    struct mgr_error err;

    memset(&st, 0, sizeof(st));
    st.ops = &ins;
    st.nops = 1;
    ck_assert_int_eq(plan_apply_step(&st, &r, &err), MGR_OK);
    ck_assert_int_eq(plan_apply_step(&st, &r, &err), MGR_EDB);
    ck_assert(strstr(err.msg, "'x' exists already") != NULL);
    st.ops = &upd;
    ck_assert_int_eq(plan_apply_step(&st, &r, &err), MGR_OK);
    ck_assert(plan_rows_has(&r, "y") && !plan_rows_has(&r, "x"));
    ck_assert_int_eq(plan_apply_step(&st, &r, &err), MGR_EDB);
    ck_assert(strstr(err.msg, "'x' to update") != NULL);
    st.ops = &del;
    ck_assert_int_eq(plan_apply_step(&st, &r, &err), MGR_OK);
    ck_assert_uint_eq(r.len, 0);
    ck_assert_int_eq(plan_apply_step(&st, &r, &err), MGR_EDB);
    ck_assert(strstr(err.msg, "'y' to delete") != NULL);
    plan_rows_add(&r, "a");
    plan_rows_add(&r, "b");
    ck_assert(plan_rows_remove(&r, "a"));
    ck_assert(!plan_rows_remove(&r, "a"));
    ck_assert_str_eq(r.ids[0], "b");
    plan_rows_release(&r);
    ck_assert_ptr_null(r.ids);
}
END_TEST

/* ---- history and current --------------------------------------------- */

static void history(const char *lo, const char *hi, const char *rows,
                    const char *want)
{
    struct graph_list out = GRAPH_LIST_INIT;
    struct plan_rows r = PLAN_ROWS_INIT;
    struct mgr_error err;
    int rc;

    set_rows(&r, rows);
    rc = plan_history(g, lo, hi, (const char *const *)r.ids, r.len, &out,
                      &err);
    ck_assert_msg(rc == MGR_OK, "%s:%s: %s", lo, hi, err.msg);
    ck_assert_msg(strcmp(gg_ids(g, &out), want) == 0, "%s:%s gave '%s'", lo,
                  hi, gg_ids(g, &out));
    graph_list_release(&out);
    plan_rows_release(&r);
}

START_TEST(test_history_ranges)
{
    add_branched();
    build();
    history(NULL, NULL, "", "c2c2 d1d1 c1c1 bbbb aaaa");
    history("bbbb", "heads", "", "c2c2 d1d1 c1c1 bbbb");
    history("current", NULL, "c1c1", "d1d1 c1c1");
    history(NULL, "current", "c1c1", "c1c1 bbbb aaaa");
    history("current", NULL, "", "c2c2 d1d1 c1c1 bbbb aaaa");
    history("aaaa", "+1", "", "bbbb aaaa");
    history("", "c1c1", "", "c1c1 bbbb aaaa");
}
END_TEST

START_TEST(test_history_with_dependencies)
{
    add_depends();
    build();
    history(NULL, NULL, "", "b3b3 b2b2 b1b1 a2a2 a1a1");
    /* Below a label's base nothing is excluded: what the branch depends
     * on is listed too (as Alembic does). */
    history("beta@base", NULL, "", "b3b3 b2b2 b1b1 a2a2 a1a1");
    history(NULL, "beta@head", "", "b3b3 b2b2 b1b1 a2a2 a1a1");
    history("alpha@base", NULL, "", "");
    /* A bare -N lower bound counts from the script heads. */
    history("-1", NULL, "", "b3b3 b2b2");
}
END_TEST

START_TEST(test_history_errors)
{
    struct graph_list out = GRAPH_LIST_INIT;
    const char *rows[] = { "zzzz" };
    struct mgr_error err;

    add_branched();
    build();
    ck_assert_int_eq(plan_history(g, "c2c2", "d1d1", NULL, 0, &out, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "range c2c2:d1d1 does not run along one "
                              "branch") != NULL);
    ck_assert_int_eq(plan_history(g, "current", NULL, rows, 1, &out, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "'zzzz'") != NULL);
    /* -1 from each head gives bbbb and c1c1, one below the other. */
    ck_assert_int_eq(plan_history(g, "-1", NULL, NULL, 0, &out, &err),
                     MGR_EREVISION);
    ck_assert(strstr(err.msg, "'c1c1' and 'bbbb' overlap") != NULL);
    ck_assert_uint_eq(out.len, 0);
}
END_TEST

START_TEST(test_current_set)
{
    struct graph_list out = GRAPH_LIST_INIT;
    const char *rows[] = { "b3b3" };
    const char *redundant[] = { "a1a1", "a2a2" };
    const char *bad[] = { "nope" };
    struct mgr_error err;

    add_depends();
    build();
    ck_assert_int_eq(plan_current(g, rows, 1, &out, &err), MGR_OK);
    ck_assert_str_eq(gg_ids(g, &out), "a2a2 b3b3");
    graph_list_reset(&out);
    ck_assert_int_eq(plan_current(g, redundant, 2, &out, &err), MGR_OK);
    ck_assert_str_eq(gg_ids(g, &out), "a2a2");
    graph_list_reset(&out);
    ck_assert_int_eq(plan_current(g, NULL, 0, &out, &err), MGR_OK);
    ck_assert_uint_eq(out.len, 0);
    ck_assert_int_eq(plan_current(g, bad, 1, &out, &err), MGR_EREVISION);
    graph_list_release(&out);
}
END_TEST

START_TEST(test_rows_are_heads)
{
    const char *real[] = { "b3b3" };
    const char *versioned[] = { "b3b3", "a2a2" };
    const char *dup[] = { "b3b3", "b3b3" };
    const char *bad[] = { "zzzz" };

    add_depends();
    build();
    ck_assert(plan_rows_are_heads(g, real, 1, true));
    ck_assert(!plan_rows_are_heads(g, real, 1, false));
    ck_assert(plan_rows_are_heads(g, versioned, 2, false));
    ck_assert(!plan_rows_are_heads(g, versioned, 2, true));
    ck_assert(plan_rows_are_heads(g, dup, 2, true));
    ck_assert(!plan_rows_are_heads(g, bad, 1, true));
    ck_assert(!plan_rows_are_heads(g, NULL, 0, true));
}
END_TEST

/* ---- random graphs against Alembic's algorithm ------------------------ */

static unsigned long rnd_state;

static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 6364136223846793005ul + 1442695040888963407ul;
    return (unsigned)((rnd_state >> 33) % n);
}

/* A random graph of n revisions, listed in a shuffled file order. */
static void random_graph(size_t n)
{
    char (*id)[24] = xcalloc(n, sizeof(*id));
    char (*down)[80] = xcalloc(n, sizeof(*down));
    char (*deps)[24] = xcalloc(n, sizeof(*deps));
    size_t *perm = xcalloc(n, sizeof(size_t));

    for (size_t k = 0; k < n; k++) {
        size_t np = k == 0 || rnd(8) == 0 ? 0 : rnd(6) == 0 ? 2 + rnd(2) : 1;
        size_t used = 0;

        snprintf(id[k], sizeof(id[k]), "r%03zu", k);
        for (size_t p = 0; p < np; p++) {
            size_t q = k - 1 - rnd((unsigned)(k < 6 ? k : 6));

            if (strstr(down[k], id[q]))
                continue;
            used += (size_t)snprintf(down[k] + used, sizeof(down[k]) - used,
                                     "%s%s", used ? "," : "", id[q]);
        }
        if (k > 2 && rnd(5) == 0) {
            size_t q = rnd((unsigned)k);

            if (!strstr(down[k], id[q]))
                snprintf(deps[k], sizeof(deps[k]), "%s", id[q]);
        }
        perm[k] = k;
    }
    for (size_t k = n; k > 1; k--) {
        size_t j = rnd((unsigned)k), t = perm[k - 1];

        perm[k - 1] = perm[j];
        perm[j] = t;
    }
    for (size_t k = 0; k < n; k++)
        gg_add(&revs, id[perm[k]], down[perm[k]], deps[perm[k]], NULL);
    free(id);
    free(down);
    free(deps);
    free(perm);
}

/* Alembic's sort as SEMANTICS.md 9.1 states it, with full ancestor sets. */
static void naive_sort(const unsigned char *todo_in, const size_t *starts,
                       size_t nstarts, struct graph_list *out)
{
    size_t n = g->n;
    unsigned char *todo = xcalloc(n, 1);
    struct graph_list lines = GRAPH_LIST_INIT;
    unsigned char **anc = NULL;
    size_t i = 0;

    memcpy(todo, todo_in, n);
    for (size_t k = 0; k < n; k++) /* starts in map order */
        for (size_t s = 0; s < nstarts; s++)
            if (starts[s] == k && todo[k] && !graph_list_has(&lines, k)) {
                graph_list_push(&lines, k);
                anc = xreallocarray(anc, lines.len, sizeof(*anc));
                anc[lines.len - 1] = xcalloc(n, 1);
                graph_mark_ancestors(g, &k, 1, true, anc[lines.len - 1]);
            }
    while (lines.len) {
        size_t cand = lines.v[i], j;
        const struct graph_node *nd = &g->nodes[cand];
        struct graph_list P = GRAPH_LIST_INIT;

        for (j = 0; j < lines.len; j++)
            if (j != i && anc[j][cand])
                break;
        if (j < lines.len) {
            i = j;
            continue;
        }
        if (todo[cand]) {
            graph_list_push(out, cand);
            todo[cand] = 0;
        }
        for (size_t k = 0; k < nd->nnorm; k++)
            if (todo[nd->norm[k]] && !graph_list_has(&lines, nd->norm[k]))
                graph_list_push(&P, nd->norm[k]);
        free(anc[i]);
        if (!P.len) {
            memmove(&lines.v[i], &lines.v[i + 1],
                    (lines.len - i - 1) * sizeof(size_t));
            memmove(&anc[i], &anc[i + 1],
                    (lines.len - i - 1) * sizeof(*anc));
            lines.len--;
            i = i ? i - 1 : 0;
        } else {
            lines.v[i] = P.v[0];
            anc[i] = xcalloc(n, 1);
            graph_mark_ancestors(g, &P.v[0], 1, true, anc[i]);
            for (size_t k = 1; k < P.len; k++) {
                graph_list_push(&lines, P.v[k]);
                anc = xreallocarray(anc, lines.len, sizeof(*anc));
                anc[lines.len - 1] = xcalloc(n, 1);
                graph_mark_ancestors(g, &P.v[k], 1, true,
                                     anc[lines.len - 1]);
            }
        }
        graph_list_release(&P);
    }
    free(anc);
    free(todo);
    graph_list_release(&lines);
}

/* The rows are the maximal applied revisions. */
static void check_antichain(const struct plan_rows *r, const char *when)
{
    unsigned char *applied = xcalloc(g->n, 1), *row = xcalloc(g->n, 1);
    struct graph_list l = GRAPH_LIST_INIT;

    for (size_t i = 0; i < r->len; i++) {
        size_t x = graph_find(g, r->ids[i]);

        ck_assert_uint_ne(x, GRAPH_NONE);
        graph_list_push(&l, x);
        row[x] = 1;
    }
    graph_mark_ancestors(g, l.v, l.len, true, applied);
    for (size_t x = 0; x < g->n; x++) {
        bool top = applied[x];

        for (size_t k = 0; top && k < g->nodes[x].nall_next; k++)
            if (applied[g->nodes[x].all_next[k]])
                top = false;
        ck_assert_msg(top == (row[x] != 0), "%s: rows not maximal at %s",
                      when, graph_id(g, x));
    }
    free(applied);
    free(row);
    graph_list_release(&l);
}

START_TEST(test_random_graphs_match_alembic_order)
{
    rnd_state = 12345u + (unsigned)_i;
    for (int round = 0; round < 40; round++) {
        struct graph_list mine = GRAPH_LIST_INIT, ref = GRAPH_LIST_INIT;
        struct graph_list rows = GRAPH_LIST_INIT;
        unsigned char *todo;
        struct plan_rows r = PLAN_ROWS_INIT;
        struct plan p = PLAN_INIT;
        struct mgr_error err;
        size_t pick;

        setup();
        random_graph(8 + rnd(40));
        build();
        todo = xcalloc(g->n, 1);

        /* history: everything from the real heads */
        memset(todo, 1, g->n);
        naive_sort(todo, g->real_heads, g->nreal_heads, &ref);
        ck_assert_int_eq(plan_history(g, NULL, NULL, NULL, 0, &mine, &err),
                         MGR_OK);
        ck_assert_str_eq(gg_ids(g, &mine), gg_ids(g, &ref));

        /* upgrade heads from the state after a random stamp */
        pick = rnd((unsigned)g->n);
        memset(todo, 0, g->n);
        graph_mark_ancestors(g, &pick, 1, true, todo);
        for (size_t x = 0; x < g->n; x++) {
            bool top = todo[x];

            for (size_t k = 0; top && k < g->nodes[x].nall_next; k++)
                if (todo[g->nodes[x].all_next[k]])
                    top = false;
            if (top) {
                plan_rows_add(&r, graph_id(g, x));
                graph_list_push(&rows, x);
            }
        }
        for (size_t x = 0; x < g->n; x++)
            todo[x] = !todo[x];
        graph_list_reset(&ref);
        naive_sort(todo, g->real_heads, g->nreal_heads, &ref);
        ck_assert_int_eq(plan_upgrade(g, (const char *const *)r.ids, r.len,
                                      "heads", &p, &err), MGR_OK);
        ck_assert_uint_eq(p.nsteps, ref.len);
        for (size_t k = 0; k < ref.len; k++) {
            ck_assert_uint_eq(p.steps[k].node, ref.v[ref.len - 1 - k]);
            ck_assert_int_eq(plan_apply_step(&p.steps[k], &r, &err),
                             MGR_OK);
            check_antichain(&r, "upgrade");
        }
        plan_release(&p);
        ck_assert_uint_eq(r.len, g->nreal_heads);

        /* downgrade base from the heads */
        graph_list_reset(&ref);
        memset(todo, 1, g->n);
        naive_sort(todo, g->real_heads, g->nreal_heads, &ref);
        ck_assert_int_eq(plan_downgrade(g, (const char *const *)r.ids, r.len,
                                        "base", &p, &err), MGR_OK);
        ck_assert_uint_eq(p.nsteps, g->n);
        for (size_t k = 0; k < p.nsteps; k++) {
            ck_assert_uint_eq(p.steps[k].node, ref.v[k]);
            ck_assert_int_eq(plan_apply_step(&p.steps[k], &r, &err),
                             MGR_OK);
            check_antichain(&r, "downgrade");
        }
        ck_assert_uint_eq(r.len, 0);
        plan_release(&p);

        plan_rows_release(&r);
        graph_list_release(&mine);
        graph_list_release(&ref);
        graph_list_release(&rows);
        free(todo);
        teardown();
    }
}
END_TEST

/* ---- limits ------------------------------------------------------------ */

START_TEST(test_ten_thousand)
{
    char last[32];
    struct plan p = PLAN_INIT;
    struct graph_list h = GRAPH_LIST_INIT;
    struct plan_rows r = PLAN_ROWS_INIT;
    struct mgr_error err;
    const char *row;

    gg_braid(&revs, 10000, 50, last);
    build();
    ck_assert_int_eq(plan_history(g, NULL, NULL, NULL, 0, &h, &err), MGR_OK);
    ck_assert_uint_eq(h.len, 10000);
    ck_assert_str_eq(graph_id(g, h.v[0]), last);
    ck_assert_str_eq(graph_id(g, h.v[9999]), "r0");
    ck_assert_int_eq(plan_upgrade(g, NULL, 0, "heads", &p, &err), MGR_OK);
    ck_assert_uint_eq(p.nsteps, 10000);
    ck_assert_int_eq(plan_apply(&p, &r, &err), MGR_OK);
    ck_assert_uint_eq(r.len, 1);
    ck_assert_str_eq(r.ids[0], last);
    plan_release(&p);
    row = last;
    ck_assert_int_eq(plan_downgrade(g, &row, 1, "r5000", &p, &err), MGR_OK);
    ck_assert_int_eq(plan_apply(&p, &r, &err), MGR_OK);
    ck_assert_str_eq(r.ids[0], "r5000");
    plan_release(&p);
    /* One step below a merge undoes the merge; two steps from above it
     * undo both. */
    ck_assert_int_eq(plan_downgrade(g, &row, 1, "-1", &p, &err), MGR_OK);
    ck_assert_uint_eq(p.nsteps, 1);
    ck_assert_uint_eq(p.steps[0].nops, 2);
    plan_release(&p);
    row = "r5000";
    ck_assert_int_eq(plan_downgrade(g, &row, 1, "-2", &p, &err), MGR_OK);
    ck_assert_str_eq(gg_ran(&p), "down:r5000 down:r4999");
    plan_release(&p);
    ck_assert_int_eq(plan_downgrade(g, &row, 1, "-3", &p, &err),
                     MGR_EREVISION);
    plan_rows_release(&r);
    graph_list_release(&h);
}
END_TEST

static Suite *plan_suite(void)
{
    Suite *s = suite_create("plan");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_three_way_merge);
    tcase_add_test(tc, test_redundant_merge_parent);
    tcase_add_test(tc, test_downgrade_below_merge_steps);
    tcase_add_test(tc, test_depends_on);
    tcase_add_test(tc, test_noops_and_invalid);
    tcase_add_test(tc, test_downgrade_branch_filter);
    tcase_add_test(tc, test_multi_row_minus_one_warns);
    tcase_add_test(tc, test_running_sides);
    tcase_add_test(tc, test_stamp);
    tcase_add_test(tc, test_offline_ranges);
    tcase_add_test(tc, test_offline_label_start);
    tcase_add_test(tc, test_apply_checks_rows);
    tcase_add_test(tc, test_history_ranges);
    tcase_add_test(tc, test_history_with_dependencies);
    tcase_add_test(tc, test_current_set);
    tcase_add_test(tc, test_rows_are_heads);
    tcase_add_loop_test(tc, test_random_graphs_match_alembic_order, 0, 5);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_stamp_errors);
    tcase_add_test(tc, test_offline_errors);
    tcase_add_test(tc, test_history_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_ten_thousand);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(plan_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
