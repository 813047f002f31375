## plugins/dialect/sqlite: SQLite databases through libsqlite3.

DIALECT_SQLITE_SOURCES = \
	%reldir%/sqlite.h \
	%reldir%/sqlite_dialect.c \
	%reldir%/sqlite_lock.c \
	%reldir%/sqlite_split.c \
	%reldir%/sqlite_arena.c \
	%reldir%/sqlite_token.c \
	%reldir%/sqlite_createsql.c \
	%reldir%/sqlite_schema.c \
	%reldir%/sqlite_capture.c \
	%reldir%/sqlite_render.h \
	%reldir%/sqlite_ddl.c \
	%reldir%/sqlite_rebuild.c \
	%reldir%/sqlite_views.c \
	$(PLUGIN_DDL_SOURCES) $(PLUGIN_SQLITE_TOKENS_SOURCES)

## ddl_text.h and sqlite_tokens.h live in plugins/common.
DIALECT_SQLITE_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE3_CFLAGS) \
	-I$(srcdir)/plugins/common

if BUILD_PLUGIN_DIALECT_SQLITE
pkglib_LTLIBRARIES += plugins/dialect_sqlite.la
plugins_dialect_sqlite_la_SOURCES = $(DIALECT_SQLITE_SOURCES)
plugins_dialect_sqlite_la_CPPFLAGS = $(DIALECT_SQLITE_CPPFLAGS)
plugins_dialect_sqlite_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_dialect_sqlite_la_LIBADD = $(SQLITE3_LIBS)

## The plugin's suites: a mock host API, the plugin's sources linked in
## directly (a plugin never links against the core). check_dialect_sqlite
## covers connections, queries, the lock and the splitter (databases in a
## mkdtemp() directory removed after each test); check_sqlite_schema
## covers introspect, render and the scratch database (memory databases).
if HAVE_CHECK
check_PROGRAMS += %reldir%/tests/check_dialect_sqlite
%canon_reldir%_tests_check_dialect_sqlite_SOURCES = \
	%reldir%/tests/check_dialect_sqlite.c $(DIALECT_SQLITE_SOURCES) \
	$(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_dialect_sqlite_CPPFLAGS = \
	$(DIALECT_SQLITE_CPPFLAGS) -I$(srcdir)/%reldir% \
	-I$(srcdir)/plugins/common/tests
%canon_reldir%_tests_check_dialect_sqlite_CFLAGS = $(AM_CFLAGS) \
	$(CHECK_CFLAGS)
%canon_reldir%_tests_check_dialect_sqlite_LDADD = $(SQLITE3_LIBS) \
	$(CHECK_LIBS)
TESTS += %reldir%/tests/check_dialect_sqlite

check_PROGRAMS += %reldir%/tests/check_sqlite_schema
%canon_reldir%_tests_check_sqlite_schema_SOURCES = \
	%reldir%/tests/check_sqlite_schema.c $(DIALECT_SQLITE_SOURCES) \
	$(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_sqlite_schema_CPPFLAGS = \
	$(DIALECT_SQLITE_CPPFLAGS) -I$(srcdir)/%reldir% \
	-I$(srcdir)/plugins/common/tests
%canon_reldir%_tests_check_sqlite_schema_CFLAGS = $(AM_CFLAGS) \
	$(CHECK_CFLAGS)
%canon_reldir%_tests_check_sqlite_schema_LDADD = $(SQLITE3_LIBS) \
	$(CHECK_LIBS)
TESTS += %reldir%/tests/check_sqlite_schema
endif
endif
