## tests/cli: end-to-end tests of the migrator command (TESTS += tests/cli/NAME.sh).
