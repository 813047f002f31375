## migrations/: the templates of `migrator init`, installed under
## $(pkgdatadir)/templates/<name>/.

generictemplatedir = $(pkgdatadir)/templates/generic
dist_generictemplate_DATA = \
	%reldir%/templates/generic/description \
	%reldir%/templates/generic/migrator.ini \
	%reldir%/templates/generic/README \
	%reldir%/templates/generic/script.sql.tmpl

postgresqltemplatedir = $(pkgdatadir)/templates/postgresql
dist_postgresqltemplate_DATA = \
	%reldir%/templates/postgresql/description \
	%reldir%/templates/postgresql/migrator.ini \
	%reldir%/templates/postgresql/README \
	%reldir%/templates/postgresql/script.sql.tmpl

## The quick-start project that `make demo` runs.
EXTRA_DIST += \
	%reldir%/examples/quickstart/migrator.ini \
	%reldir%/examples/quickstart/versions/0001_1a2b3c4d5e6f_create_properties.sql \
	%reldir%/examples/quickstart/versions/0002_9b1c0d2e4f56_add_owner.sql \
	%reldir%/examples/quickstart/versions/0003_3f2a9c1b7d10_add_cap_rate.sql

DEMO_INI = $(abs_srcdir)/%reldir%/examples/quickstart/migrator.ini
demo: all
	@echo '$$ migrator history --verbose'
	@core/migrator -c $(DEMO_INI) history --verbose
	@echo '$$ migrator heads'
	@core/migrator -c $(DEMO_INI) heads
	@echo '$$ migrator upgrade head --sql'
	@DATABASE_URL='sqlite:///$(abs_builddir)/quickstart.db' \
		core/migrator -c $(DEMO_INI) upgrade head --sql
.PHONY: demo
