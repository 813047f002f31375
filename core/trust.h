/*
 * trust.h: whether a module file may be loaded into this process.
 *
 * Loading a module runs its constructors, so the decision has to be made
 * before dlopen() from the file system alone (as sshd's StrictModes does).
 * A file is trusted when:
 *  - it is a regular file (a symbolic link is resolved with realpath()
 *    and its target must pass the same checks; the directories holding
 *    the link must pass them too);
 *  - it and every directory above it, up to /, are owned by root or by
 *    the effective uid;
 *  - neither the file nor its own directory is writable by group or
 *    others;
 *  - a directory further up is writable by group or others only if it
 *    is owned by root and sticky (/tmp): a build under /tmp/x/ is
 *    trusted, a file directly in /tmp is not.
 * ACLs and the group's members are not looked at.
 */
#ifndef MGR_CORE_TRUST_H
#define MGR_CORE_TRUST_H

#include <stdbool.h>
#include <sys/types.h>

#include <migrator/migrator.h>

/* Whether a file owned by uid may be trusted: root's or the effective
 * user's. The config file is held to this rule too (config_load.c). */
bool trust_owner_ok(uid_t uid);

/*
 * Check the plugin file at path (absolute). Returns MGR_OK, or
 * MGR_ETRUST with "refusing to load plugin '<path>': <reason>", or
 * MGR_EPLUGIN when the file cannot be examined (missing, unreadable
 * directory) with "cannot load plugin '<path>': <reason>".
 */
int trust_check_path(const char *path, struct mgr_error *err);

/*
 * The same checks for the loader. On success *real_out is the resolved
 * path to open (free() it): opening it rather than path means no link
 * can be swapped between the check and the open. On failure why->code is
 * the status and why->msg the reason alone, without the file name
 * ("directory '/x' is writable by group or others"); *real_out is NULL.
 */
int trust_check_file(const char *path, char **real_out,
                     struct mgr_error *why);

/*
 * The directories a config file is read from (path as given, relative
 * or not; a symbolic link's own directories and its target's). The
 * config chooses the plugins, the compiler and its flags, so it is held
 * to a plugin's rules, except that a directory others may write is
 * accepted when it is sticky (/tmp, or a sticky directory of the user's):
 * there, nobody else may rename or remove the user's file. Each
 * directory up to / is owned by root or the effective uid. On failure
 * why->code is MGR_ETRUST (or MGR_EPLUGIN when a directory cannot be
 * examined) and why->msg the reason alone.
 */
int trust_check_config_dirs(const char *path, struct mgr_error *why);

#endif
