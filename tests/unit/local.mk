## tests/unit: one Check binary per module.

if HAVE_CHECK
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
UNIT_LDADD = core/libmigrator-core.la $(CHECK_LIBS)

check_PROGRAMS += tests/unit/check_buf
tests_unit_check_buf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_buf_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_buf

## Each module's suite: check_PROGRAMS += tests/unit/check_<module>, with
## _CFLAGS = $(UNIT_CFLAGS), _LDADD = $(UNIT_LDADD), and TESTS += it.
## Keep the blocks in this order; one block per module.

## -- config --

## -- loader --

## -- meta --

## -- graph, target, plan, conformance --

endif
