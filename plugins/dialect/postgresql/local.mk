## plugins/dialect/postgresql: PostgreSQL databases through libpq.

DIALECT_POSTGRESQL_SOURCES = $(PLUGIN_UTF8_SOURCES) $(PLUGIN_DDL_SOURCES) \
	%reldir%/pg.h \
	%reldir%/pg_dialect.c \
	%reldir%/pg_lock.c \
	%reldir%/pg_split.c

## The private-server harness, for this suite and for end-to-end tests.
EXTRA_DIST += tests/pg/pg_server.sh

if BUILD_PLUGIN_DIALECT_POSTGRESQL
pkglib_LTLIBRARIES += plugins/dialect_postgresql.la
plugins_dialect_postgresql_la_SOURCES = $(DIALECT_POSTGRESQL_SOURCES)
plugins_dialect_postgresql_la_CPPFLAGS = $(AM_CPPFLAGS) $(LIBPQ_CFLAGS) \
	-I$(srcdir)/plugins/common
plugins_dialect_postgresql_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_dialect_postgresql_la_LIBADD = $(LIBPQ_LIBS)

## The plugin's own suites: a mock host API and the plugin's sources
## linked in directly. check_dialect_postgresql runs against a private
## server started through tests/pg/pg_server.sh (it exits 77, a skip, when
## that finds no PostgreSQL server); check_dialect_postgresql_noserver
## (descriptor, quoting, splitter, needs_no_transaction) always runs.
if HAVE_CHECK
check_PROGRAMS += %reldir%/tests/check_dialect_postgresql
%canon_reldir%_tests_check_dialect_postgresql_SOURCES = \
	%reldir%/tests/check_dialect_postgresql.c \
	%reldir%/tests/pg_scripts.h %reldir%/tests/split_rec.c \
	%reldir%/tests/split_rec.h \
	$(DIALECT_POSTGRESQL_SOURCES) $(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_dialect_postgresql_CPPFLAGS = $(AM_CPPFLAGS) \
	$(LIBPQ_CFLAGS) -I$(srcdir)/%reldir% -I$(srcdir)/plugins/common \
	-I$(srcdir)/plugins/common/tests \
	-DPG_SERVER_SH='"$(abs_top_srcdir)/tests/pg/pg_server.sh"'
%canon_reldir%_tests_check_dialect_postgresql_CFLAGS = $(AM_CFLAGS) \
	$(CHECK_CFLAGS)
%canon_reldir%_tests_check_dialect_postgresql_LDADD = $(LIBPQ_LIBS) \
	$(CHECK_LIBS)
TESTS += %reldir%/tests/check_dialect_postgresql

check_PROGRAMS += %reldir%/tests/check_dialect_postgresql_noserver
%canon_reldir%_tests_check_dialect_postgresql_noserver_SOURCES = \
	%reldir%/tests/check_dialect_postgresql_noserver.c \
	%reldir%/tests/pg_scripts.h %reldir%/tests/split_rec.c \
	%reldir%/tests/split_rec.h \
	$(DIALECT_POSTGRESQL_SOURCES) $(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_dialect_postgresql_noserver_CPPFLAGS = \
	$(AM_CPPFLAGS) $(LIBPQ_CFLAGS) -I$(srcdir)/%reldir% \
	-I$(srcdir)/plugins/common -I$(srcdir)/plugins/common/tests
%canon_reldir%_tests_check_dialect_postgresql_noserver_CFLAGS = \
	$(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_tests_check_dialect_postgresql_noserver_LDADD = \
	$(LIBPQ_LIBS) $(CHECK_LIBS)
TESTS += %reldir%/tests/check_dialect_postgresql_noserver
endif
endif
