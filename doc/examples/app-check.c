/*
 * app-check.c: an application that refuses to start unless its database
 * is at the head of its migrations. It uses only the installed headers
 * and libmigrator:
 *
 *     cc -o app-check app-check.c $(pkg-config --cflags --libs migrator)
 *     ./app-check path/to/migrator.ini [database-url]
 *
 * Exit 0 when the database is up to date; 1 with the reason (and the
 * pending revisions when it is behind) when it is not; 2 when the
 * project or the database cannot be read. The check is read-only: it
 * takes no lock and creates nothing (not even a SQLite file), so it also
 * runs on a read-only connection and on a hot standby.
 */
#include <stdio.h>

#include <migrator/migrator.h>

static void print_list(const char *title, char **ids, size_t n)
{
    if (n == 0)
        return;
    printf("%s:\n", title);
    for (size_t i = 0; i < n; i++)
        printf("  %s\n", ids[i]);
}

static void print_scripts(const char *title, const struct mgr_db_script *v,
                          size_t n)
{
    if (n == 0)
        return;
    printf("%s:\n", title);
    for (size_t i = 0; i < n; i++)
        printf("  %s %s (%s)\n", v[i].revision, v[i].path, v[i].detail);
}

/* Every situation that holds, the one to deal with first leading. */
static void print_status(const struct mgr_db_status *s)
{
    printf("database: %s\n", mgr_db_state_name(s->state));
    for (int st = MGR_DB_BEHIND; st <= MGR_DB_EDITED; st++)
        if (st != (int)s->state &&
            mgr_db_status_has(s, (enum mgr_db_state)st))
            printf("also: %s\n", mgr_db_state_name((enum mgr_db_state)st));
    print_list("current", s->current, s->ncurrent);
    print_list("pending", s->pending, s->npending);
    print_list("unknown to these scripts", s->unknown, s->nunknown);
    print_list("diverged", s->diverged, s->ndiverged);
    print_scripts("awaiting resolve", s->failed, s->nfailed);
    print_scripts("edited", s->edited, s->nedited);
}

int main(int argc, char **argv)
{
    struct mgr_project_options opts = { .size = sizeof(opts) };
    struct mgr_project *project = NULL;
    struct mgr_db_status *status = NULL;
    struct mgr_error err;
    int exit_code = 2;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s MIGRATOR_INI [DATABASE_URL]\n", argv[0]);
        return 2;
    }
    opts.config_path = argv[1];
    opts.database_url = argc > 2 ? argv[2] : NULL;
    if (mgr_project_open(&opts, &project, &err) != MGR_OK) {
        fprintf(stderr, "app-check: %s\n", err.msg);
        return 2;
    }
    if (mgr_project_status(project, &status, &err) != MGR_OK) {
        fprintf(stderr, "app-check: cannot read the database: %s\n",
                err.msg);
        goto out;
    }
    print_status(status);
    if (status->state == MGR_DB_UP_TO_DATE) {
        exit_code = 0;
    } else {
        fprintf(stderr, "app-check: refusing to start: %s\n",
                status->detail);
        exit_code = 1;
    }
out:
    mgr_db_status_free(status);
    mgr_project_free(project);
    return exit_code;
}
