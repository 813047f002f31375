## doc/: manual pages.
dist_man_MANS += %reldir%/migrator.1 %reldir%/migrator.ini.5 \
	%reldir%/migrator-plugin.7 %reldir%/migrator-script.3

## doc/plugins.md, and the out-of-tree dialect example it walks through
## (built by tests/cli/skeleton.sh).
dist_doc_DATA += %reldir%/plugins.md %reldir%/tutorial.md
EXTRA_DIST += %reldir%/examples/app-check.c \
	%reldir%/examples/dialect-skeleton/README.md \
	%reldir%/examples/dialect-skeleton/configure.ac \
	%reldir%/examples/dialect-skeleton/Makefile.am \
	%reldir%/examples/dialect-skeleton/skel.h \
	%reldir%/examples/dialect-skeleton/skel.c \
	%reldir%/examples/dialect-skeleton/skel_lock.c \
	%reldir%/examples/dialect-skeleton/skel_split.c
