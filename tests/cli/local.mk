## tests/cli: end-to-end tests of the migrator command.

EXTRA_DIST += %reldir%/lib.sh %reldir%/conformance_lib.sh \
	%reldir%/gen_conformance.py
CLI_TESTS = \
	%reldir%/main.sh \
	%reldir%/init.sh \
	%reldir%/revision.sh \
	%reldir%/offline.sh \
	%reldir%/plugins.sh \
	%reldir%/online_sqlite.sh \
	%reldir%/integrity.sh \
	%reldir%/online_pg.sh \
	%reldir%/tablelock.sh %reldir%/tablelock_pg.sh \
	%reldir%/tableformat.sh %reldir%/tableformat_pg.sh \
	%reldir%/conformance.sh \
	%reldir%/conformance_pg.sh
CLI_TESTS += %reldir%/reliability_pg.sh %reldir%/faults_pg.sh
CLI_TESTS += %reldir%/reliability_sqlite.sh %reldir%/bad_input.sh
EXTRA_DIST += %reldir%/reliability_lib.sh
CLI_TESTS += %reldir%/format_c.sh
CLI_TESTS += %reldir%/report.sh %reldir%/report_pg.sh
CLI_TESTS += %reldir%/lockwait.sh %reldir%/exports.sh %reldir%/abi_symbols.sh
EXTRA_DIST += %reldir%/report_check.py
CLI_TESTS += %reldir%/skeleton.sh %reldir%/install.sh
CLI_TESTS += %reldir%/status.sh %reldir%/app_check.sh %reldir%/standby_pg.sh %reldir%/tutorial.sh
EXTRA_DIST += %reldir%/app_check_lib.sh
CLI_TESTS += %reldir%/roundtrip.sh %reldir%/drift_large.sh \
	%reldir%/schema_capture.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS)
CLI_TESTS += %reldir%/autogen_sqlite.sh %reldir%/autogen_pg.sh \
	%reldir%/autogen_realestate.sh
EXTRA_DIST += %reldir%/autogen_lib.sh tests/data/autogen
CLI_TESTS += %reldir%/lint_rules.sh %reldir%/lint_trace.sh %reldir%/lint_plugins.sh \
	%reldir%/lint_pg.sh
EXTRA_DIST += tests/data/lint
CLI_TESTS += %reldir%/commit_lost_pg.sh %reldir%/locktimeout_pg.sh \
	%reldir%/pooler_pg.sh
EXTRA_DIST += tests/pg/pgproxy.py
CLI_TESTS += %reldir%/secrets_pg.sh %reldir%/terminal.sh %reldir%/offline_pg.sh \
	%reldir%/script_write.sh %reldir%/disk_full.sh
CLI_TESTS += %reldir%/exit_codes.sh %reldir%/exit_codes_pg.sh \
	%reldir%/files.sh %reldir%/protected.sh
CLI_TESTS += %reldir%/c_trust.sh %reldir%/config_trust.sh
