## tests/plugins: test-only plugins for tests/unit/check_loader.c and
## tests/cli/plugins.sh. As check_LTLIBRARIES with -rpath they are real
## modules in tests/plugins/.libs/, built by make check, never installed.
## dialect_dummy and format_dummy are good; format_ctor is good but has a
## constructor that leaves a marker file; every other one is refused by
## the loader for the reason its name gives.

TEST_PLUGIN_LDFLAGS = -module -avoid-version -no-undefined $(PLUGIN_ZDEFS) \
	-rpath $(abs_top_builddir)/%reldir% \
	-export-symbols-regex '^mgr_plugin_entry$$' $(AM_LDFLAGS)

check_LTLIBRARIES += \
	%reldir%/dialect_dummy.la \
	%reldir%/format_dummy.la \
	%reldir%/format_ctor.la \
	%reldir%/dialect_badmajor.la \
	%reldir%/dialect_newminor.la \
	%reldir%/dialect_noentry.la \
	%reldir%/dialect_nullentry.la \
	%reldir%/dialect_small.la \
	%reldir%/dialect_misnamed.la \
	%reldir%/dialect_wrongkind.la \
	%reldir%/dialect_nullops.la \
	%reldir%/dialect_zeroops.la \
	%reldir%/dialect_initfail.la \
	%reldir%/dialect_noquery.la \
	%reldir%/dialect_v10.la \
	%reldir%/dialect_v13.la \
	%reldir%/reporter_noclose.la \
	%reldir%/linter_house.la

%canon_reldir%_dialect_dummy_la_SOURCES = %reldir%/dialect_dummy.c \
	%reldir%/inert.c %reldir%/inert.h \
	%reldir%/dummy.h
%canon_reldir%_dialect_dummy_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_format_dummy_la_SOURCES = %reldir%/format_dummy.c \
	%reldir%/inert.c %reldir%/inert.h \
	%reldir%/dummy.h
%canon_reldir%_format_dummy_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_format_ctor_la_SOURCES = %reldir%/format_ctor.c \
	%reldir%/inert.c %reldir%/inert.h
%canon_reldir%_format_ctor_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_dialect_badmajor_la_SOURCES = %reldir%/dialect_badmajor.c
%canon_reldir%_dialect_badmajor_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_dialect_newminor_la_SOURCES = %reldir%/dialect_newminor.c
%canon_reldir%_dialect_newminor_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_dialect_noentry_la_SOURCES = %reldir%/dialect_noentry.c
# Exports its misnamed entry point (an empty export list does not link).
%canon_reldir%_dialect_noentry_la_LDFLAGS = -module -avoid-version \
	-no-undefined $(PLUGIN_ZDEFS) -rpath $(abs_top_builddir)/%reldir% \
	-export-symbols-regex '^mgr_plugin_init$$' $(AM_LDFLAGS)
%canon_reldir%_dialect_nullentry_la_SOURCES = %reldir%/dialect_nullentry.c
%canon_reldir%_dialect_nullentry_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_dialect_small_la_SOURCES = %reldir%/dialect_small.c
%canon_reldir%_dialect_small_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_dialect_misnamed_la_SOURCES = %reldir%/dialect_misnamed.c
%canon_reldir%_dialect_misnamed_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_dialect_wrongkind_la_SOURCES = %reldir%/dialect_wrongkind.c
%canon_reldir%_dialect_wrongkind_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_dialect_nullops_la_SOURCES = %reldir%/dialect_nullops.c
%canon_reldir%_dialect_nullops_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_dialect_zeroops_la_SOURCES = %reldir%/dialect_zeroops.c
%canon_reldir%_dialect_zeroops_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_dialect_initfail_la_SOURCES = %reldir%/dialect_initfail.c \
	%reldir%/inert.c %reldir%/inert.h
%canon_reldir%_dialect_initfail_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)

## Refused by the check of their operations tables (core/opscheck.c), and
## an ABI 1.0 dialect (lock, no try_lock) and an ABI 1.3 one (no
## connect_opts) that must keep loading.
%canon_reldir%_dialect_noquery_la_SOURCES = %reldir%/dialect_noquery.c \
	%reldir%/inert.c %reldir%/inert.h
%canon_reldir%_dialect_noquery_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_dialect_v10_la_SOURCES = %reldir%/dialect_v10.c \
	%reldir%/inert.c %reldir%/inert.h
%canon_reldir%_dialect_v10_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_dialect_v13_la_SOURCES = %reldir%/dialect_v13.c \
	%reldir%/inert.c %reldir%/inert.h
%canon_reldir%_dialect_v13_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
%canon_reldir%_reporter_noclose_la_SOURCES = %reldir%/reporter_noclose.c
%canon_reldir%_reporter_noclose_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)

## The scriptable fake dialect of tests/unit/check_runner.c: SQLite
## storage with faults scripted by the URL (see the top of the file). It
## is a good dialect, so it goes to a directory of its own (fake/.libs),
## out of the way of the suites that count the plugins found here.
if BUILD_PLUGIN_DIALECT_SQLITE
check_LTLIBRARIES += %reldir%/fake/dialect_fake.la
%canon_reldir%_fake_dialect_fake_la_SOURCES = %reldir%/dialect_fake.c
%canon_reldir%_fake_dialect_fake_la_CPPFLAGS = $(AM_CPPFLAGS) \
	$(SQLITE3_CFLAGS)
%canon_reldir%_fake_dialect_fake_la_LDFLAGS = -module -avoid-version \
	-no-undefined $(PLUGIN_ZDEFS) -rpath $(abs_top_builddir)/%reldir%/fake \
	-export-symbols-regex '^mgr_plugin_entry$$' $(AM_LDFLAGS)
%canon_reldir%_fake_dialect_fake_la_LIBADD = $(SQLITE3_LIBS)
endif
%canon_reldir%_linter_house_la_SOURCES = %reldir%/linter_house.c
%canon_reldir%_linter_house_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
