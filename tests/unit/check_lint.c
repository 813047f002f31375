/* check_lint.c: what lint's parts do without a database or plugins: the
 * JSON reader for parse trees and the words the core's rules read. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/plugin.h>

#include "json_tree.h"
#include "lint.h"

static const struct mgr_json *parse_ok(const char *text,
                                       struct json_tree **tree)
{
    const struct mgr_json *root = NULL;
    struct mgr_error err;

    ck_assert_int_eq(json_tree_parse(text, strlen(text), tree, &root, &err),
                     MGR_OK);
    return root;
}

START_TEST(test_json_reads_a_parse_tree)
{
    struct json_tree *tree;
    const struct mgr_json *root = parse_ok(
        "{\"version\":150001,\"stmts\":[{\"stmt\":{\"AlterTableStmt\":"
        "{\"relation\":{\"relname\":\"t\",\"inh\":true},\"missing_ok\":false,"
        "\"x\":null,\"n\":-1.5e2}}}]}",
        &tree);
    const struct mgr_json *stmts = json_tree_get(root, "stmts"), *alter;

    ck_assert_int_eq(root->type, MGR_JSON_OBJECT);
    ck_assert_int_eq(json_tree_get(root, "version")->num, 150001);
    ck_assert_int_eq(stmts->type, MGR_JSON_ARRAY);
    ck_assert_uint_eq(stmts->n, 1);
    alter = json_tree_get(json_tree_get(stmts->items[0], "stmt"),
                          "AlterTableStmt");
    ck_assert_ptr_nonnull(alter);
    ck_assert_str_eq(alter->items[0]->key, "relation");
    ck_assert_str_eq(json_tree_get(json_tree_get(alter, "relation"),
                                   "relname")->str, "t");
    ck_assert_int_eq(json_tree_get(json_tree_get(alter, "relation"),
                                   "inh")->type, MGR_JSON_TRUE);
    ck_assert_int_eq(json_tree_get(alter, "missing_ok")->type,
                     MGR_JSON_FALSE);
    ck_assert_int_eq(json_tree_get(alter, "x")->type, MGR_JSON_NULL);
    ck_assert(json_tree_get(alter, "n")->num == -150.0);
    ck_assert_ptr_null(json_tree_get(alter, "absent"));
    ck_assert_ptr_null(json_tree_get(stmts, "stmt")); /* not an object */
    json_tree_free(tree);
}
END_TEST

START_TEST(test_json_unescapes_strings)
{
    struct json_tree *tree;
    const struct mgr_json *root =
        parse_ok("[\"a\\\"b\\\\c\\n\", \"\\u00e9\\ud83d\\ude00\", \"\"]", &tree);

    ck_assert_str_eq(root->items[0]->str, "a\"b\\c\n");
    ck_assert_str_eq(root->items[1]->str, "\xc3\xa9\xf0\x9f\x98\x80");
    ck_assert_str_eq(root->items[2]->str, "");
    json_tree_free(tree);
}
END_TEST

START_TEST(test_json_refuses_what_is_not_json)
{
    static const char *const bad[] = {
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1} x", "\"open", "tru",
        "[\"\\q\"]", "{1:2}", "[1 2]", NULL
    };
    struct json_tree *tree = NULL;
    const struct mgr_json *root;
    struct mgr_error err;

    for (size_t i = 0; bad[i]; i++) {
        ck_assert_msg(json_tree_parse(bad[i], strlen(bad[i]), &tree, &root,
                                      &err) == MGR_EUSAGE,
                      "accepted '%s'", bad[i]);
        ck_assert_ptr_nonnull(strstr(err.msg, "at byte"));
    }
}
END_TEST

START_TEST(test_json_limits_depth)
{
    size_t n = 2000;
    char *deep = malloc(2 * n + 1);
    struct json_tree *tree;
    const struct mgr_json *root;
    struct mgr_error err;

    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    ck_assert_int_eq(json_tree_parse(deep, 2 * n, &tree, &root, &err),
                     MGR_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "nested too deeply"));
    free(deep);
}
END_TEST

/* The words of text joined by spaces, with their depth when not 0. */
static void words(const char *text, char *out, size_t size)
{
    struct lint_word *w;
    size_t n = lint_words(text, strlen(text), &w), used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%.*s%s",
                                 i ? " " : "", (int)w[i].len, w[i].s,
                                 w[i].depth ? "'" : "");
    free(w);
}

START_TEST(test_words_skip_strings_and_comments)
{
    char got[256];

    words("DROP TABLE x; -- DROP COLUMN y\n/* TRUNCATE */ SELECT 'DROP'",
          got, sizeof(got));
    ck_assert_str_eq(got, "DROP TABLE x SELECT");
    words("SELECT $body$ DELETE FROM t $body$, $$x$$, E'it''s', \"Odd Name\"",
          got, sizeof(got));
    ck_assert_str_eq(got, "SELECT \"Odd Name\"");
    words("CREATE TABLE t (a int DEFAULT f(1)) WITH (fillfactor = 70)", got,
          sizeof(got));
    ck_assert_str_eq(got, "CREATE TABLE t a' int' DEFAULT' f' 1' WITH "
                          "fillfactor' 70'");
}
END_TEST

START_TEST(test_word_is_ignores_case_not_quotes)
{
    struct lint_word *w;
    size_t n = lint_words("drop \"DROP\"", 11, &w);

    ck_assert_uint_eq(n, 2);
    ck_assert(lint_word_is(&w[0], "DROP"));
    ck_assert(!lint_word_is(&w[1], "DROP"));
    ck_assert(!lint_word_is(&w[0], "DROPS"));
    free(w);
}
END_TEST

static Suite *lint_suite(void)
{
    Suite *s = suite_create("lint");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_json_reads_a_parse_tree);
    tcase_add_test(tc, test_json_unescapes_strings);
    tcase_add_test(tc, test_json_refuses_what_is_not_json);
    tcase_add_test(tc, test_json_limits_depth);
    tcase_add_test(tc, test_words_skip_strings_and_comments);
    tcase_add_test(tc, test_word_is_ignores_case_not_quotes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(lint_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
