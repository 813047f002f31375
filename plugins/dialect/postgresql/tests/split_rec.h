/*
 * split_rec.h: what the PostgreSQL splitter emitted, recorded for the
 * plugin's suites (with and without a server).
 */
#ifndef MGR_PG_TEST_SPLIT_REC_H
#define MGR_PG_TEST_SPLIT_REC_H

#include <check.h>
#include <stddef.h>

#include <migrator/plugin.h>

#define SPLIT_REC_MAX 16

struct split_rec {
    char *stmt[SPLIT_REC_MAX]; /* mock_alloc'd copies */
    int line[SPLIT_REC_MAX];
    int n;
    int fail_at; /* return MGR_EDB on that (1-based) call; 0: never */
};

/* The emit callback of mgr_dialect_ops.split; ctx is a split_rec. */
int split_rec_emit(void *ctx, const char *stmt, size_t len, int line,
                   struct mgr_error *e);

/* Free what was recorded and start again. */
void split_rec_reset(struct split_rec *r);

/* Statement i of r is s, starting on line l. */
#define ck_split_stmt(r, i, l, s)                                       \
    do {                                                                \
        ck_assert_int_gt((r)->n, (i));                                  \
        ck_assert_str_eq((r)->stmt[(i)], (s));                          \
        ck_assert_int_eq((r)->line[(i)], (l));                          \
    } while (0)

#endif
