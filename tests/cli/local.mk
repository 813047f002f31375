## tests/cli: end-to-end tests of the migrator command.

EXTRA_DIST += %reldir%/lib.sh
CLI_TESTS = \
	%reldir%/main.sh \
	%reldir%/init.sh \
	%reldir%/revision.sh \
	%reldir%/offline.sh \
	%reldir%/plugins.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS)
