/*
 * cmd.h: the commands of the migrator CLI.
 *
 * Adding a command:
 *  1. write int cmd_<name>(int argc, char **argv, struct mgr_ctx *ctx) in
 *     core/cli/cmd_<name>.c; argv[0] is the command name, options follow;
 *  2. declare it below;
 *  3. add { "<name>", cmd_<name>, FLAGS, "summary" } to commands[] in
 *     core/cli/main.c, keeping the table sorted by name; FLAGS says what
 *     run_cmd() prepares before the call (NEED_CONFIG: the config is
 *     loaded; NEED_SCRIPTS: plugins, scripts and the revision graph too);
 *  4. add its usage to doc/migrator.1 and a test under tests/cli/.
 *
 * A command that reads a project (NEED_CONFIG) sends its output through
 * ctx->report (report.h: records, output, steps), never to stdout
 * itself, so that --reporter json keeps stdout pure JSON. It returns an
 * enum mgr_status; main() prints ctx->err when the status is not MGR_OK,
 * reports it, and turns it into the exit code of DESIGN.md.
 */
#ifndef MGR_CORE_CMD_H
#define MGR_CORE_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include <migrator/migrator.h>


#include "ctx.h"

/* What run_cmd() prepares before calling a command. */
#define NEED_CONFIG 0x1u
#define NEED_SCRIPTS (0x2u | NEED_CONFIG)

typedef int (*cmd_fn)(int argc, char **argv, struct mgr_ctx *ctx);

struct mgr_cmd {
    const char *name;
    cmd_fn fn;
    unsigned flags;
    const char *summary;
};

/* The sorted command table, ended by a NULL name; and a lookup. */
extern const struct mgr_cmd mgr_commands[];
const struct mgr_cmd *cmd_lookup(const char *name);

/* Print a command's usage (from cmd_usage.c) to f. Returns 0 if known. */
int cmd_print_usage(const char *name, FILE *f);

int cmd_branches(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_check(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_current(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_ensure_version(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_downgrade(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_edit(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_heads(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_help(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_history(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_merge(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_resolve(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_revision(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_show(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_stamp(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_unlock(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_upgrade(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_verify(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_init(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_list_templates(int argc, char **argv, struct mgr_ctx *ctx);
int cmd_plugins(int argc, char **argv, struct mgr_ctx *ctx);

#endif
