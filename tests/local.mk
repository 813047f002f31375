## tests/: Check unit suites (tests/unit), test-only plugins
## (tests/plugins) and end-to-end CLI tests (tests/cli).

TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	MIGRATOR='$(abs_top_builddir)/core/migrator'; export MIGRATOR; \
	TEST_PLUGINDIR='$(abs_top_builddir)/tests/plugins/.libs'; \
	export TEST_PLUGINDIR; \
	MGR_PGSQL_TESTS_REQUIRED=@enable_pgsql_tests@; \
	export MGR_PGSQL_TESTS_REQUIRED; \
	MGR_SANITIZERS=@enable_sanitizers@; export MGR_SANITIZERS; \
	MGR_PLUGIN_LDFLAGS="$(PLUGIN_LDFLAGS)"; export MGR_PLUGIN_LDFLAGS; \
	unset MIGRATOR_CONFIG MIGRATOR_PLUGIN_PATH;

include $(srcdir)/tests/plugins/local.mk
include $(srcdir)/tests/unit/local.mk
include $(srcdir)/tests/cli/local.mk

## make installcheck (and so make distcheck): the installed migrator with
## the installed plugins and templates, on a SQLite project.
EXTRA_DIST += tests/installcheck.sh
installcheck-local:
	$(AM_V_at)top_srcdir='$(abs_top_srcdir)' \
	top_builddir='$(abs_top_builddir)' \
	bindir='$(bindir)' pkglibdir='$(pkglibdir)' DESTDIR='$(DESTDIR)' \
	$(SHELL) $(srcdir)/tests/installcheck.sh
