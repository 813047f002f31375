## plugins/format/c: revision scripts in C (.c), compiled into a build
## cache and loaded with libltdl.

FORMAT_C_SOURCES = \
	%reldir%/c.h \
	%reldir%/c_build.c \
	%reldir%/c_compile.c \
	%reldir%/c_header.c \
	%reldir%/c_load.c \
	%reldir%/c_manifest.c \
	%reldir%/c_script.c \
	%reldir%/c_source.c \
	%reldir%/c_text.c \
	%reldir%/format_c.c \
	$(PLUGIN_SCRIPT_SOURCES) \
	core/sha256.c core/sha256.h

## The shared kit's headers (plugins/common), and where a script finds
## <migrator/script.h>: the installed headers, or before `make install`
## the source tree's include/ and the build tree's (which holds the
## generated version.h). The core's SHA-256 (self-contained) is compiled
## in too: it names modules and checks them against the cache's manifest.
FORMAT_C_CPPFLAGS = -I$(srcdir)/plugins/common \
	-DMGR_INCLUDEDIR='"$(includedir)"' \
	-DMGR_SRC_INCLUDEDIR='"$(abs_top_srcdir)/include"' \
	-DMGR_BUILD_INCLUDEDIR='"$(abs_top_builddir)/include"'

if BUILD_PLUGIN_FORMAT_C
pkglib_LTLIBRARIES += plugins/format_c.la
plugins_format_c_la_SOURCES = $(FORMAT_C_SOURCES)
plugins_format_c_la_CPPFLAGS = $(AM_CPPFLAGS) $(FORMAT_C_CPPFLAGS)
plugins_format_c_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_format_c_la_LIBADD = $(LTDL_LIBS)

## The plugin's own suite: a mock host API, the plugin's sources linked in
## directly (a plugin never links against the core).
if HAVE_CHECK
check_PROGRAMS += %reldir%/tests/check_format_c
%canon_reldir%_tests_check_format_c_SOURCES = \
	%reldir%/tests/check_format_c.c $(FORMAT_C_SOURCES) \
	$(PLUGIN_MOCK_HOST_SOURCES) $(PLUGIN_MOCK_META_SOURCES)
%canon_reldir%_tests_check_format_c_CPPFLAGS = $(AM_CPPFLAGS) \
	$(FORMAT_C_CPPFLAGS) -I$(srcdir)/%reldir% \
	-I$(srcdir)/plugins/common/tests
%canon_reldir%_tests_check_format_c_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_tests_check_format_c_LDADD = $(LTDL_LIBS) $(CHECK_LIBS)
TESTS += %reldir%/tests/check_format_c
endif
endif
