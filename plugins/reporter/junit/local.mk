## plugins/reporter/junit: JUnit XML, one testcase per step or lint finding.

REPORTER_JUNIT_SOURCES = \
	%reldir%/reporter_junit.c \
	%reldir%/junit_write.c \
	%reldir%/junit.h \
	plugins/common/lint_text.c \
	plugins/common/lint_text.h \
	$(PLUGIN_UTF8_SOURCES) $(PLUGIN_STATE_SOURCES)

if BUILD_PLUGIN_REPORTER_JUNIT
pkglib_LTLIBRARIES += plugins/reporter_junit.la
plugins_reporter_junit_la_SOURCES = $(REPORTER_JUNIT_SOURCES)
plugins_reporter_junit_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/plugins/common
plugins_reporter_junit_la_LDFLAGS = $(PLUGIN_LDFLAGS)

if HAVE_CHECK
check_PROGRAMS += %reldir%/tests/check_reporter_junit
%canon_reldir%_tests_check_reporter_junit_SOURCES = \
	%reldir%/tests/check_reporter_junit.c $(REPORTER_JUNIT_SOURCES) \
	$(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_reporter_junit_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/%reldir% -I$(srcdir)/plugins/common \
	-I$(srcdir)/plugins/common/tests \
	-DXMLLINT='"$(XMLLINT)"' \
	-DJUNIT_XSD='"$(abs_top_srcdir)/%reldir%/tests/junit.xsd"'
%canon_reldir%_tests_check_reporter_junit_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_tests_check_reporter_junit_LDADD = $(CHECK_LIBS)
TESTS += %reldir%/tests/check_reporter_junit
endif
endif
EXTRA_DIST += %reldir%/tests/junit.xsd
