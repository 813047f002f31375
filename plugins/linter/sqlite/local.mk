## plugins/linter/sqlite: the SQLite lint rules (linter_sqlite). SQLite
## gives no parse tree, so they read SQLite's tokens (plugins/common).

LINTER_SQLITE_SOURCES = \
	%reldir%/lsq.h \
	%reldir%/linter_sqlite.c \
	%reldir%/lsq_stmt.c \
	%reldir%/lsq_model.c \
	%reldir%/lsq_create.c \
	%reldir%/lsq_alter.c \
	%reldir%/lsq_rebuild.c \
	$(PLUGIN_SQLITE_TOKENS_SOURCES) $(PLUGIN_STATE_SOURCES)

if BUILD_PLUGIN_LINTER_SQLITE
pkglib_LTLIBRARIES += plugins/linter_sqlite.la
plugins_linter_sqlite_la_SOURCES = $(LINTER_SQLITE_SOURCES)
plugins_linter_sqlite_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/plugins/common
plugins_linter_sqlite_la_LDFLAGS = $(PLUGIN_LDFLAGS)

## The plugin's suite: a mock host API whose lint_report records each
## finding as a line (mock_host.h), the plugin's sources linked in.
if HAVE_CHECK
check_PROGRAMS += %reldir%/tests/check_linter_sqlite
%canon_reldir%_tests_check_linter_sqlite_SOURCES = \
	%reldir%/tests/check_linter_sqlite.c $(LINTER_SQLITE_SOURCES) \
	$(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_linter_sqlite_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/%reldir% -I$(srcdir)/plugins/common \
	-I$(srcdir)/plugins/common/tests
%canon_reldir%_tests_check_linter_sqlite_CFLAGS = $(AM_CFLAGS) \
	$(CHECK_CFLAGS)
%canon_reldir%_tests_check_linter_sqlite_LDADD = $(CHECK_LIBS)
TESTS += %reldir%/tests/check_linter_sqlite
endif
endif
