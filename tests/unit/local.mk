## tests/unit: one Check binary per module.

if HAVE_CHECK
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
UNIT_LDADD = core/libmigrator-core.la $(CHECK_LIBS)

check_PROGRAMS += tests/unit/check_buf
tests_unit_check_buf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_buf_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_buf
endif
