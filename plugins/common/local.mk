## plugins/common: sources compiled into more than one plugin (plugins
## never link against the core, nor against each other).

PLUGIN_UTF8_SOURCES = %reldir%/utf8.c %reldir%/utf8.h

## The mock host API the plugins' Check suites share: add it to a suite's
## _SOURCES, and -I$(srcdir)/%reldir%/tests to its CPPFLAGS.
PLUGIN_MOCK_HOST_SOURCES = \
	%reldir%/tests/mock_host.c %reldir%/tests/mock_host.h
