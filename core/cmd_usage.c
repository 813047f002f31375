/* cmd_usage.c: the usage text of each command, for help COMMAND. */
#include "autoconfig.h"

#include <string.h>

#include "cmd.h"

struct usage {
    const char *name;
    const char *text;
};

static const struct usage usages[] = {
    { "help", "usage: migrator help [COMMAND]\n" },
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
