## tests/unit: one Check binary per module.

if HAVE_CHECK
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
UNIT_LDADD = core/libmigrator-core.la $(CHECK_LIBS)

check_PROGRAMS += tests/unit/check_buf
tests_unit_check_buf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_buf_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_buf

check_PROGRAMS += tests/unit/check_dburl
tests_unit_check_dburl_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_dburl_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_dburl

check_PROGRAMS += tests/unit/check_report_file
tests_unit_check_report_file_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/core
tests_unit_check_report_file_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_report_file_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_report_file

## Each module's suite: check_PROGRAMS += tests/unit/check_<module>, with
## _CFLAGS = $(UNIT_CFLAGS), _LDADD = $(UNIT_LDADD), and TESTS += it.
## Keep the blocks in this order; one block per module.

## -- schema model and diff --
check_PROGRAMS += tests/unit/check_schema_model tests/unit/check_schema_diff
tests_unit_check_schema_model_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/core
tests_unit_check_schema_model_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_schema_model_LDADD = $(UNIT_LDADD)
tests_unit_check_schema_diff_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/core
tests_unit_check_schema_diff_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_schema_diff_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_schema_model tests/unit/check_schema_diff
check_PROGRAMS += tests/unit/check_schema_glue
tests_unit_check_schema_glue_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/core
tests_unit_check_schema_glue_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_schema_glue_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_schema_glue

## -- config --
check_PROGRAMS += tests/unit/check_config
tests_unit_check_config_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/core
tests_unit_check_config_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_config_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_config

## -- loader --
## The loader, the trust checks and the host API, with tests/plugins/.
check_PROGRAMS += tests/unit/check_loader
tests_unit_check_loader_CPPFLAGS = $(AM_CPPFLAGS) \
	-DTEST_PLUGINDIR='"$(abs_top_builddir)/tests/plugins/.libs"' \
	-DTEST_TMPDIR='"$(abs_top_builddir)/tests/unit"'
tests_unit_check_loader_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_loader_LDADD = $(UNIT_LDADD) $(LTDL_LIBS)
tests_unit_check_loader_SOURCES = tests/unit/check_loader.c
TESTS += tests/unit/check_loader

## -- meta --
check_PROGRAMS += tests/unit/check_meta
tests_unit_check_meta_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_meta_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_meta

## -- graph, target, plan, conformance --
check_PROGRAMS += tests/unit/check_graph tests/unit/check_target \
	tests/unit/check_plan tests/unit/check_revfmt \
	tests/unit/check_conformance
tests_unit_check_graph_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_graph_LDADD = $(UNIT_LDADD)
tests_unit_check_target_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_target_LDADD = $(UNIT_LDADD)
tests_unit_check_plan_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_plan_LDADD = $(UNIT_LDADD)
tests_unit_check_revfmt_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_revfmt_LDADD = $(UNIT_LDADD)
tests_unit_check_conformance_CFLAGS = $(UNIT_CFLAGS) \
	-DCONFORMANCE_FILE='"$(abs_top_srcdir)/tests/data/conformance/scenarios.txt"'
tests_unit_check_conformance_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_graph tests/unit/check_target \
	tests/unit/check_plan tests/unit/check_revfmt \
	tests/unit/check_conformance
EXTRA_DIST += tests/unit/graphgen.h tests/data/conformance/gen.py \
	tests/data/conformance/scenarios.txt

## -- runner --
## The runner, exec, the version table, the table lock, integrity and the
## reports, against tests/plugins/dialect_fake (SQLite with scripted
## faults) and the build tree's format_sql. Each test works in a mkdtemp()
## directory under tests/unit/ that it removes.
if BUILD_PLUGIN_DIALECT_SQLITE
if BUILD_PLUGIN_FORMAT_SQL
check_PROGRAMS += tests/unit/check_runner
tests_unit_check_runner_SOURCES = tests/unit/check_runner.c
tests_unit_check_runner_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE3_CFLAGS) \
	-DTEST_PLUGINDIR='"$(abs_top_builddir)/tests/plugins/fake/.libs"' \
	-DBUILD_PLUGINDIR='"$(abs_top_builddir)/plugins/.libs"' \
	-DTEST_TMPDIR='"$(abs_top_builddir)/tests/unit"'
tests_unit_check_runner_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_runner_LDADD = $(UNIT_LDADD) $(LTDL_LIBS) $(SQLITE3_LIBS)
TESTS += tests/unit/check_runner

## -- project: the library API, through the public library only --
check_PROGRAMS += tests/unit/check_project
tests_unit_check_project_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE3_CFLAGS) \
	-DTEST_PLUGINDIR='"$(abs_top_builddir)/plugins/.libs"' \
	-DTEST_TMPDIR='"$(abs_top_builddir)/tests/unit"'
tests_unit_check_project_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_project_LDADD = core/libmigrator.la $(CHECK_LIBS) \
	$(SQLITE3_LIBS)
TESTS += tests/unit/check_project
endif
endif

## -- lint --
check_PROGRAMS += tests/unit/check_lint
tests_unit_check_lint_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/core
tests_unit_check_lint_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_lint_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_lint

endif

## -- the scripts of a command, read once --
check_PROGRAMS += tests/unit/check_script_cache
tests_unit_check_script_cache_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_script_cache_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_script_cache

## -- SHA-256, the checksums' hash --
check_PROGRAMS += tests/unit/check_sha256
tests_unit_check_sha256_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/core
tests_unit_check_sha256_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_sha256_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_sha256
