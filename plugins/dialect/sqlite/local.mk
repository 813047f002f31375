## plugins/dialect/sqlite: SQLite databases through libsqlite3.

DIALECT_SQLITE_SOURCES = \
	%reldir%/sqlite.h \
	%reldir%/sqlite_dialect.c \
	%reldir%/sqlite_lock.c \
	%reldir%/sqlite_split.c \
	$(PLUGIN_DDL_SOURCES)

if BUILD_PLUGIN_DIALECT_SQLITE
pkglib_LTLIBRARIES += plugins/dialect_sqlite.la
plugins_dialect_sqlite_la_SOURCES = $(DIALECT_SQLITE_SOURCES)
plugins_dialect_sqlite_la_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE3_CFLAGS)
plugins_dialect_sqlite_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_dialect_sqlite_la_LIBADD = $(SQLITE3_LIBS)

## The plugin's own suite: a mock host API, the plugin's sources linked in
## directly (a plugin never links against the core). Databases live in a
## mkdtemp() directory removed after each test.
if HAVE_CHECK
check_PROGRAMS += %reldir%/tests/check_dialect_sqlite
%canon_reldir%_tests_check_dialect_sqlite_SOURCES = \
	%reldir%/tests/check_dialect_sqlite.c $(DIALECT_SQLITE_SOURCES) \
	$(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_dialect_sqlite_CPPFLAGS = $(AM_CPPFLAGS) \
	$(SQLITE3_CFLAGS) -I$(srcdir)/%reldir% \
	-I$(srcdir)/plugins/common/tests
%canon_reldir%_tests_check_dialect_sqlite_CFLAGS = $(AM_CFLAGS) \
	$(CHECK_CFLAGS)
%canon_reldir%_tests_check_dialect_sqlite_LDADD = $(SQLITE3_LIBS) \
	$(CHECK_LIBS)
TESTS += %reldir%/tests/check_dialect_sqlite
endif
endif
