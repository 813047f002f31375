## plugins/linter/postgresql: the PostgreSQL lint rules, read from the
## parse trees (libpg_query's JSON) that the host hands over. The plugin
## does not link libpg_query; its suite does, to make trees from SQL.

LINTER_POSTGRESQL_SOURCES = \
	%reldir%/linter_postgresql.c %reldir%/pgl.h \
	%reldir%/pgl_state.c %reldir%/pgl_names.c %reldir%/pgl_deparse.c \
	%reldir%/pgl_report.c %reldir%/pgl_locks.c %reldir%/pgl_create.c \
	%reldir%/pgl_alter.c %reldir%/pgl_column.c %reldir%/pgl_constraint.c \
	%reldir%/pgl_index.c %reldir%/pgl_types.c %reldir%/pgl_stmts.c \
	%reldir%/pgl_graph.c \
	$(PLUGIN_JSON_WALK_SOURCES) $(PLUGIN_STATE_SOURCES)

if BUILD_PLUGIN_LINTER_POSTGRESQL
pkglib_LTLIBRARIES += plugins/linter_postgresql.la
plugins_linter_postgresql_la_SOURCES = $(LINTER_POSTGRESQL_SOURCES)
plugins_linter_postgresql_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/plugins/common
plugins_linter_postgresql_la_LDFLAGS = $(PLUGIN_LDFLAGS)

if HAVE_CHECK
check_PROGRAMS += %reldir%/tests/check_linter_postgresql
%canon_reldir%_tests_check_linter_postgresql_SOURCES = \
	%reldir%/tests/check_linter_postgresql.c $(LINTER_POSTGRESQL_SOURCES) \
	$(PLUGIN_MOCK_HOST_SOURCES) \
	core/json_tree.c core/json_tree.h core/util.c core/util.h
%canon_reldir%_tests_check_linter_postgresql_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/%reldir% -I$(srcdir)/plugins/common \
	-I$(srcdir)/plugins/common/tests
%canon_reldir%_tests_check_linter_postgresql_CFLAGS = $(AM_CFLAGS) \
	$(CHECK_CFLAGS)
%canon_reldir%_tests_check_linter_postgresql_LDADD = $(CHECK_LIBS) \
	$(PG_QUERY_LIBS)
TESTS += %reldir%/tests/check_linter_postgresql
endif
endif


