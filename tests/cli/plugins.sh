#!/bin/sh
# migrator plugins: what is loadable from where, and why the rest is not.
umask 022
. "$top_srcdir/tests/cli/lib.sh"
: "${TEST_PLUGINDIR:?}"
cd "$T" || exit 1

# re TEXT: TEXT as an extended regular expression matching itself.
re() {
    printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'
}

# expect_line_start TEXT: a line of stdout starts with TEXT.
expect_line_start() {
    checks=$((checks + 1))
    awk -v s="$1" 'index($0, s) == 1 { found = 1 } END { exit !found }' \
        "$T/out" || fail "no line of stdout starts with '$1'"
}

count_lines() {
    grep -c -- "$1" "$T/out"
}

abi=$("$MIGRATOR" --version | sed -n 's/^plugin ABI //p')
major=${abi%.*}
minor=${abi#*.}
A=$(re "$abi")
RT=$(re "$T")
P=$TEST_PLUGINDIR
ext=.so

# The working directory is never searched, even when it holds a plugin.
cp "$P/dialect_dummy$ext" "$T/"

# From the build tree: the build tree's plugins, none of the test ones.
run plugins
expect_rc 0
sql=$(re "$top_builddir/plugins/.libs/format_sql$ext")
expect_out "^format +sql +[^ ]+ +ABI $A +$sql\$"
expect_no_out 'tests/plugins'
expect_no_out 'dummy'
expect_no_out '^refused'
# Exactly the plugins this build made: one line per plugins/*.la.
built=$(cd "$top_builddir/plugins" && ls *.la | sed 's/\.la$//' | sort)
listed=$(awk '{ print $1 "_" $2 }' "$T/out" | sort)
checks=$((checks + 1))
[ "$built" = "$listed" ] || fail "listed '$listed', built '$built'"

# A relative $MIGRATOR_PLUGIN_PATH entry is ignored, with a warning.
MIGRATOR_PLUGIN_PATH=.:tests export MIGRATOR_PLUGIN_PATH
run plugins
unset MIGRATOR_PLUGIN_PATH
expect_rc 0
expect_no_out 'dummy'
expect_err "^migrator: warning: ignoring relative directory '\.' in "

# The test plugins, plus a second directory with a file that is not a
# module and a format_dummy shadowed by the one in --plugin-dir.
mkdir "$T/extra"
for i in 1 2 3 4 5 6 7 8; do
    echo "this text file is not a shared object"
done >"$T/extra/dialect_notelf$ext"
cp "$P/format_dummy$ext" "$T/extra/"
MIGRATOR_PLUGIN_PATH=$T/extra export MIGRATOR_PLUGIN_PATH
run --plugin-dir "$P" plugins
unset MIGRATOR_PLUGIN_PATH
expect_rc 2
RP=$(re "$P")
expect_out "^dialect +dummy +1\.2\.3 +ABI $A +$RP/dialect_dummy\.so\$"
expect_out "^format +dummy +0\.1 +ABI $A +$RP/format_dummy\.so\$"
expect_out "^format +ctor +1 +ABI $A +$RP/format_ctor\.so\$"
expect_out "^format +sql +.*/plugins/\.libs/format_sql\.so\$"
expect_line_start \
    "shadowed  $T/extra/format_dummy$ext: by '$P/format_dummy$ext'"
r="refused  $P/dialect"
ours="(this migrator has $abi)"
expect_line_start \
    "${r}_badmajor$ext: it is for ABI $((major + 1)).0 $ours"
expect_line_start \
    "${r}_newminor$ext: it is for ABI $major.$((minor + 1)) $ours"
expect_line_start \
    "${r}_noentry$ext: it has no 'mgr_plugin_entry' function"
expect_line_start "${r}_nullentry$ext: mgr_plugin_entry() returned NULL"
expect_line_start "${r}_small$ext: its descriptor has "
expect_line_start \
    "${r}_misnamed$ext: it is named 'other', but its file name says 'misnamed'"
expect_line_start \
    "${r}_wrongkind$ext: it is a format plugin, but its file name says dialect"
expect_line_start \
    "${r}_nullops$ext: it has no dialect operations (ops is NULL)"
expect_line_start \
    "${r}_zeroops$ext: its dialect operations table has 0 bytes, fewer than"
expect_line_start \
    "${r}_noquery$ext: its dialect operations lack 'query', which is required"
expect_line_start "refused  $P/reporter_noclose$ext: its reporter operations \
lack 'close', which is required"
expect_out "^dialect +v10 +1\.0 +ABI 1\.0 +$RP/dialect_v10\.so\$"
expect_out "^dialect +v13 +1\.3 +ABI 1\.3 +$RP/dialect_v13\.so\$"
expect_line_start \
    "${r}_initfail$ext: initialisation failed: cannot reach server 'db.invalid'"
expect_out "^refused  $RT/extra/dialect_notelf\.so: .*a missing dependency"
checks=$((checks + 1))
[ "$(count_lines '^refused  ')" -eq 13 ] || fail "expected 13 refused lines"
expect_err '^migrator: error: 13 plugin files refused$'

# A world-writable plugin directory: refused before loading, exit 6.
mkdir "$T/open"
chmod 777 "$T/open"
cp "$P/dialect_dummy$ext" "$T/open/"
run --plugin-dir "$T/open" plugins
expect_rc 6
expect_line_start "refused  $T/open/dialect_dummy$ext: directory '$T/open' is \
writable by group or others"
checks=$((checks + 1))
[ "$(count_lines '^refused  ')" -eq 1 ] || fail "expected 1 refused line"
expect_no_out '^dialect +dummy'
expect_out '^format +sql '
expect_err '^migrator: error: 1 plugin file refused$'

# plugin_path in the config, relative to the config file's directory
# (not the working directory), with -c and with ./migrator.ini.
mkdir -p "$T/proj/plugins"
cp "$P/format_dummy$ext" "$T/proj/plugins/"
printf '[migrator]\nplugin_path = plugins\n' >"$T/proj/migrator.ini"
run -c proj/migrator.ini plugins
expect_rc 0
expect_out "^format +dummy +0\.1 +ABI $A +$RT/proj/plugins/format_dummy\.so\$"
(cd "$T/proj" && "$MIGRATOR" plugins) >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0
expect_out "^format +dummy +.*$RT/proj/plugins/format_dummy\.so\$"

# Dialects are chosen by the schemes they declare. A dialect without a
# required operation is refused by name, before anything can call it.
mkdir -p "$T/schemes"
printf '[migrator]\nscript_location = %%(here)s\nversion_locations = %%(here)s/v\n' \
    >"$T/schemes/migrator.ini"
mkdir -p "$T/schemes/v"
run --plugin-dir "$P" -c schemes/migrator.ini --url noquery://x upgrade head
expect_rc 2
expect_err "refusing to load plugin '$RP/dialect_noquery\.so': its dialect \
operations lack 'query', which is required"
run --plugin-dir "$P" -c schemes/migrator.ini --url nosuch+drv://x current
expect_rc 2
expect_err "no dialect plugin serves the URL scheme 'nosuch' of \
'nosuch\+drv://x'; the dialect plugins found serve .*dummy.*sqlite"
run -c schemes/migrator.ini --url 'Sqlite+pysqlite:///sch.db' current
expect_rc 0

run plugins extra-argument
expect_rc 2
expect_err "^migrator: error: 'plugins' takes no arguments"

# A dialect built for ABI 1.3 connects through connect: connect_opts
# (ABI 1.4) lies past its ops table's recorded size and is never called.
PROJECT_URL=v13://db new_project "connect_timeout = 3s"
run --plugin-dir "$P" -c "$INI" upgrade head
expect_rc 5
expect_err "v13: connect \(ABI 1\.3\) ran"

finish
