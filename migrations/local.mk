## migrations/: the templates of `migrator init`, installed under
## $(pkgdatadir)/templates/<name>/.

generictemplatedir = $(pkgdatadir)/templates/generic
dist_generictemplate_DATA = \
	%reldir%/templates/generic/description \
	%reldir%/templates/generic/migrator.ini \
	%reldir%/templates/generic/README \
	%reldir%/templates/generic/script.c.tmpl \
	%reldir%/templates/generic/script.sql.tmpl

postgresqltemplatedir = $(pkgdatadir)/templates/postgresql
dist_postgresqltemplate_DATA = \
	%reldir%/templates/postgresql/description \
	%reldir%/templates/postgresql/migrator.ini \
	%reldir%/templates/postgresql/README \
	%reldir%/templates/postgresql/script.c.tmpl \
	%reldir%/templates/postgresql/script.sql.tmpl

## The example projects; `make demo` reviews the real estate one (lint),
## migrates it to head on a SQLite file in the build tree and shows where
## it stands.
EXTRA_DIST += \
	%reldir%/examples/quickstart/migrator.ini \
	%reldir%/examples/quickstart/versions/0001_1a2b3c4d5e6f_create_properties.sql \
	%reldir%/examples/quickstart/versions/0002_9b1c0d2e4f56_add_owner.sql \
	%reldir%/examples/quickstart/versions/0003_3f2a9c1b7d10_add_cap_rate.sql \
	%reldir%/examples/realestate/migrator.ini \
	%reldir%/examples/realestate/schema.sql \
	%reldir%/examples/realestate/versions/0001_5c1e0a7b3d21_create_properties.sql \
	%reldir%/examples/realestate/versions/0002_8d4f2b6a9e10_create_units.sql \
	%reldir%/examples/realestate/versions/0003_a7b3c9d1e2f4_create_leases.sql \
	%reldir%/examples/realestate/versions/0004_b2e8f0a4c6d3_create_maintenance_requests.sql \
	%reldir%/examples/realestate/versions/0005_c4d6e8f0a1b3_merge_leasing_and_maintenance.sql \
	%reldir%/examples/realestate/versions/0006_d9e1f3a5b7c9_add_financial_metrics.sql \
	%reldir%/examples/realestate/versions/0007_e5f7a9b1c3d5_convert_legacy_price.sql \
	%reldir%/examples/realestate/versions/0008_f6a8b0c2d4e6_parse_legacy_price.c

DEMO_INI = $(abs_srcdir)/%reldir%/examples/realestate/migrator.ini
DEMO_DB = $(abs_builddir)/realestate.db
## The example's C script is compiled into the build tree, not beside it.
DEMO_ENV = DATABASE_URL='sqlite:///$(DEMO_DB)' \
	MIGRATOR_C_CACHE_DIR='$(abs_builddir)/realestate-cache'
CLEANFILES += realestate.db realestate.db-migrator.lock
clean-local: clean-demo-cache
clean-demo-cache:
	-rm -rf realestate-cache
.PHONY: clean-demo-cache
demo: all
	@echo '$$ migrator lint'
	@$(DEMO_ENV) core/migrator -c $(DEMO_INI) lint
	@echo '$$ migrator upgrade head'
	@$(DEMO_ENV) core/migrator -c $(DEMO_INI) upgrade head
	@echo '$$ migrator history'
	@$(DEMO_ENV) core/migrator -c $(DEMO_INI) history
	@echo '$$ migrator current'
	@$(DEMO_ENV) core/migrator -c $(DEMO_INI) current
.PHONY: demo
