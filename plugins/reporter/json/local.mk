## plugins/reporter/json: a JSON object per event, one per line (NDJSON).

REPORTER_JSON_SOURCES = \
	%reldir%/reporter_json.c \
	%reldir%/json_values.c %reldir%/json_values.h \
	plugins/common/lint_text.c \
	plugins/common/lint_text.h \
	$(PLUGIN_UTF8_SOURCES) $(PLUGIN_STATE_SOURCES)

if BUILD_PLUGIN_REPORTER_JSON
pkglib_LTLIBRARIES += plugins/reporter_json.la
plugins_reporter_json_la_SOURCES = $(REPORTER_JSON_SOURCES)
plugins_reporter_json_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/plugins/common \
	$(JANSSON_CFLAGS)
plugins_reporter_json_la_LIBADD = $(JANSSON_LIBS)
plugins_reporter_json_la_LDFLAGS = $(PLUGIN_LDFLAGS)

if HAVE_CHECK
check_PROGRAMS += %reldir%/tests/check_reporter_json
%canon_reldir%_tests_check_reporter_json_SOURCES = \
	%reldir%/tests/check_reporter_json.c $(REPORTER_JSON_SOURCES) \
	$(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_reporter_json_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/%reldir% -I$(srcdir)/plugins/common \
	-I$(srcdir)/plugins/common/tests $(JANSSON_CFLAGS)
%canon_reldir%_tests_check_reporter_json_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_tests_check_reporter_json_LDADD = $(CHECK_LIBS) $(JANSSON_LIBS)
TESTS += %reldir%/tests/check_reporter_json
endif
endif
