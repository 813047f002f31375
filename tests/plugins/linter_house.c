/*
 * linter_house.c: a third-party rule set, as a team writes one against
 * the installed headers. It reads the parse tree the PostgreSQL dialect
 * gives (libpg_query's JSON) and reports SELECT * ("house-no-select-star")
 * at the statement. A statement SELECT 'undeclared' makes it
 * report a rule its catalogue lacks, which the host refuses.
 */
#include <stddef.h>
#include <string.h>

#include <migrator/plugin.h>

static const struct mgr_host_api *api;

static const struct mgr_lint_rule no_star = {
    "house-no-select-star", MGR_SEVERITY_WARNING,
    "SELECT * breaks when a column is added"
};
static const struct mgr_lint_rule *const rules[] = { &no_star, NULL };
static const char *const dialects[] = { "postgresql", NULL };

static const struct mgr_json *member(const struct mgr_json *obj,
                                     const char *key)
{
    for (size_t i = 0; obj && obj->type == MGR_JSON_OBJECT && i < obj->n;
         i++)
        if (!strcmp(obj->items[i]->key, key))
            return obj->items[i];
    return NULL;
}

/* Whether v, anywhere below it, holds an A_Star node. */
static int find_star(const struct mgr_json *v)
{
    const struct mgr_json *star = member(v, "A_Star");

    if (star)
        return 1;
    for (size_t i = 0; v && (v->type == MGR_JSON_OBJECT ||
                             v->type == MGR_JSON_ARRAY) && i < v->n; i++)
        if (find_star(v->items[i]))
            return 1;
    return 0;
}

static int house_init(const struct mgr_host_api *a, struct mgr_host *h,
                      void **state_out, struct mgr_error *err)
{
    (void)h, (void)err;
    api = a;
    *state_out = NULL;
    return MGR_OK;
}

static int house_begin(void *state, struct mgr_lint *l, void **run_out,
                       struct mgr_error *err)
{
    (void)state, (void)l, (void)err;
    *run_out = NULL;
    return MGR_OK;
}

static int house_statement(void *run, struct mgr_lint *l,
                           const struct mgr_lint_statement *st,
                           struct mgr_error *err)
{
    struct mgr_finding f = { sizeof(f), no_star.id, no_star.severity,
                             "SELECT * in a migration", "name the columns",
                             NULL, 0, NULL, 0 };
    const struct mgr_json *stmts = member(st->tree, "stmts");

    (void)run;
    if (strstr(st->text, "'undeclared'")) {
        f.rule = "not-in-the-catalogue";
        return api->lint_report(l, st, &f, err);
    }
    if (!stmts || strcmp(st->parse_format, "pg_query-15") != 0)
        return MGR_OK;
    if (!find_star(stmts))
        return MGR_OK;
    return api->lint_report(l, st, &f, err);
}

static int house_end(void *run, struct mgr_lint *l, struct mgr_error *err)
{
    (void)run, (void)l, (void)err;
    return MGR_OK;
}

static const struct mgr_linter_ops ops = {
    .size = sizeof(struct mgr_linter_ops),
    .dialects = dialects,
    .rules = rules,
    .begin = house_begin,
    .statement = house_statement,
    .end = house_end,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_LINTER, "house", "0.1",
                  "test: a team's own rule, read from the parse tree",
                  house_init, NULL, &ops)
