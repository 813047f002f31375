## plugins/format/sql: SQL revision scripts (.sql).

if BUILD_PLUGIN_FORMAT_SQL
pkglib_LTLIBRARIES += plugins/format_sql.la
plugins_format_sql_la_SOURCES = %reldir%/format_sql.c
plugins_format_sql_la_LDFLAGS = $(PLUGIN_LDFLAGS)
endif
