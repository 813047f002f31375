## plugins/dialect/postgresql: PostgreSQL databases through libpq.

DIALECT_POSTGRESQL_SOURCES = $(PLUGIN_UTF8_SOURCES) $(PLUGIN_DDL_SOURCES) \
	%reldir%/pg.h \
	%reldir%/pg_dialect.c \
	%reldir%/pg_connect.c \
	%reldir%/pg_wait.c \
	%reldir%/pg_locktimeout.c \
	%reldir%/pg_lock.c \
	%reldir%/pg_split.c \
	%reldir%/pg_schema.c \
	%reldir%/pg_autoname.c \
	%reldir%/pg_array.c \
	%reldir%/pg_exprtext.c \
	%reldir%/pg_ddl.h \
	%reldir%/pg_ddl.c \
	%reldir%/pg_ddl_types.c \
	%reldir%/pg_scratch.c \
	%reldir%/pg_parse.c \
	%reldir%/pg_batch.c

## The private-server harness, for this suite and for end-to-end tests.
EXTRA_DIST += tests/pg/pg_server.sh

if BUILD_PLUGIN_DIALECT_POSTGRESQL
pkglib_LTLIBRARIES += plugins/dialect_postgresql.la
plugins_dialect_postgresql_la_SOURCES = $(DIALECT_POSTGRESQL_SOURCES)
plugins_dialect_postgresql_la_CPPFLAGS = $(AM_CPPFLAGS) $(LIBPQ_CFLAGS) \
	-I$(srcdir)/plugins/common
plugins_dialect_postgresql_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_dialect_postgresql_la_LIBADD = $(LIBPQ_LIBS) $(PG_QUERY_LIBS)

## The plugin's own suites: a mock host API and the plugin's sources
## linked in directly. The server suites run against a private server
## started through tests/pg/pg_server.sh (pg_harness.c; it exits 77, a
## skip, when that finds no PostgreSQL server, which --enable-pgsql-tests
## turns into a failure): check_dialect_postgresql (connections, queries,
## transactions, the lock, the splitter on a server) and
## check_dialect_postgresql_schema (introspect, render run on the server,
## scratch databases). check_dialect_postgresql_noserver (descriptor,
## quoting, splitter, needs_no_transaction) and
## check_dialect_postgresql_render (DDL text, made-up names) always run.
if HAVE_CHECK
PG_SUITE_CPPFLAGS = $(AM_CPPFLAGS) $(LIBPQ_CFLAGS) -I$(srcdir)/%reldir% \
	-I$(srcdir)/%reldir%/tests -I$(srcdir)/plugins/common \
	-I$(srcdir)/plugins/common/tests \
	-DPG_SERVER_SH='"$(abs_top_srcdir)/tests/pg/pg_server.sh"'
PG_SUITE_LDADD = $(LIBPQ_LIBS) $(PG_QUERY_LIBS) $(CHECK_LIBS)
PG_HARNESS_SOURCES = %reldir%/tests/pg_harness.c %reldir%/tests/pg_harness.h

check_PROGRAMS += %reldir%/tests/check_dialect_postgresql
%canon_reldir%_tests_check_dialect_postgresql_SOURCES = \
	%reldir%/tests/check_dialect_postgresql.c \
	%reldir%/tests/pg_scripts.h %reldir%/tests/split_rec.c \
	%reldir%/tests/split_rec.h $(PG_HARNESS_SOURCES) \
	$(DIALECT_POSTGRESQL_SOURCES) $(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_dialect_postgresql_CPPFLAGS = $(PG_SUITE_CPPFLAGS)
%canon_reldir%_tests_check_dialect_postgresql_CFLAGS = $(AM_CFLAGS) \
	$(CHECK_CFLAGS)
%canon_reldir%_tests_check_dialect_postgresql_LDADD = $(PG_SUITE_LDADD)
TESTS += %reldir%/tests/check_dialect_postgresql

check_PROGRAMS += %reldir%/tests/check_dialect_postgresql_schema
%canon_reldir%_tests_check_dialect_postgresql_schema_SOURCES = \
	%reldir%/tests/check_dialect_postgresql_schema.c \
	%reldir%/tests/schema_rec.c %reldir%/tests/schema_rec.h \
	$(PG_HARNESS_SOURCES) \
	$(DIALECT_POSTGRESQL_SOURCES) $(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_dialect_postgresql_schema_CPPFLAGS = \
	$(PG_SUITE_CPPFLAGS)
%canon_reldir%_tests_check_dialect_postgresql_schema_CFLAGS = $(AM_CFLAGS) \
	$(CHECK_CFLAGS)
%canon_reldir%_tests_check_dialect_postgresql_schema_LDADD = \
	$(PG_SUITE_LDADD)
TESTS += %reldir%/tests/check_dialect_postgresql_schema

check_PROGRAMS += %reldir%/tests/check_dialect_postgresql_noserver
%canon_reldir%_tests_check_dialect_postgresql_noserver_SOURCES = \
	%reldir%/tests/check_dialect_postgresql_noserver.c \
	%reldir%/tests/pg_scripts.h %reldir%/tests/split_rec.c \
	%reldir%/tests/split_rec.h \
	$(DIALECT_POSTGRESQL_SOURCES) $(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_dialect_postgresql_noserver_CPPFLAGS = \
	$(PG_SUITE_CPPFLAGS)
%canon_reldir%_tests_check_dialect_postgresql_noserver_CFLAGS = \
	$(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_tests_check_dialect_postgresql_noserver_LDADD = \
	$(PG_SUITE_LDADD)
TESTS += %reldir%/tests/check_dialect_postgresql_noserver

check_PROGRAMS += %reldir%/tests/check_dialect_postgresql_render
%canon_reldir%_tests_check_dialect_postgresql_render_SOURCES = \
	%reldir%/tests/check_dialect_postgresql_render.c \
	$(DIALECT_POSTGRESQL_SOURCES) $(PLUGIN_MOCK_HOST_SOURCES)
%canon_reldir%_tests_check_dialect_postgresql_render_CPPFLAGS = \
	$(PG_SUITE_CPPFLAGS)
%canon_reldir%_tests_check_dialect_postgresql_render_CFLAGS = \
	$(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_tests_check_dialect_postgresql_render_LDADD = \
	$(PG_SUITE_LDADD)
TESTS += %reldir%/tests/check_dialect_postgresql_render
endif
endif
