/*
 * check_reporter_json.c: the JSON reporter plugin, driven through its
 * descriptor with a mock host API. Each test writes a report to a
 * tmpfile(), reads it back, and parses every line with jansson; the
 * assertions are on the parsed values (keys, their order, types and
 * values), never on the report's text.
 */
#include "autoconfig.h"

#include <check.h>
#include <jansson.h>
#include <math.h>
#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/plugin.h>

#include "mock_host.h"

const struct mgr_plugin *mgr_plugin_entry(void);

/* ---- fixtures ----------------------------------------------------------- */

#define MAX_LINES 64
#define T0 1796256314.123 /* 2026-12-03T00:05:14.123Z */
#define T0_TEXT "2026-12-03T00:05:14.123Z"

/* The shared mock host (mock_host.h); filled by setup(). */
static struct mgr_host_api api;
static const struct mgr_reporter_ops *ops;
static void *state;
static FILE *out;
static void *sink;
static struct mgr_error err;
static json_t *lines[MAX_LINES];
static size_t nlines;
static int ticks; /* events made so far: elapsed is ticks / 4 */

static void setup(void)
{
    const struct mgr_plugin *p = mgr_plugin_entry();
    struct mgr_report_target t;

    ck_assert_uint_eq(p->abi_version, MGR_ABI_VERSION);
    ck_assert_uint_ge(p->size, MGR_PLUGIN_V1_SIZE);
    ck_assert_int_eq(p->kind, MGR_PLUGIN_REPORTER);
    ck_assert_str_eq(p->name, "json");
    ck_assert_str_eq(p->version, "0.1.0");
    ck_assert_ptr_nonnull(p->description);
    ck_assert_ptr_null(strchr(p->description, '\n'));
    ck_assert_ptr_nonnull(p->ops);
    ops = p->ops;
    ck_assert_uint_eq(ops->size, sizeof(struct mgr_reporter_ops));

    memset(&err, 0, sizeof(err));
    mock_host_api_init(&api);
    mock_host_reset();
    nlines = 0;
    ticks = 0;
    ck_assert_int_eq(p->init(&api, NULL, &state, &err), MGR_OK);

    out = tmpfile();
    ck_assert_ptr_nonnull(out);
    memset(&t, 0, sizeof(t));
    t.size = sizeof(t);
    t.out = out;
    t.log = out;
    ck_assert_int_eq(ops->open(state, &t, &sink, &err), MGR_OK);
}

static void free_lines(void)
{
    for (size_t i = 0; i < nlines; i++)
        json_decref(lines[i]);
    nlines = 0;
}

static void teardown(void)
{
    free_lines();
    ck_assert_int_eq(ops->close(sink, &err), MGR_OK);
    mgr_plugin_entry()->fini(state);
    fclose(out);
}

/* An event of type with the fields every event has; the rest zero. */
static struct mgr_event new_event(enum mgr_event_type type)
{
    struct mgr_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.size = sizeof(ev);
    ev.type = type;
    ev.command = "upgrade";
    ev.elapsed = ticks / 4.0;
    ev.time = T0 + ev.elapsed;
    ticks++;
    return ev;
}

static void emit(const struct mgr_event *ev)
{
    ck_assert_int_eq(ops->event(sink, ev, &err), MGR_OK);
}

/* One line of the report: no raw control byte, parses as an object. */
static void parse_line(char *line, size_t len)
{
    json_error_t jerr;
    json_t *o;

    ck_assert_msg(len > 0, "empty line %zu in the report", nlines + 1);
    for (size_t i = 0; i < len; i++)
        ck_assert_msg((unsigned char)line[i] >= 0x20,
                      "raw control byte 0x%02x in line %zu",
                      (unsigned char)line[i], nlines + 1);
    ck_assert_uint_lt(nlines, MAX_LINES);
    o = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
    ck_assert_msg(o != NULL, "line %zu is not JSON: %s: %s", nlines + 1,
                  jerr.text, line);
    ck_assert_msg(json_is_object(o), "line %zu is not an object",
                  nlines + 1);
    lines[nlines++] = o;
}

/* Read the whole report back and parse it into lines[]. */
static void read_report(void)
{
    char *text, *line, *nl;
    long size;

    free_lines();
    ck_assert_int_eq(fseek(out, 0, SEEK_END), 0);
    size = ftell(out);
    ck_assert_int_ge(size, 0);
    text = malloc((size_t)size + 1);
    ck_assert_ptr_nonnull(text);
    rewind(out);
    ck_assert_uint_eq(fread(text, 1, (size_t)size, out), (size_t)size);
    text[size] = '\0';
    ck_assert_uint_eq(strlen(text), (size_t)size);
    ck_assert_msg(size == 0 || text[size - 1] == '\n',
                  "the report does not end with a newline");
    for (line = text; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        *nl = '\0';
        parse_line(line, (size_t)(nl - line));
    }
    free(text);
    ck_assert_int_eq(fseek(out, 0, SEEK_END), 0);
}

/* ---- assertions on parsed values --------------------------------------- */

static json_t *member(json_t *o, const char *key)
{
    json_t *v;

    ck_assert_msg(json_is_object(o), "looking up '%s' in a non-object",
                  key);
    v = json_object_get(o, key);
    ck_assert_msg(v != NULL, "no key '%s'", key);
    return v;
}

static void assert_str(json_t *o, const char *key, const char *want)
{
    json_t *v = member(o, key);

    ck_assert_msg(json_is_string(v), "'%s' is not a string", key);
    ck_assert_msg(strcmp(json_string_value(v), want) == 0,
                  "'%s' is '%s', wanted '%s'", key, json_string_value(v),
                  want);
}

static void assert_null(json_t *o, const char *key)
{
    ck_assert_msg(json_is_null(member(o, key)), "'%s' is not null", key);
}

static void assert_int(json_t *o, const char *key, long long want)
{
    json_t *v = member(o, key);

    ck_assert_msg(json_is_integer(v), "'%s' is not an integer", key);
    ck_assert_msg(json_integer_value(v) == want, "'%s' is %lld, wanted %lld",
                  key, (long long)json_integer_value(v), want);
}

static void assert_num(json_t *o, const char *key, double want)
{
    json_t *v = member(o, key);

    ck_assert_msg(json_is_number(v), "'%s' is not a number", key);
    ck_assert_msg(json_number_value(v) == want, "'%s' is %g, wanted %g",
                  key, json_number_value(v), want);
}

static void assert_bool(json_t *o, const char *key, int want)
{
    json_t *v = member(o, key);

    ck_assert_msg(json_is_boolean(v), "'%s' is not a boolean", key);
    ck_assert_msg(json_boolean_value(v) == !!want, "'%s' is %s", key,
                  json_boolean_value(v) ? "true" : "false");
}

/* o has exactly the keys keys (NULL-terminated), in that order. */
static void assert_keys(json_t *o, const char *const *keys)
{
    void *it = json_object_iter(o);
    size_t i = 0;

    for (; keys[i]; i++, it = json_object_iter_next(o, it)) {
        ck_assert_msg(it != NULL, "key %zu missing, wanted '%s'", i,
                      keys[i]);
        ck_assert_msg(strcmp(json_object_iter_key(it), keys[i]) == 0,
                      "key %zu is '%s', wanted '%s'", i,
                      json_object_iter_key(it), keys[i]);
    }
    ck_assert_msg(it == NULL, "extra key '%s'",
                  it ? json_object_iter_key(it) : "");
}

/* o[key] is an array holding the n strings want. */
static void assert_strings(json_t *o, const char *key,
                           const char *const *want, size_t n)
{
    json_t *a = member(o, key);

    ck_assert_msg(json_is_array(a), "'%s' is not an array", key);
    ck_assert_uint_eq(json_array_size(a), n);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(a, i);

        ck_assert_msg(json_is_string(v), "'%s'[%zu] is not a string", key,
                      i);
        ck_assert_str_eq(json_string_value(v), want[i]);
    }
}

static void assert_time_format(json_t *o)
{
    static const char pattern[] =
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
        "\\.[0-9]{3}Z$";
    json_t *v = member(o, "time");
    regex_t re;
    int rc;

    ck_assert_msg(json_is_string(v), "'time' is not a string");
    ck_assert_int_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    rc = regexec(&re, json_string_value(v), 0, NULL, 0);
    regfree(&re);
    ck_assert_msg(rc == 0, "bad time '%s'", json_string_value(v));
}

#define COMMON_KEYS "v", "event", "time", "elapsed", "command"

static const char *const run_start_keys[] = {
    COMMON_KEYS, "target", "database", "offline", NULL};
static const char *const plan_keys[] = {COMMON_KEYS, "steps", NULL};
static const char *const step_start_keys[] = {COMMON_KEYS, "step", NULL};
static const char *const step_end_keys[] = {
    COMMON_KEYS, "step", "ok", "seconds", "error", NULL};
static const char *const message_keys[] = {
    COMMON_KEYS, "level", "text", NULL};
static const char *const error_keys[] = {COMMON_KEYS, "error", NULL};
static const char *const lock_wait_keys[] = {
    COMMON_KEYS, "lock", "holder", "waited", "lock_wait", "text", NULL};
static const char *const record_keys[] = {
    COMMON_KEYS, "kind", "verbose", "revision", NULL};
static const char *const output_keys[] = {COMMON_KEYS, "text", NULL};
static const char *const run_end_keys[] = {
    COMMON_KEYS, "ok", "exit_code", "seconds", "steps_run",
    "steps_committed", "steps_unknown", "error", NULL};
static const char *const unknown_keys[] = {COMMON_KEYS, "type", NULL};
static const char *const finding_keys[] = {
    COMMON_KEYS, "rule", "linter", "severity", "severity_level", "message",
    "hint", "file", "line", "revision", "statement", "statement_line",
    "table", "rows", "bytes", "trace", NULL};
static const char *const trace_keys[] = {
    COMMON_KEYS, "file", "line", "revision", "statement", "seconds", "locks",
    "rewritten", "constraints", NULL};
static const char *const lock_obj_keys[] = {"relation", "mode", "blocks",
                                            NULL};

static const char *const step_obj_keys[] = {
    "index", "action", "revision", "message", "path", "from", "to", NULL};
static const char *const error_obj_keys[] = {
    "status", "exit_code", "message", "reason", "file", "line",
    "sqlstate", "detail", "hint", "revision", NULL};
static const char *const revision_obj_keys[] = {
    "id", "message", "doc", "path", "create_date", "parents", "depends_on",
    "branch_labels", "children", "head", "real_head", "base",
    "branchpoint", "mergepoint", "current", NULL};

/* Line i is an event named event, with the common keys and keys. */
static json_t *event_at(size_t i, const char *event,
                        const char *const *keys)
{
    json_t *o;

    ck_assert_msg(i < nlines, "no line %zu (%zu lines)", i + 1, nlines);
    o = lines[i];
    assert_keys(o, keys);
    assert_int(o, "v", 1);
    assert_str(o, "event", event);
    assert_time_format(o);
    ck_assert(json_is_number(member(o, "elapsed")));
    return o;
}

/* ---- fixtures for events ----------------------------------------------- */

static const char *const to_a1[] = {"a1"};
static const char *const from_b2[] = {"a1"};
static const char *const to_b2[] = {"b2"};

static const struct mgr_event_step plan2[] = {
    {1, MGR_STEP_UPGRADE, "a1", "create users",
     "migrations/a1_create_users.sql", NULL, 0, to_a1, 1},
    {2, MGR_STEP_UPGRADE, "b2", "add email", "migrations/b2_add_email.sql",
     from_b2, 1, to_b2, 1},
};
static const struct mgr_event_step *const plan2_list[] = { &plan2[0],
                                                           &plan2[1] };

static void assert_step(json_t *o, const struct mgr_event_step *s)
{
    assert_keys(o, step_obj_keys);
    assert_int(o, "index", (long long)s->index);
    assert_str(o, "action", "upgrade");
    assert_str(o, "revision", s->revision);
    assert_str(o, "message", s->message);
    assert_str(o, "path", s->path);
    assert_strings(o, "from", s->from, s->nfrom);
    assert_strings(o, "to", s->to, s->nto);
}

static const struct mgr_event_error db_error = {
    MGR_EDB, 1,
    "migrations/b2_add_email.sql:3: relation \"users\" does not exist\n"
    "SQLSTATE 42P01\nHINT: create it first",
    "relation \"users\" does not exist",
    "migrations/b2_add_email.sql", 3, "42P01", "users is missing",
    "create it first", "b2"};

static void assert_db_error(json_t *o)
{
    assert_keys(o, error_obj_keys);
    assert_int(o, "status", MGR_EDB);
    assert_int(o, "exit_code", 1);
    assert_str(o, "message", db_error.message);
    assert_str(o, "reason", "relation \"users\" does not exist");
    assert_str(o, "file", "migrations/b2_add_email.sql");
    assert_int(o, "line", 3);
    assert_str(o, "sqlstate", "42P01");
    assert_str(o, "detail", "users is missing");
    assert_str(o, "hint", "create it first");
    assert_str(o, "revision", "b2");
}

/* ---- core --------------------------------------------------------------- */

static void emit_steps(int fail_last)
{
    for (size_t i = 0; i < 2; i++) {
        struct mgr_event ev = new_event(MGR_EV_STEP_START);

        ev.step = &plan2[i];
        emit(&ev);
        ev = new_event(MGR_EV_STEP_END);
        ev.step = &plan2[i];
        ev.seconds = 0.5 + (double)i;
        if (fail_last && i == 1) {
            ev.status = MGR_EDB;
            ev.error = &db_error;
        }
        emit(&ev);
    }
}

START_TEST(test_successful_run)
{
    struct mgr_event ev = new_event(MGR_EV_RUN_START);
    json_t *o, *steps;

    ev.target = "head";
    ev.database = "sqlite:///app.db";
    emit(&ev);
    ev = new_event(MGR_EV_PLAN);
    ev.plan = plan2_list;
    ev.nplan = 2;
    emit(&ev);
    emit_steps(0);
    ev = new_event(MGR_EV_RUN_END);
    ev.seconds = 1.75;
    ev.steps_run = 2;
    ev.steps_committed = 2;
    emit(&ev);
    read_report();
    ck_assert_uint_eq(nlines, 7);

    o = event_at(0, "run_start", run_start_keys);
    assert_str(o, "time", T0_TEXT);
    assert_num(o, "elapsed", 0.0);
    assert_str(o, "command", "upgrade");
    assert_str(o, "target", "head");
    assert_str(o, "database", "sqlite:///app.db");
    assert_bool(o, "offline", 0);

    o = event_at(1, "plan", plan_keys);
    assert_str(o, "time", "2026-12-03T00:05:14.373Z");
    assert_num(o, "elapsed", 0.25);
    steps = member(o, "steps");
    ck_assert(json_is_array(steps));
    ck_assert_uint_eq(json_array_size(steps), 2);
    for (size_t i = 0; i < 2; i++) {
        json_t *start = event_at(2 + 2 * i, "step_start", step_start_keys);
        json_t *end = event_at(3 + 2 * i, "step_end", step_end_keys);

        assert_step(json_array_get(steps, i), &plan2[i]);
        ck_assert(json_equal(member(start, "step"),
                             json_array_get(steps, i)));
        ck_assert(json_equal(member(end, "step"),
                             json_array_get(steps, i)));
        assert_bool(end, "ok", 1);
        assert_num(end, "seconds", 0.5 + (double)i);
        assert_null(end, "error");
    }

    o = event_at(6, "run_end", run_end_keys);
    assert_num(o, "elapsed", 1.5);
    assert_bool(o, "ok", 1);
    assert_int(o, "exit_code", 0);
    assert_num(o, "seconds", 1.75);
    assert_int(o, "steps_run", 2);
    assert_int(o, "steps_committed", 2);
    assert_int(o, "steps_unknown", 0);
    assert_null(o, "error");
    ck_assert_int_eq(mock_error_calls, 0);
}
END_TEST

static const char *const labels[] = {"main", "users"};
static const char *const parents_m[] = {"b2", "c3"};
static const char *const depends[] = {"x9"};
static const char *const children_bp[] = {"b2", "c3"};

static const struct mgr_event_revision rev_head = {
    "d4", "merge", "", "migrations/d4_merge.sql", "2026-12-01 10:00:00",
    parents_m, 2, depends, 1, labels, 2, NULL, 0,
    MGR_REV_HEAD | MGR_REV_REAL_HEAD | MGR_REV_MERGEPOINT | MGR_REV_CURRENT};
static const struct mgr_event_revision rev_base = {
    "a1", "create users", "long\ndescription", "migrations/a1.sql",
    "2026-11-30 09:00:00", NULL, 0, NULL, 0, NULL, 0, children_bp, 2,
    MGR_REV_BASE | MGR_REV_BRANCHPOINT};

static void assert_rev_head(json_t *r)
{
    assert_keys(r, revision_obj_keys);
    assert_str(r, "id", "d4");
    assert_str(r, "message", "merge");
    assert_str(r, "doc", "");
    assert_str(r, "path", "migrations/d4_merge.sql");
    assert_str(r, "create_date", "2026-12-01 10:00:00");
    assert_strings(r, "parents", parents_m, 2);
    assert_strings(r, "depends_on", depends, 1);
    assert_strings(r, "branch_labels", labels, 2);
    assert_strings(r, "children", NULL, 0);
    assert_bool(r, "head", 1);
    assert_bool(r, "real_head", 1);
    assert_bool(r, "base", 0);
    assert_bool(r, "branchpoint", 0);
    assert_bool(r, "mergepoint", 1);
    assert_bool(r, "current", 1);
}

static void assert_rev_base(json_t *r)
{
    assert_keys(r, revision_obj_keys);
    assert_str(r, "id", "a1");
    assert_str(r, "doc", "long\ndescription");
    assert_strings(r, "parents", NULL, 0);
    assert_strings(r, "depends_on", NULL, 0);
    assert_strings(r, "branch_labels", NULL, 0);
    assert_strings(r, "children", children_bp, 2);
    assert_bool(r, "head", 0);
    assert_bool(r, "real_head", 0);
    assert_bool(r, "base", 1);
    assert_bool(r, "branchpoint", 1);
    assert_bool(r, "mergepoint", 0);
    assert_bool(r, "current", 0);
}

static void emit_record(enum mgr_record_kind kind, const char *command,
                        const struct mgr_event_revision *rev, int verbose)
{
    struct mgr_event ev = new_event(MGR_EV_RECORD);

    ev.command = command;
    ev.record_kind = kind;
    ev.revision = rev;
    ev.verbose = verbose;
    ev.text = "d4 (head)\n";
    emit(&ev);
}

START_TEST(test_records_and_output)
{
    static const char *const kinds[] = {"head", "history", "current",
                                        "branch", "show"};
    static const char *const commands[] = {"heads", "history", "current",
                                           "branches", "show"};
    struct mgr_event ev;
    json_t *o;

    emit_record(MGR_REC_HEAD, "heads", &rev_head, 1);
    emit_record(MGR_REC_HISTORY, "history", &rev_head, 0);
    emit_record(MGR_REC_CURRENT, "current", &rev_head, 0);
    emit_record(MGR_REC_BRANCH, "branches", &rev_base, 0);
    emit_record(MGR_REC_SHOW, "show", &rev_base, 1);
    ev = new_event(MGR_EV_OUTPUT);
    ev.command = "upgrade";
    ev.text = "BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n";
    emit(&ev);
    read_report();
    ck_assert_uint_eq(nlines, 6);

    for (size_t i = 0; i < 5; i++) {
        o = event_at(i, "record", record_keys);
        assert_str(o, "command", commands[i]);
        assert_str(o, "kind", kinds[i]);
        assert_bool(o, "verbose", i == 0 || i == 4);
        if (i < 3)
            assert_rev_head(member(o, "revision"));
        else
            assert_rev_base(member(o, "revision"));
    }
    o = event_at(5, "output", output_keys);
    assert_str(o, "text", "BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n");
}
END_TEST

/* Each flag alone sets its own key and no other. */
START_TEST(test_revision_flags)
{
    static const unsigned bits[] = {MGR_REV_HEAD, MGR_REV_REAL_HEAD,
                                    MGR_REV_BASE, MGR_REV_BRANCHPOINT,
                                    MGR_REV_MERGEPOINT, MGR_REV_CURRENT};
    const size_t first = 9; /* revision_obj_keys[9] is "head" */
    struct mgr_event_revision rev = rev_head;
    json_t *r;

    for (size_t i = 0; i < 6; i++) {
        rev.flags = bits[i];
        emit_record(MGR_REC_HISTORY, "history", &rev, 0);
    }
    read_report();
    ck_assert_uint_eq(nlines, 6);
    for (size_t i = 0; i < 6; i++) {
        r = member(event_at(i, "record", record_keys), "revision");
        for (size_t j = 0; j < 6; j++)
            assert_bool(r, revision_obj_keys[first + j], i == j);
    }
}
END_TEST

START_TEST(test_messages_and_lock_wait)
{
    static const int levels[] = {MGR_LOG_ERR, MGR_LOG_WARNING, MGR_LOG_INFO,
                                 MGR_LOG_DEBUG, 42};
    static const char *const names[] = {"error", "warning", "info",
                                        "debug", "debug"};
    struct mgr_event ev;
    json_t *o;

    for (size_t i = 0; i < 5; i++) {
        ev = new_event(MGR_EV_MESSAGE);
        ev.level = levels[i];
        ev.text = names[i];
        emit(&ev);
    }
    ev = new_event(MGR_EV_LOCK_WAIT);
    ev.lock_key = "migrator:alembic_version";
    ev.holder = "pid 4242";
    ev.waited = 2.5;
    ev.lock_wait = 60.0;
    ev.text = "waiting for the migration lock held by pid 4242";
    emit(&ev);
    read_report();
    ck_assert_uint_eq(nlines, 6);

    for (size_t i = 0; i < 5; i++) {
        o = event_at(i, "message", message_keys);
        assert_str(o, "level", names[i]);
        assert_str(o, "text", names[i]);
    }
    o = event_at(5, "lock_wait", lock_wait_keys);
    assert_str(o, "lock", "migrator:alembic_version");
    assert_str(o, "holder", "pid 4242");
    assert_num(o, "waited", 2.5);
    assert_num(o, "lock_wait", 60.0);
    assert_str(o, "text", "waiting for the migration lock held by pid 4242");
}
END_TEST

START_TEST(test_stamp_and_downgrade_actions)
{
    static const struct mgr_event_step steps[] = {
        {1, MGR_STEP_DOWNGRADE, "b2", "add email", "b2.sql", to_b2, 1,
         to_a1, 1},
        {2, MGR_STEP_STAMP, NULL, "", NULL, to_a1, 1, NULL, 0},
        {3, (enum mgr_step_action)7, "c3", "", "c3.sql", NULL, 0, NULL, 0},
    };
    static const struct mgr_event_step *const steps_list[] = {
        &steps[0], &steps[1], &steps[2]
    };
    struct mgr_event ev = new_event(MGR_EV_PLAN);
    json_t *a;

    ev.command = "downgrade";
    ev.plan = steps_list;
    ev.nplan = 3;
    emit(&ev);
    read_report();
    ck_assert_uint_eq(nlines, 1);
    a = member(event_at(0, "plan", plan_keys), "steps");
    ck_assert_uint_eq(json_array_size(a), 3);
    assert_str(json_array_get(a, 0), "action", "downgrade");
    assert_strings(json_array_get(a, 0), "from", to_b2, 1);
    assert_str(json_array_get(a, 1), "action", "stamp");
    assert_null(json_array_get(a, 1), "revision");
    assert_str(json_array_get(a, 1), "message", "");
    assert_strings(json_array_get(a, 1), "to", NULL, 0);
    assert_null(json_array_get(a, 2), "action");
    assert_int(json_array_get(a, 2), "index", 3);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

START_TEST(test_failing_run)
{
    struct mgr_event ev = new_event(MGR_EV_RUN_START);
    json_t *o;

    emit(&ev);
    ev = new_event(MGR_EV_PLAN);
    ev.plan = plan2_list;
    ev.nplan = 2;
    emit(&ev);
    emit_steps(1);
    ev = new_event(MGR_EV_ERROR);
    ev.error = &db_error;
    emit(&ev);
    ev = new_event(MGR_EV_RUN_END);
    ev.status = MGR_EDB;
    ev.error = &db_error;
    ev.exit_code = 1;
    ev.seconds = 2.0;
    ev.steps_run = 1;
    ev.steps_committed = 1;
    emit(&ev);
    read_report();
    ck_assert_uint_eq(nlines, 8);

    o = event_at(3, "step_end", step_end_keys);
    assert_bool(o, "ok", 1);
    assert_null(o, "error");
    o = event_at(5, "step_end", step_end_keys);
    assert_step(member(o, "step"), &plan2[1]);
    assert_bool(o, "ok", 0);
    assert_num(o, "seconds", 1.5);
    assert_db_error(member(o, "error"));

    o = event_at(6, "error", error_keys);
    assert_db_error(member(o, "error"));

    o = event_at(7, "run_end", run_end_keys);
    assert_bool(o, "ok", 0);
    assert_int(o, "exit_code", 1);
    assert_num(o, "seconds", 2.0);
    assert_int(o, "steps_run", 1);
    assert_int(o, "steps_committed", 1);
    assert_db_error(member(o, "error"));
}
END_TEST

static void assert_write_fails(FILE *f, const char *path)
{
    struct mgr_report_target t;
    struct mgr_event ev = new_event(MGR_EV_OUTPUT);
    void *bad;

    ck_assert_ptr_nonnull(f);
    memset(&t, 0, sizeof(t));
    t.size = sizeof(t);
    t.out = f;
    t.log = f;
    t.path = path;
    ck_assert_int_eq(ops->open(state, &t, &bad, &err), MGR_OK);
    ev.text = "text that cannot be written\n";
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(ops->event(bad, &ev, &err), MGR_EIO);
    ck_assert_int_eq(err.code, MGR_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot write"));
    if (path)
        ck_assert_ptr_nonnull(strstr(err.msg, path));
    ck_assert_int_ne(err.sys_errno, 0);
    ck_assert_int_eq(ops->close(bad, &err), MGR_OK);
    fclose(f);
}

START_TEST(test_write_error_read_only)
{
    assert_write_fails(fopen("/dev/null", "r"), NULL);
}
END_TEST

START_TEST(test_write_error_full_device)
{
    assert_write_fails(fopen("/dev/full", "w"), "/dev/full");
}
END_TEST

START_TEST(test_open_without_stream)
{
    struct mgr_report_target t;
    void *bad = NULL;

    memset(&t, 0, sizeof(t));
    t.size = sizeof(t);
    ck_assert_int_eq(ops->open(state, &t, &bad, &err), MGR_EPLUGIN);
    ck_assert_int_eq(err.code, MGR_EPLUGIN);
    ck_assert_ptr_null(bad);
    t.out = out;
    t.size = offsetof(struct mgr_report_target, out);
    ck_assert_int_eq(ops->open(state, &t, &bad, &err), MGR_EPLUGIN);
    ck_assert_ptr_null(bad);
}
END_TEST

/* ---- limits ------------------------------------------------------------- */

/* Every kind of trouble a string can bring, and what it must become. */
static const char nasty[] =
    "q\"b\\s/\nt\t\x01\x1f\x7f|\xff|\xe2\x82|\xc0\xaf|\xed\xa0\x80|"
    "\xc3\xa9\xf0\x9f\x98\x80|\x80|\xf4\x90\x80\x80|\xe2\x82";
static const char nasty_clean[] =
    "q\"b\\s/\nt\t\x01\x1f\x7f|\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
    "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
    "\xc3\xa9\xf0\x9f\x98\x80|\xef\xbf\xbd|"
    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
    "\xef\xbf\xbd\xef\xbf\xbd";

START_TEST(test_nasty_strings)
{
    static const char *const list[] = {nasty, "ok"};
    static const char *const clean_list[] = {nasty_clean, "ok"};
    const struct mgr_event_step step = {1, MGR_STEP_UPGRADE, nasty, nasty,
                                        nasty, list, 2, list, 2};
    const struct mgr_event_error e = {MGR_EDB, 1, nasty, nasty, nasty, 1,
                                      nasty, nasty, nasty, nasty};
    const struct mgr_event_revision rev = {nasty, nasty, nasty, nasty, nasty,
                                           list, 2, list, 2, list, 2, list,
                                           2, 0};
    struct mgr_event ev = new_event(MGR_EV_MESSAGE);
    json_t *o;

    ev.command = nasty;
    ev.level = MGR_LOG_WARNING;
    ev.text = nasty;
    emit(&ev);
    ev.type = MGR_EV_RUN_START;
    ev.target = nasty;
    ev.database = nasty;
    emit(&ev);
    ev.type = MGR_EV_STEP_END;
    ev.step = &step;
    ev.status = MGR_EDB;
    ev.error = &e;
    emit(&ev);
    ev.type = MGR_EV_RECORD;
    ev.record_kind = MGR_REC_SHOW;
    ev.revision = &rev;
    emit(&ev);
    ev.type = MGR_EV_LOCK_WAIT;
    ev.lock_key = nasty;
    ev.holder = nasty;
    emit(&ev);
    read_report();
    ck_assert_uint_eq(nlines, 5);

    o = event_at(0, "message", message_keys);
    assert_str(o, "command", nasty_clean);
    assert_str(o, "text", nasty_clean);
    o = event_at(1, "run_start", run_start_keys);
    assert_str(o, "target", nasty_clean);
    assert_str(o, "database", nasty_clean);
    o = event_at(2, "step_end", step_end_keys);
    for (size_t i = 0; i < 3; i++)
        assert_str(member(o, "step"), step_obj_keys[2 + i], nasty_clean);
    assert_strings(member(o, "step"), "from", clean_list, 2);
    assert_strings(member(o, "step"), "to", clean_list, 2);
    for (size_t i = 0; i < 10; i++)
        if (i != 0 && i != 1 && i != 5)
            assert_str(member(o, "error"), error_obj_keys[i], nasty_clean);
    o = event_at(3, "record", record_keys);
    for (size_t i = 0; i < 5; i++)
        assert_str(member(o, "revision"), revision_obj_keys[i],
                   nasty_clean);
    for (size_t i = 5; i < 9; i++)
        assert_strings(member(o, "revision"), revision_obj_keys[i],
                       clean_list, 2);
    o = event_at(4, "lock_wait", lock_wait_keys);
    assert_str(o, "lock", nasty_clean);
    assert_str(o, "holder", nasty_clean);
}
END_TEST

START_TEST(test_null_strings)
{
    static const char *const with_null[] = {"a1", NULL};
    const struct mgr_event_step step = {1, MGR_STEP_UPGRADE, NULL, NULL,
                                        NULL, NULL, 3, with_null, 2};
    const struct mgr_event_error e = {MGR_EIO, 1, NULL, NULL, NULL, 0,
                                      "", "", "", NULL};
    const struct mgr_event_error e2 = {MGR_EIO, 1, "m", "r", "f", 0,
                                       NULL, NULL, NULL, "x"};
    const struct mgr_event_revision rev = {NULL, NULL, NULL, NULL, NULL,
                                           NULL, 0, NULL, 0, NULL, 0,
                                           NULL, 0, 0};
    struct mgr_event ev = new_event(MGR_EV_RUN_START);
    json_t *o, *x;

    ev.command = NULL;
    emit(&ev);
    ev.type = MGR_EV_STEP_END;
    ev.step = &step;
    ev.status = MGR_EIO;
    ev.error = &e;
    emit(&ev);
    ev.type = MGR_EV_ERROR;
    ev.error = &e2;
    emit(&ev);
    ev.type = MGR_EV_RECORD;
    ev.revision = &rev;
    ev.record_kind = (enum mgr_record_kind)0;
    emit(&ev);
    ev.type = MGR_EV_STEP_START;
    ev.step = NULL;
    emit(&ev);
    ev.type = MGR_EV_PLAN;
    ev.plan = NULL;
    ev.nplan = 4;
    emit(&ev);
    read_report();
    ck_assert_uint_eq(nlines, 6);

    o = event_at(0, "run_start", run_start_keys);
    assert_null(o, "command");
    assert_null(o, "target");
    assert_null(o, "database");

    o = event_at(1, "step_end", step_end_keys);
    x = member(o, "step");
    assert_keys(x, step_obj_keys);
    assert_null(x, "revision");
    assert_null(x, "message");
    assert_null(x, "path");
    assert_strings(x, "from", NULL, 0);
    ck_assert_uint_eq(json_array_size(member(x, "to")), 2);
    ck_assert(json_is_null(json_array_get(member(x, "to"), 1)));
    x = member(o, "error");
    assert_keys(x, error_obj_keys);
    assert_int(x, "status", MGR_EIO);
    for (size_t i = 2; i < 10; i++)
        assert_null(x, error_obj_keys[i]);

    x = member(event_at(2, "error", error_keys), "error");
    assert_str(x, "file", "f");
    assert_null(x, "line");
    assert_null(x, "sqlstate");
    assert_null(x, "detail");
    assert_null(x, "hint");
    assert_str(x, "revision", "x");

    o = event_at(3, "record", record_keys);
    assert_null(o, "kind");
    x = member(o, "revision");
    assert_keys(x, revision_obj_keys);
    for (size_t i = 0; i < 5; i++)
        assert_null(x, revision_obj_keys[i]);
    for (size_t i = 5; i < 9; i++)
        assert_strings(x, revision_obj_keys[i], NULL, 0);
    for (size_t i = 9; revision_obj_keys[i]; i++)
        assert_bool(x, revision_obj_keys[i], 0);

    assert_null(event_at(4, "step_start", step_start_keys), "step");
    assert_strings(event_at(5, "plan", plan_keys), "steps", NULL, 0);
}
END_TEST

START_TEST(test_unknown_type)
{
    struct mgr_event ev = new_event((enum mgr_event_type)99);
    json_t *o;

    emit(&ev);
    ev.type = (enum mgr_event_type)0;
    emit(&ev);
    ev.type = (enum mgr_event_type)-3;
    emit(&ev);
    read_report();
    ck_assert_uint_eq(nlines, 3);
    o = event_at(0, "unknown", unknown_keys);
    assert_str(o, "command", "upgrade");
    assert_int(o, "type", 99);
    assert_int(event_at(1, "unknown", unknown_keys), "type", 0);
    assert_int(event_at(2, "unknown", unknown_keys), "type", -3);
}
END_TEST

/* Fields past ev->size are garbage and must not be read. */
START_TEST(test_short_event)
{
    static const enum mgr_event_type types[] = {
        MGR_EV_RUN_START, MGR_EV_RUN_END,   MGR_EV_STEP_START,
        MGR_EV_STEP_END,  MGR_EV_MESSAGE,   MGR_EV_ERROR,
        MGR_EV_LOCK_WAIT, MGR_EV_RECORD,    MGR_EV_OUTPUT,
        MGR_EV_PLAN};
    static const char *const names[] = {
        "run_start", "run_end", "step_start", "step_end", "message",
        "error", "lock_wait", "record", "output", "plan"};
    const size_t ntypes = sizeof(types) / sizeof(types[0]);
    struct mgr_event *ev = malloc(sizeof(*ev));
    json_t *o;
    void *it;

    ck_assert_ptr_nonnull(ev);
    memset(ev, 0xa5, sizeof(*ev));
    ev->size = offsetof(struct mgr_event, target);
    ev->command = "upgrade";
    ev->time = T0;
    ev->elapsed = 3.0;
    for (size_t i = 0; i < ntypes; i++) {
        ev->type = types[i];
        emit(ev);
    }
    read_report();
    ck_assert_uint_eq(nlines, ntypes);
    for (size_t i = 0; i < ntypes; i++) {
        o = lines[i];
        assert_int(o, "v", 1);
        assert_str(o, "time", T0_TEXT);
        assert_num(o, "elapsed", 3.0);
        assert_str(o, "command", "upgrade");
        assert_str(o, "event", names[i]);
        it = json_object_iter_at(o, "command");
        ck_assert_ptr_nonnull(it);
        ck_assert_ptr_nonnull(json_object_iter_next(o, it));
        for (it = json_object_iter_next(o, it); it;
             it = json_object_iter_next(o, it))
            ck_assert_msg(json_is_null(json_object_iter_value(it)),
                          "line %zu: '%s' is not null", i + 1,
                          json_object_iter_key(it));
    }
    free(ev);
}
END_TEST

/* A size cutting STEP_END after status: step and ok, no seconds, error. */
START_TEST(test_short_event_partial)
{
    struct mgr_event *ev = malloc(sizeof(*ev));
    json_t *o;

    ck_assert_ptr_nonnull(ev);
    memset(ev, 0xa5, sizeof(*ev));
    ev->size = offsetof(struct mgr_event, status) + sizeof(ev->status);
    ev->type = MGR_EV_STEP_END;
    ev->command = "upgrade";
    ev->time = T0;
    ev->elapsed = 0.0;
    ev->step = &plan2[0];
    ev->status = MGR_OK;
    emit(ev);
    ev->size = offsetof(struct mgr_event, type);
    emit(ev);
    read_report();
    ck_assert_uint_eq(nlines, 2);
    o = event_at(0, "step_end", step_end_keys);
    assert_step(member(o, "step"), &plan2[0]);
    assert_bool(o, "ok", 1);
    assert_null(o, "seconds");
    assert_null(o, "error");
    o = lines[1];
    assert_keys(o, unknown_keys);
    assert_str(o, "event", "unknown");
    assert_null(o, "type");
    assert_null(o, "time");
    assert_null(o, "command");
    free(ev);
}
END_TEST

START_TEST(test_odd_numbers)
{
    struct mgr_event ev = new_event(MGR_EV_RUN_END);
    json_t *o;

    ev.time = NAN;
    ev.elapsed = INFINITY;
    ev.seconds = -INFINITY;
    ev.steps_run = (size_t)-1;
    emit(&ev);
    ev.time = 0.9996; /* rounds up to the next second */
    ev.elapsed = 0.0;
    emit(&ev);
    ev.time = -0.5;
    emit(&ev);
    ev.time = 1e300;
    emit(&ev);
    read_report();
    ck_assert_uint_eq(nlines, 4);
    o = lines[0];
    assert_keys(o, run_end_keys);
    assert_null(o, "time");
    assert_null(o, "elapsed");
    assert_null(o, "seconds");
    ck_assert(json_is_integer(member(o, "steps_run")));
    ck_assert_int_gt(json_integer_value(member(o, "steps_run")), 0);
    assert_str(lines[1], "time", "1970-01-01T00:00:01.000Z");
    assert_str(lines[2], "time", "1969-12-31T23:59:59.500Z");
    assert_null(lines[3], "time");
}
END_TEST

/* ---- lint --------------------------------------------------------------- */

static const struct mgr_event_finding finding_full = {
    "adding-required-field", "postgresql", MGR_SEVERITY_ERROR, "error",
    "ADD COLUMN rent NOT NULL without a default fails on units",
    "add the column with a default, fill it, then set NOT NULL:\n"
    "ALTER TABLE units ADD COLUMN rent numeric DEFAULT 0;",
    "versions/0003_add_rent.sql", 12, "0003",
    "ALTER TABLE units\n  ADD COLUMN rent numeric NOT NULL", "units",
    1200000.0, 356515840.0, "confirmed", 11};

static void emit_finding(const struct mgr_event_finding *f)
{
    struct mgr_event ev = new_event(MGR_EV_FINDING);

    ev.command = "lint";
    ev.finding = f;
    emit(&ev);
}

static void emit_trace(const struct mgr_event_trace *t)
{
    struct mgr_event ev = new_event(MGR_EV_TRACE);

    ev.command = "lint";
    ev.trace = t;
    emit(&ev);
}

START_TEST(test_finding)
{
    json_t *o;

    emit_finding(&finding_full);
    read_report();
    ck_assert_uint_eq(nlines, 1);
    o = event_at(0, "finding", finding_keys);
    assert_str(o, "command", "lint");
    assert_str(o, "rule", "adding-required-field");
    assert_str(o, "linter", "postgresql");
    assert_str(o, "severity", "error");
    assert_int(o, "severity_level", MGR_SEVERITY_ERROR);
    assert_str(o, "message", finding_full.message);
    assert_str(o, "hint", finding_full.hint);
    assert_str(o, "file", "versions/0003_add_rent.sql");
    assert_int(o, "line", 12);
    assert_str(o, "revision", "0003");
    assert_str(o, "statement", finding_full.statement);
    assert_int(o, "statement_line", 11);
    assert_str(o, "table", "units");
    assert_int(o, "rows", 1200000);
    assert_int(o, "bytes", 356515840);
    assert_str(o, "trace", "confirmed");
}
END_TEST

/* "" where the header allows it, sizes not known, no severity name. */
START_TEST(test_finding_bare)
{
    struct mgr_event_finding f = finding_full;
    json_t *o;

    f.severity = MGR_SEVERITY_WARNING;
    f.severity_name = NULL;
    f.hint = "";
    f.line = 0;
    f.statement = "";
    f.table = "";
    f.rows = -1;
    f.bytes = -1;
    f.trace = "";
    emit_finding(&f);
    f.severity = MGR_SEVERITY_NOTICE;
    f.severity_name = "";
    f.rows = 12.5; /* an estimate need not be whole */
    f.bytes = 0;
    emit_finding(&f);
    f.severity = (enum mgr_severity)0;
    emit_finding(&f);
    read_report();
    ck_assert_uint_eq(nlines, 3);
    o = event_at(0, "finding", finding_keys);
    assert_str(o, "severity", "warning");
    assert_int(o, "severity_level", MGR_SEVERITY_WARNING);
    assert_null(o, "hint");
    assert_null(o, "line");
    assert_null(o, "statement");
    assert_null(o, "table");
    assert_null(o, "rows");
    assert_null(o, "bytes");
    assert_null(o, "trace");
    o = event_at(1, "finding", finding_keys);
    assert_str(o, "severity", "notice");
    assert_int(o, "severity_level", MGR_SEVERITY_NOTICE);
    ck_assert(json_is_real(member(o, "rows")));
    assert_num(o, "rows", 12.5);
    assert_int(o, "bytes", 0);
    o = event_at(2, "finding", finding_keys);
    assert_null(o, "severity");
    assert_null(o, "severity_level");
}
END_TEST

static const struct mgr_event_lock lock_t = {"public.t", "ACCESS EXCLUSIVE",
                                             "reads and writes"};
static const struct mgr_event_lock lock_u = {"public.u",
                                             "SHARE UPDATE EXCLUSIVE", ""};
static const struct mgr_event_lock *const two_locks[] = {&lock_t, &lock_u};
static const char *const rewritten[] = {"public.t", "public.t_pkey"};
static const char *const constraints[] = {"fk_a on public.t (validated)"};

START_TEST(test_trace)
{
    const struct mgr_event_trace t = {
        "versions/0003_retype.sql", 9, "0003",
        "ALTER TABLE t ALTER COLUMN a TYPE bigint", 0.0042, two_locks, 2,
        rewritten, 2, constraints, 1};
    const struct mgr_event_trace none = {
        "versions/0003_retype.sql", 11, "0003", "CREATE TABLE v (a int)",
        0.5, NULL, 0, NULL, 0, NULL, 0};
    json_t *o, *locks;

    emit_trace(&t);
    emit_trace(&none);
    read_report();
    ck_assert_uint_eq(nlines, 2);
    o = event_at(0, "trace", trace_keys);
    assert_str(o, "command", "lint");
    assert_str(o, "file", "versions/0003_retype.sql");
    assert_int(o, "line", 9);
    assert_str(o, "revision", "0003");
    assert_str(o, "statement", t.statement);
    assert_num(o, "seconds", 0.0042);
    locks = member(o, "locks");
    ck_assert(json_is_array(locks));
    ck_assert_uint_eq(json_array_size(locks), 2);
    assert_keys(json_array_get(locks, 0), lock_obj_keys);
    assert_str(json_array_get(locks, 0), "relation", "public.t");
    assert_str(json_array_get(locks, 0), "mode", "ACCESS EXCLUSIVE");
    assert_str(json_array_get(locks, 0), "blocks", "reads and writes");
    assert_keys(json_array_get(locks, 1), lock_obj_keys);
    assert_str(json_array_get(locks, 1), "mode", "SHARE UPDATE EXCLUSIVE");
    assert_null(json_array_get(locks, 1), "blocks");
    assert_strings(o, "rewritten", rewritten, 2);
    assert_strings(o, "constraints", constraints, 1);
    o = event_at(1, "trace", trace_keys);
    assert_int(o, "line", 11);
    assert_num(o, "seconds", 0.5);
    assert_strings(o, "locks", NULL, 0);
    assert_strings(o, "rewritten", NULL, 0);
    assert_strings(o, "constraints", NULL, 0);
}
END_TEST

START_TEST(test_lint_nasty_strings)
{
    static const char *const list[] = {nasty, NULL};
    const struct mgr_event_lock bad = {nasty, nasty, nasty};
    const struct mgr_event_lock *const locks[] = {&bad, NULL};
    const struct mgr_event_finding f = {
        nasty, nasty, MGR_SEVERITY_ERROR, nasty, nasty, nasty, nasty, 1,
        nasty, nasty, nasty, NAN, INFINITY, nasty, -3};
    const struct mgr_event_trace t = {nasty, -4, nasty, nasty, NAN, locks,
                                      2, list, 2, list, 2};
    json_t *o, *a;

    emit_finding(&f);
    emit_trace(&t);
    read_report();
    ck_assert_uint_eq(nlines, 2);
    o = event_at(0, "finding", finding_keys);
    for (size_t i = 5; finding_keys[i]; i++) {
        const char *k = finding_keys[i];

        if (strcmp(k, "severity_level") == 0)
            assert_int(o, k, MGR_SEVERITY_ERROR);
        else if (strcmp(k, "line") == 0)
            assert_int(o, k, 1);
        else if (strcmp(k, "rows") == 0 || strcmp(k, "bytes") == 0 ||
                 strcmp(k, "statement_line") == 0)
            assert_null(o, k);
        else
            assert_str(o, k, nasty_clean);
    }
    o = event_at(1, "trace", trace_keys);
    assert_str(o, "file", nasty_clean);
    assert_null(o, "line");
    assert_str(o, "statement", nasty_clean);
    assert_null(o, "seconds");
    a = member(o, "locks");
    ck_assert_uint_eq(json_array_size(a), 2);
    for (size_t i = 0; lock_obj_keys[i]; i++)
        assert_str(json_array_get(a, 0), lock_obj_keys[i], nasty_clean);
    ck_assert(json_is_null(json_array_get(a, 1)));
    a = member(o, "rewritten");
    ck_assert_uint_eq(json_array_size(a), 2);
    ck_assert_str_eq(json_string_value(json_array_get(a, 0)), nasty_clean);
    ck_assert(json_is_null(json_array_get(a, 1)));
}
END_TEST

/* A host whose events end before finding (1.2), or one that sends no
 * struct: the event's fields are null, nothing past size is read. */
START_TEST(test_lint_short_event)
{
    static const enum mgr_event_type types[] = {MGR_EV_FINDING,
                                                MGR_EV_TRACE};
    static const char *const names[] = {"finding", "trace"};
    static const char *const *const keys[] = {finding_keys, trace_keys};
    struct mgr_event *ev = malloc(sizeof(*ev));

    ck_assert_ptr_nonnull(ev);
    for (size_t i = 0; i < 2; i++) {
        memset(ev, 0xa5, sizeof(*ev));
        ev->size = offsetof(struct mgr_event, finding);
        ev->type = types[i];
        ev->command = "lint";
        ev->time = T0;
        ev->elapsed = 0.0;
        emit(ev);
        ev->size = sizeof(*ev);
        ev->finding = NULL;
        ev->trace = NULL;
        emit(ev);
    }
    read_report();
    ck_assert_uint_eq(nlines, 4);
    for (size_t i = 0; i < 4; i++) {
        json_t *o = event_at(i, names[i / 2], keys[i / 2]);

        for (size_t k = 5; keys[i / 2][k]; k++)
            assert_null(o, keys[i / 2][k]);
    }
    free(ev);
}
END_TEST

static Suite *reporter_json_suite(void)
{
    Suite *s = suite_create("reporter_json");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_successful_run);
    tcase_add_test(tc, test_records_and_output);
    tcase_add_test(tc, test_revision_flags);
    tcase_add_test(tc, test_messages_and_lock_wait);
    tcase_add_test(tc, test_stamp_and_downgrade_actions);
    tcase_add_test(tc, test_finding);
    tcase_add_test(tc, test_finding_bare);
    tcase_add_test(tc, test_trace);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_failing_run);
    tcase_add_test(tc, test_write_error_read_only);
    tcase_add_test(tc, test_write_error_full_device);
    tcase_add_test(tc, test_open_without_stream);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_nasty_strings);
    tcase_add_test(tc, test_null_strings);
    tcase_add_test(tc, test_unknown_type);
    tcase_add_test(tc, test_short_event);
    tcase_add_test(tc, test_short_event_partial);
    tcase_add_test(tc, test_odd_numbers);
    tcase_add_test(tc, test_lint_nasty_strings);
    tcase_add_test(tc, test_lint_short_event);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reporter_json_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
