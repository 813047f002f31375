## plugins/format/sql: SQL revision scripts (.sql).

FORMAT_SQL_SOURCES = \
	%reldir%/format_sql.c \
	%reldir%/sql.h \
	%reldir%/sql_header.c \
	%reldir%/sql_section.c \
	%reldir%/sql_text.c \
	$(PLUGIN_SCRIPT_SOURCES) $(PLUGIN_STATE_SOURCES)

if BUILD_PLUGIN_FORMAT_SQL
pkglib_LTLIBRARIES += plugins/format_sql.la
plugins_format_sql_la_SOURCES = $(FORMAT_SQL_SOURCES)
plugins_format_sql_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/plugins/common
plugins_format_sql_la_LDFLAGS = $(PLUGIN_LDFLAGS)

## The plugin's own suite: a mock host API, the plugin's sources linked in
## directly (a plugin never links against the core).
if HAVE_CHECK
check_PROGRAMS += %reldir%/tests/check_format_sql
%canon_reldir%_tests_check_format_sql_SOURCES = \
	%reldir%/tests/check_format_sql.c $(FORMAT_SQL_SOURCES) \
	$(PLUGIN_MOCK_HOST_SOURCES) $(PLUGIN_MOCK_META_SOURCES)
%canon_reldir%_tests_check_format_sql_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/%reldir% -I$(srcdir)/plugins/common \
	-I$(srcdir)/plugins/common/tests
%canon_reldir%_tests_check_format_sql_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_tests_check_format_sql_LDADD = $(CHECK_LIBS)
TESTS += %reldir%/tests/check_format_sql
endif
endif
