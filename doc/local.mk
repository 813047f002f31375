## doc/: manual pages.
dist_man_MANS += %reldir%/migrator.1 %reldir%/migrator.ini.5 \
	%reldir%/migrator-plugin.7 %reldir%/migrator-script.3
