/*
 * lint.h: `migrator lint`, what its parts share.
 *
 * One lint run reads the scripts of a range revision by revision (the
 * upgrade section, then the downgrade), splits each section with the
 * dialect, parses each statement when the dialect can (parse, ABI 1.3)
 * and hands it to the core's own rules (lint_generic.c) and to every
 * linter plugin that serves the dialect. Findings are kept, not
 * reported at once: the config and the statements' lint-ignore
 * directives silence some, a reachable database adds table sizes (which
 * may raise a severity), and lint --trace marks each one confirmed or
 * not seen. Then they go out as FINDING events in script order.
 *
 *   lint_collect.c   sections into statements, directive comments
 *   lint_generic.c   the rules of the core (linter "migrator")
 *   lint_words.c     the words of a statement, outside quotes/comments
 *   lint_findings.c  the list of findings: report, silence, size, emit
 *   lint_trace.c     lint --trace on a scratch database
 *   op_lint.c        the command: range, database, linters, order
 */
#ifndef MGR_CORE_LINT_H
#define MGR_CORE_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/plugin.h>

#include "ctx.h"

struct db;
struct revision;
struct json_tree;

/* The name under which the core's own rules report. */
#define LINT_CORE "migrator"

/* Directive comments: "-- migrator:lint-ignore RULE[,RULE] reason" and
 * "-- migrator:destructive". */
struct lint_ignore {
    char *rule;
    int line;       /* where the directive is */
    bool has_reason;
    bool used;      /* it silenced something */
};

/* A statement, kept for the whole run (linters may report about an
 * earlier one from end()); pub is what linters see. */
struct lint_stmt {
    struct mgr_lint_statement pub;
    char *text;
    int end_line;              /* the line its text ends on */
    unsigned section_flags;    /* MGR_SECTION_* of its section */
    struct lint_ignore *ignores;
    size_t nignores;
    size_t script;             /* index in mgr_lint.scripts */
};

/* One script of the range, in order, and how its sections went. */
struct lint_script {
    const struct revision *rev;
    bool has_downgrade;        /* the section is there... */
    size_t downgrade_statements; /* ...with this many statements */
    bool downgrade_is_code;    /* it gave no text (format/c): its
                                  statements depend on data, so an empty
                                  one cannot be judged */
    size_t upgrade_statements;
    int downgrade_line;        /* its marker, or 0 */
    int upgrade_line;
    size_t first_stmt, end_stmt; /* its statements in mgr_lint.stmts */
    struct lint_ignore *ignores; /* directives that precede no statement:
                                    for the script-level findings */
    size_t nignores;
};

/* A finding as the run keeps it. */
struct lint_finding {
    struct mgr_event_finding ev; /* strings below, or static */
    char *rule, *linter, *message, *hint, *table, *statement;
    unsigned flags;              /* MGR_FINDING_* */
    char *lock_mode;
    size_t script;               /* for the order of the report */
    size_t seq;                  /* the order it was reported in */
    const struct lint_stmt *stmt; /* or NULL (a script-level finding) */
};

struct mgr_lint {
    struct mgr_ctx *ctx;
    const char *dialect;           /* the dialect's name */
    struct lint_script *scripts;
    size_t nscripts;
    struct lint_stmt **stmts;      /* every statement, in order */
    size_t nstmts;
    struct lint_finding *findings;
    size_t nfindings, cap;
    size_t silenced;               /* findings a directive or the config
                                      dropped */
    char **config_ignores;         /* lint_ignore of the config */
    /* The linter whose begin/statement/end runs now (its rules are
     * checked against its catalogue), or NULL for the core's. */
    const struct mgr_loaded_plugin *current;
};

/* ---- lint_collect.c ---- */

/*
 * Read the sections of script i of l (l->scripts[i].rev) through its
 * format in EXEC_LINT mode, splitting with db's dialect, and append its
 * statements to l->stmts. A section that is missing leaves
 * has_downgrade false; a script the format cannot read fails (exit 2).
 */
int lint_collect_script(struct mgr_lint *l, struct db *db, size_t i);

/* ---- lint_words.c ---- */

/* A word of a statement: identifiers and keywords (quoted identifiers
 * keep their quotes, so that they never match a keyword). */
struct lint_word {
    const char *s;
    size_t len;
    size_t depth; /* parentheses around it */
};

/* The words of text[0..len), outside strings and comments; free *out. */
size_t lint_words(const char *text, size_t len, struct lint_word **out);
/* Whether w is keyword kw, in any case. */
bool lint_word_is(const struct lint_word *w, const char *kw);

/* ---- lint_generic.c ---- */

/* The core's rules, for `lint --rules` and lint_ignore checks. */
extern const struct mgr_lint_rule *const lint_core_rules[];

/* The core's rules over script (its statements collected). */
int lint_generic_script(struct mgr_lint *l, size_t script,
                        struct mgr_error *err);

/* ---- lint_findings.c ---- */

/*
 * Keep a finding of linter (LINT_CORE for the core's rules) about st
 * (NULL: about script as a whole, at f->line), unless a directive or
 * the config silences it. MGR_EPLUGIN when a plugin names a rule it
 * does not declare.
 */
int lint_add(struct mgr_lint *l, const char *linter, struct lint_stmt *st,
             size_t script, const struct mgr_finding *f,
             struct mgr_error *err);

/* Read lint_ignore of the config into l (MGR_ECONFIG for a rule no
 * linter declares: the check runs once the linters are loaded). */
int lint_read_config_ignores(struct mgr_lint *l,
                             const struct mgr_loaded_plugin *const *linters,
                             size_t nlinters, struct mgr_error *err);

/* The size of each finding's table, from db with the linter's
 * table_size_sql, and the severity the config's thresholds give. */
int lint_add_sizes(struct mgr_lint *l, struct db *db,
                   const struct mgr_loaded_plugin *const *linters,
                   size_t nlinters, struct mgr_error *err);

/* Sort by script, line and report order; report each; count. */
void lint_emit(struct mgr_lint *l, size_t counts[4]);

/* A lint-ignore directive that silenced nothing, or named no reason:
 * a notice of its own (rule "lint-ignore"). */
void lint_check_directives(struct mgr_lint *l);

void lint_release(struct mgr_lint *l);

/* mgr_host_api.lint_report. */
int lint_host_report(struct mgr_lint *l, const struct mgr_lint_statement *st,
                     const struct mgr_finding *f, struct mgr_error *err);

/* Which rules apply: a linter's catalogue has id. */
bool lint_rule_known(const struct mgr_lint_rule *const *rules,
                     const char *id);

/* ---- lint_trace.c ---- */

/*
 * lint --trace: bring a scratch database to the revisions before the
 * range (the rows start[0..nstart)), then run each revision of the
 * range statement by statement, one transaction per revision, reading
 * the locks, rewrites and constraints each statement causes with the
 * queries of the first linter that has them. TRACE events go out as it
 * goes; each finding that predicts a lock or a rewrite is marked
 * confirmed or not seen.
 */
int lint_trace(struct mgr_lint *l, const char *const *start, size_t nstart,
               const struct mgr_loaded_plugin *const *linters,
               size_t nlinters);

#endif
