/* cmd_usage.c: the usage text of each command, for help COMMAND. */
#include "autoconfig.h"

#include <string.h>

#include "cmd.h"

struct usage {
    const char *name;
    const char *text;
};

static const struct usage usages[] = {
    { "branches",
      "usage: migrator branches [-v]\n\n"
      "Every branch point, then the revisions it branches into.\n" },
    { "baseline",
      "usage: migrator baseline -m MSG [--head REV] [--rev-id ID]\n"
      "                         [--version-path DIR] [--branch-label L]\n\n"
      "For a database with tables and no version table: under the lock,\n"
      "write a revision that creates its schema (its downgrade drops it)\n"
      "and stamp the database at it.\n" },
    { "check",
      "usage: migrator check\n\n"
      "Exit 0 when the version table holds exactly the head revisions, the\n"
      "schema matches schema_file (when it exists) and nothing changed\n"
      "outside migrations since migrator last recorded the schema; else\n"
      "exit 1, with one line per difference.\n" },
    { "current",
      "usage: migrator current [-v] [--check-heads]\n\n"
      "The revisions the database is at. --check-heads fails (exit 1)\n"
      "unless they are all the heads.\n" },
    { "downgrade",
      "usage: migrator downgrade [--sql] [--tag TAG] [--yes] REVISION\n\n"
      "Revert to REVISION: an id, base, -N, LABEL@-N, ... With --sql,\n"
      "REVISION is a range START:END and the SQL is printed instead of run.\n"
      "One step down from a merge revision undoes the merge only.\n"
      "A protected database (protected = true) asks on a terminal for its\n"
      "name; --yes goes ahead without asking.\n" },
    { "edit",
      "usage: migrator edit REVISION\n\n"
      "Open the script of REVISION in $VISUAL or $EDITOR.\n" },
    { "ensure-version",
      "usage: migrator ensure-version [--sql]\n\n"
      "Create the version table and migrator_log when they are missing.\n" },
    { "heads",
      "usage: migrator heads [-v] [--resolve-dependencies]\n\n"
      "The head revisions, in file order. '(effective head)' marks a head\n"
      "that another branch depends on; --resolve-dependencies leaves those\n"
      "out.\n" },
    { "help", "usage: migrator help [COMMAND]\n" },
    { "history",
      "usage: migrator history [-r START:END] [-v] [-i]\n\n"
      "The revisions from START (default base) to END (default heads),\n"
      "newest first. -i marks the current ones (reads the database).\n" },
    { "init",
      "usage: migrator init [--template NAME] DIR\n\n"
      "Create a migration environment: migrator.ini in the working\n"
      "directory, DIR/versions/ and DIR/README. DIR must be empty or\n"
      "absent. --template picks a template (see list-templates);\n"
      "the default is 'generic'.\n" },
    { "list-templates",
      "usage: migrator list-templates\n\n"
      "List the templates that init can use, one line each.\n" },
    { "plugins",
      "usage: migrator plugins\n\n"
      "Try every module file on the search path (--plugin-dir,\n"
      "$MIGRATOR_PLUGIN_PATH, plugin_path of the config when there is one,\n"
      "the installed plugins) and print one line for each:\n"
      "  <kind>  <name>  <version>  ABI <major>.<minor>  <path>\n"
      "  refused  <path>: <reason>\n"
      "  shadowed  <path>: by '<first path>'\n"
      "A file is shadowed, and not opened, when a plugin of its kind and\n"
      "name was found in an earlier directory.\n\n"
      "Exit status: 0 when nothing was refused, 6 when a file was refused as\n"
      "untrusted (its owner or permissions, or those of a directory above\n"
      "it), otherwise 2 when a file was refused for another reason.\n" },
    { "merge",
      "usage: migrator merge REVISION... [-m MSG] [--branch-label L] "
      "[--rev-id ID]\n\n"
      "Write a revision whose parents are the given heads ('heads' for\n"
      "all of them). Refuses fewer than two.\n" },
    { "resolve",
      "usage: migrator resolve REVISION --mark-applied|--mark-rolled-back|"
      "--accept-checksum\n\n"
      "Settle a transaction=false revision that failed part-way: after\n"
      "checking the database, say whether it is applied (the version table\n"
      "is moved past it) or rolled back. --accept-checksum records the\n"
      "current checksum of an applied script that was edited on purpose;\n"
      "the acceptance stays in migrator_log.\n" },
    { "revision",
      "usage: migrator revision -m MSG [--head REV] [--splice]\n"
      "                         [--branch-label L] [--depends-on REV]...\n"
      "                         [--rev-id ID] [--version-path DIR]\n"
      "                         [--format sql|c] [--autogenerate]\n\n"
      "Write a new script from script.<format>.tmpl (default sql). --head\n"
      "base starts a new branch; --splice branches from a revision that is\n"
      "not a head. --autogenerate fills it with what takes the database (at\n"
      "its heads) to schema_file, and writes nothing when they match.\n" },
    { "schema",
      "usage: migrator schema dump [-o FILE]\n\n"
      "The live schema as SQL, in a fixed order: it loads back into an\n"
      "empty database and dumps the same. -o writes it to FILE.\n" },
    { "show",
      "usage: migrator show REVISION\n\n"
      "A revision in full: parents, branches, labels, path, description.\n" },
    { "stamp",
      "usage: migrator stamp [--sql] [--purge [--yes]] REVISION...\n\n"
      "Set the version table to REVISION(s) without running any script.\n"
      "--purge empties the table first; on a protected database it asks\n"
      "on a terminal for the database's name, or needs --yes.\n" },
    { "lint",
      "usage: migrator lint [--trace] [RANGE]\n"
      "       migrator lint --rules\n\n"
      "Review the scripts of RANGE for what hurts in production: a missing\n"
      "downgrade, long locks and table rewrites on existing tables, data\n"
      "destroyed without a '-- migrator:destructive' line, statements that\n"
      "cannot run again. RANGE is start:end as for 'upgrade --sql', or one\n"
      "revision; by default the revisions the database has not applied\n"
      "(all when it cannot be reached). Each finding has a rule, a\n"
      "severity, file:line and the safe way to write it; the size of the\n"
      "table comes from the database when it can be reached. Exits 1 when\n"
      "an error remains. '-- migrator:lint-ignore RULE reason' before a\n"
      "statement silences RULE for it; lint_ignore in the config for the\n"
      "project. --trace runs RANGE on a scratch database, statement by\n"
      "statement, and reports the locks each takes and the tables it\n"
      "rewrites (PostgreSQL). --rules lists the rules.\n" },
    { "status",
      "usage: migrator status\n\n"
      "Say where the database stands, read-only (no table, no file, no\n"
      "lock): the version rows and the heads, then every situation that\n"
      "needs attention with the command that settles it: revisions to\n"
      "apply, revisions the scripts lack, rows no upgrade can follow, a\n"
      "failed transaction=false revision, an edited script, several heads,\n"
      "a stale table lock, changes made outside migrations. Exit 0 only\n"
      "when nothing does; 4 for a revision awaiting resolve or an edited\n"
      "script; 1 otherwise.\n" },
    { "test",
      "usage: migrator test [--url URL]\n\n"
      "For each revision in order: upgrade to it, downgrade it alone, and\n"
      "check that the schema is as it was; then upgrade again. Fails on the\n"
      "first revision whose downgrade does not restore the schema, naming\n"
      "what it leaves, on a failing or missing section, on more than one\n"
      "head, and when the head differs from schema_file. It runs on a\n"
      "scratch database that it makes and removes (SQLite: in memory), or\n"
      "on the empty database at URL.\n" },
    { "unlock",
      "usage: migrator unlock [--force]\n\n"
      "With lock_strategy = table: remove the lock row that a run which\n"
      "died left in migrator_lock, once its lease (lock_lease, renewed\n"
      "while the run lasts) has run out. Refused while the lease is live,\n"
      "unless --force: then the row goes, with a warning naming its\n"
      "holder. Session locks free themselves; then there is nothing to do.\n" },
    { "upgrade",
      "usage: migrator upgrade [--sql] [--tag TAG] REVISION\n\n"
      "Apply the revisions up to REVISION: head, heads, an id, +N,\n"
      "LABEL@head, ... With --sql, REVISION may be a range START:END and\n"
      "the SQL is printed instead of run (no connection is made).\n" },
    { "verify",
      "usage: migrator verify\n\n"
      "Check that every applied script still has the checksum it was\n"
      "applied with, that no revision awaits resolve, and that every row\n"
      "of the version table has a script. Exit 4 when one does not.\n" },
    { NULL, NULL },
};

int cmd_print_usage(const char *name, FILE *f)
{
    for (const struct usage *u = usages; u->name; u++) {
        if (strcmp(u->name, name) == 0) {
            fputs(u->text, f);
            return 0;
        }
    }
    return -1;
}
