## plugins/reporter/text: the default reporter, for people.

REPORTER_TEXT_SOURCES = \
	%reldir%/reporter_text.c \
	plugins/common/lint_text.c \
	plugins/common/lint_text.h \
	$(PLUGIN_UTF8_SOURCES) $(PLUGIN_VISIBLE_SOURCES) \
	$(PLUGIN_STATE_SOURCES)

if BUILD_PLUGIN_REPORTER_TEXT
pkglib_LTLIBRARIES += plugins/reporter_text.la
plugins_reporter_text_la_SOURCES = $(REPORTER_TEXT_SOURCES)
plugins_reporter_text_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/plugins/common
plugins_reporter_text_la_LDFLAGS = $(PLUGIN_LDFLAGS)

if HAVE_CHECK
check_PROGRAMS += %reldir%/tests/check_reporter_text
%canon_reldir%_tests_check_reporter_text_SOURCES = \
	%reldir%/tests/check_reporter_text.c $(REPORTER_TEXT_SOURCES) \
	$(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_reporter_text_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/%reldir% -I$(srcdir)/plugins/common \
	-I$(srcdir)/plugins/common/tests
%canon_reldir%_tests_check_reporter_text_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_tests_check_reporter_text_LDADD = $(CHECK_LIBS)
TESTS += %reldir%/tests/check_reporter_text
endif
endif
