/*
 * grant_hint.h: when a read-only command (check, current, verify) is
 * refused by the database for want of a privilege (SQLSTATE 42501), say
 * which grant is missing: these commands need only USAGE on the schema
 * of migrator's tables and SELECT on them.
 */
#ifndef MGR_CORE_GRANT_HINT_H
#define MGR_CORE_GRANT_HINT_H

#include "runner.h"

/*
 * When rc is a privilege refusal of r's database, append to r's error
 * the GRANT that is missing, found by asking the database which of the
 * needed privileges the role lacks. Returns rc.
 */
int grant_hint_read(struct runner *r, int rc);

#endif
