## plugins/common: sources compiled into more than one plugin (plugins
## never link against the core, nor against each other).

PLUGIN_UTF8_SOURCES = %reldir%/utf8.c %reldir%/utf8.h
