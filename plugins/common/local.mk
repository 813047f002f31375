## plugins/common: sources compiled into more than one plugin (plugins
## never link against the core, nor against each other). A plugin adds
## the set it needs to its _SOURCES and -I$(srcdir)/%reldir% to its
## CPPFLAGS.

## UTF-8 decoding and checks.
PLUGIN_UTF8_SOURCES = %reldir%/utf8.c %reldir%/utf8.h

## Text written so that a terminal obeys none of it (with the UTF-8 set).
PLUGIN_VISIBLE_SOURCES = %reldir%/visible.c %reldir%/visible.h

## Errors through api->error_set ("file:line: message").
PLUGIN_FAIL_SOURCES = %reldir%/fail.c %reldir%/fail.h

## The state of a plugin that keeps only the host's API and handle, with
## an init and fini for its descriptor.
PLUGIN_STATE_SOURCES = %reldir%/plugin_state.c %reldir%/plugin_state.h

## What format plugins share: reading and checking script lines, and the
## header's keys (with the two sets above).
PLUGIN_SCRIPT_SOURCES = \
	%reldir%/script_text.c %reldir%/script_text.h \
	%reldir%/header_keys.c %reldir%/header_keys.h \
	$(PLUGIN_FAIL_SOURCES) $(PLUGIN_UTF8_SOURCES)

## Reading the struct mgr_json parse trees linters get: members, arrays,
## libpg_query's node wrappers and name lists.
PLUGIN_JSON_WALK_SOURCES = %reldir%/json_walk.c %reldir%/json_walk.h

## DDL text every SQL dialect writes the same way (render).
PLUGIN_DDL_SOURCES = %reldir%/ddl_text.c %reldir%/ddl_text.h

## SQLite's tokens, for the SQLite dialect and the SQLite linter.
PLUGIN_SQLITE_TOKENS_SOURCES = \
	%reldir%/sqlite_tokens.c %reldir%/sqlite_tokens.h

## The mock host API the plugins' Check suites share: add it to a suite's
## _SOURCES, and -I$(srcdir)/%reldir%/tests to its CPPFLAGS. The format
## plugins' suites add the recording meta_add too.
PLUGIN_MOCK_HOST_SOURCES = \
	%reldir%/tests/mock_host.c %reldir%/tests/mock_host.h
PLUGIN_MOCK_META_SOURCES = \
	%reldir%/tests/mock_meta.c %reldir%/tests/mock_meta.h

## The kit's own suite.
if HAVE_CHECK
check_PROGRAMS += %reldir%/tests/check_plugin_common
%canon_reldir%_tests_check_plugin_common_SOURCES = \
	%reldir%/tests/check_plugin_common.c $(PLUGIN_SCRIPT_SOURCES) \
	$(PLUGIN_STATE_SOURCES) $(PLUGIN_MOCK_HOST_SOURCES) \
	$(PLUGIN_MOCK_META_SOURCES) $(PLUGIN_VISIBLE_SOURCES)
%canon_reldir%_tests_check_plugin_common_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/%reldir% -I$(srcdir)/%reldir%/tests
%canon_reldir%_tests_check_plugin_common_CFLAGS = $(AM_CFLAGS) \
	$(CHECK_CFLAGS)
%canon_reldir%_tests_check_plugin_common_LDADD = $(CHECK_LIBS)
TESTS += %reldir%/tests/check_plugin_common
endif
