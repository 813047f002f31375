## core/: the engine as a convenience library (linked whole into the unit
## tests, which see its private symbols), libmigrator.la for applications
## and the CLI (exporting only mgr_*), and the migrator CLI, which sees
## only the installed headers.

noinst_LTLIBRARIES += %reldir%/libmigrator-core.la
%canon_reldir%_libmigrator_core_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/plugins/common $(INIH_CFLAGS) $(ZLIB_CFLAGS) -DPLUGINDIR='"$(pkglibdir)"' \
	-DTEMPLATEDIR='"$(pkgdatadir)/templates"'
%canon_reldir%_libmigrator_core_la_LIBADD = $(INIH_LIBS) $(LTDL_LIBS) $(ZLIB_LIBS) -lpthread
%canon_reldir%_libmigrator_core_la_SOURCES = \
	%reldir%/buf.c \
	plugins/common/utf8.c plugins/common/utf8.h \
	plugins/common/visible.c plugins/common/visible.h \
	%reldir%/error.c \
	%reldir%/log.c \
	%reldir%/util.c %reldir%/util.h %reldir%/ctx.h \
	%reldir%/revision.c %reldir%/revision.h \
	%reldir%/config.c %reldir%/config.h %reldir%/config_internal.h \
	%reldir%/config_read.c %reldir%/config_load.c \
	%reldir%/config_expand.c %reldir%/config_values.c \
	%reldir%/config_paths.c \
	%reldir%/loader.c %reldir%/loader.h \
	%reldir%/opscheck.c %reldir%/opscheck.h \
	%reldir%/trust.c %reldir%/trust.h \
	%reldir%/elfcheck.c %reldir%/elfcheck.h \
	%reldir%/hostapi.c %reldir%/hostapi.h \
	%reldir%/meta.c %reldir%/meta.h \
	%reldir%/graph.c %reldir%/graph.h \
	%reldir%/target.c %reldir%/target.h \
	%reldir%/plan.c %reldir%/plan.h %reldir%/plan_internal.h \
	%reldir%/plan_sort.c %reldir%/plan_ops.c %reldir%/plan_stamp.c \
	%reldir%/plan_offline.c %reldir%/plan_rows.c \
	%reldir%/plan_history.c \
	%reldir%/revfmt.c %reldir%/revfmt.h \
	%reldir%/strmap.c %reldir%/strmap.h \
	%reldir%/scripts.c %reldir%/scripts.h \
	%reldir%/exec.c %reldir%/exec.h \
	%reldir%/fileio.c %reldir%/fileio.h \
	%reldir%/newscript.c %reldir%/newscript.h \
	%reldir%/offline.c %reldir%/offline.h \
	%reldir%/sha256.c %reldir%/sha256.h \
	%reldir%/checksum.c %reldir%/checksum.h \
	%reldir%/script_cache.c %reldir%/script_cache.h \
	%reldir%/dburl.c %reldir%/dburl.h %reldir%/dburl_secret.c \
	%reldir%/dialects.c %reldir%/dialects.h \
	%reldir%/db.c %reldir%/db.h \
	%reldir%/vtable.c %reldir%/vtable.h \
	%reldir%/vtable_defer.c %reldir%/vtable_defer.h \
	%reldir%/runner.c %reldir%/runner.h \
	%reldir%/runner_lock.c %reldir%/runner_lock.h \
	%reldir%/lockretry.c %reldir%/lockretry.h \
	%reldir%/migrate.c %reldir%/migrate.h \
	%reldir%/project.c %reldir%/project.h %reldir%/status.c \
	%reldir%/status_diagnose.c %reldir%/status_diagnose.h %reldir%/status_scripts.c %reldir%/status_lock.c %reldir%/status_drift.c %reldir%/op_dbstatus.c \
	%reldir%/run.c %reldir%/run.h \
	%reldir%/op_graph.c %reldir%/op_status.c %reldir%/op_migrate.c \
	%reldir%/op_revision.c %reldir%/op_integrity.c %reldir%/op_unlock.c \
	%reldir%/op_templates.c %reldir%/op_plugins.c \
	%reldir%/report.c %reldir%/report.h %reldir%/report_internal.h \
	%reldir%/report_events.c %reldir%/log.h \
	%reldir%/report_file.c %reldir%/report_file.h \
	%reldir%/protect.c %reldir%/protect.h \
	%reldir%/grant_hint.c %reldir%/grant_hint.h \
	%reldir%/integrity.c \
	%reldir%/tablelock.c %reldir%/tablelock.h %reldir%/tablelock_take.c \
	%reldir%/lockbeat.c %reldir%/lockbeat.h \
	%reldir%/tableformat.c %reldir%/tableformat.h \
	%reldir%/lockwait.c %reldir%/lockwait.h \
	%reldir%/schema_model.c %reldir%/schema_model.h %reldir%/schema_internal.h \
	%reldir%/schema_naming.c %reldir%/schema_compare.c \
	%reldir%/schema_serial.c \
	%reldir%/schema_diff.c %reldir%/schema_diff.h \
	%reldir%/schema_diff_internal.h \
	%reldir%/schema_describe.c %reldir%/schema_diff_views.c \
	%reldir%/schema_source.c %reldir%/schema_source.h \
	%reldir%/schema_record.c %reldir%/schema_record.h \
	%reldir%/snapshot_codec.c %reldir%/snapshot_codec.h \
	%reldir%/schema_script.c %reldir%/schema_script.h \
	%reldir%/schema_ops.h %reldir%/op_schema.c %reldir%/op_revision.h \
	%reldir%/op_test.c \
	%reldir%/json_tree.c %reldir%/json_tree.h \
	%reldir%/lint.h %reldir%/lint_collect.c %reldir%/lint_generic.c \
	%reldir%/lint_words.c %reldir%/lint_findings.c %reldir%/lint_trace.c \
	%reldir%/op_lint.c

lib_LTLIBRARIES += %reldir%/libmigrator.la
%canon_reldir%_libmigrator_la_SOURCES =
%canon_reldir%_libmigrator_la_LIBADD = %reldir%/libmigrator-core.la
%canon_reldir%_libmigrator_la_LDFLAGS = $(AM_LDFLAGS) -no-undefined \
	-version-info $(MGR_LT_VERSION) -export-symbols-regex '^mgr_'

# Not $(AM_CPPFLAGS): without -I core, an include of a private header
# fails to compile.
bin_PROGRAMS += %reldir%/migrator
%canon_reldir%_migrator_CPPFLAGS = -I$(top_builddir) \
	-I$(top_srcdir)/include -I$(top_builddir)/include \
	-I$(top_srcdir)/plugins/common \
	-DPLUGINDIR='"$(pkglibdir)"' \
	-DTEMPLATEDIR='"$(pkgdatadir)/templates"' \
	-DBUILD_TOPDIR='"$(abs_top_builddir)"' \
	-DBUILD_PLUGINDIR='"$(abs_top_builddir)/plugins/.libs"' \
	-DBUILD_TEMPLATEDIR='"$(abs_top_srcdir)/migrations/templates"'
%canon_reldir%_migrator_LDADD = %reldir%/libmigrator.la
%canon_reldir%_migrator_SOURCES = \
	%reldir%/cli/main.c %reldir%/cli/cmd.h \
	%reldir%/cli/cli_util.c %reldir%/cli/cli_util.h \
	%reldir%/cli/cli_secret.c %reldir%/cli/cli_secret.h \
	plugins/common/visible.c plugins/common/visible.h \
	plugins/common/utf8.c plugins/common/utf8.h \
	%reldir%/cli/cli_confirm.c %reldir%/cli/cli_confirm.h \
	%reldir%/cli/cmd_usage.c \
	%reldir%/cli/cmd_init.c \
	%reldir%/cli/cmd_plugins.c \
	%reldir%/cli/cmd_graph.c \
	%reldir%/cli/cmd_migrate.c \
	%reldir%/cli/cmd_revision.c \
	%reldir%/cli/cmd_current.c \
	%reldir%/cli/cmd_status.c \
	%reldir%/cli/cmd_resolve.c \
	%reldir%/cli/cmd_unlock.c \
	%reldir%/cli/cmd_schema.c \
	%reldir%/cli/cmd_test.c \
	%reldir%/cli/cmd_lint.c
