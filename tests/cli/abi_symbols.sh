#!/bin/sh
# What the built shared objects export (nm -D): libmigrator only names
# with the public prefix mgr_, each plugin only its entry function
# mgr_plugin_entry. And PLUGIN_LDFLAGS refuses, at link time, a plugin
# that leaves a symbol unresolved (-z defs), except in the sanitizer
# build. exports.sh checks libmigrator's names against its headers.
. "$top_srcdir/tests/cli/lib.sh"
: "${MGR_PLUGIN_LDFLAGS:?}"

command -v nm >/dev/null 2>&1 || {
    echo "SKIP: nm is not installed"
    rm -rf "$T"
    exit 77
}

# exports SO: the names SO's dynamic symbol table defines, one a line.
exports() {
    nm -D --defined-only "$1" | awk 'NF >= 3 { print $3 }' |
        sed 's/@.*//' | sort -u
}

# only SO DESCRIPTION RE: every name SO exports matches RE, and there is
# at least one.
only() {
    exports "$1" >"$T/exported"
    checks=$((checks + 1))
    [ -s "$T/exported" ] || fail "nm -D lists no symbol of $1"
    grep -Ev -- "$3" "$T/exported" >"$T/extra"
    checks=$((checks + 1))
    [ ! -s "$T/extra" ] ||
        fail "$1 exports $2 and also: $(tr '\n' ' ' <"$T/extra")"
}

LIB=$top_builddir/core/.libs/libmigrator.so
[ -f "$LIB" ] || { echo "no $LIB"; exit 99; }
printf 'libmigrator.so\n'
only "$LIB" "names with the prefix mgr_" '^mgr_[A-Za-z0-9_]+$'

n=0
for so in "$top_builddir"/plugins/.libs/*.so; do
    [ -f "$so" ] || continue
    n=$((n + 1))
    printf '%s\n' "${so##*/}"
    only "$so" "its entry function" '^mgr_plugin_entry$'
    checks=$((checks + 1))
    grep -qx mgr_plugin_entry "$T/exported" ||
        fail "$so does not export mgr_plugin_entry"
done
checks=$((checks + 1))
[ "$n" -gt 0 ] || fail "no plugin in $top_builddir/plugins/.libs"

# ---- -z defs: link a module as the plugins are linked -------------------
# Each module has a mgr_plugin_entry that calls a function; good.c
# defines it, bad.c leaves it to whoever loads the module.
CC_BUILD=$(sed -n 's/^CC = //p' "$top_builddir/Makefile")
LIBTOOL=$top_builddir/libtool
cd "$T" || exit 1
cat >good.c <<'EOF'
int mgr_test_helper(void);
int mgr_plugin_entry(void);
int mgr_test_helper(void) { return 0; }
int mgr_plugin_entry(void) { return mgr_test_helper(); }
EOF
cat >bad.c <<'EOF'
int mgr_test_helper(void);
int mgr_plugin_entry(void);
int mgr_plugin_entry(void) { return mgr_test_helper(); }
EOF
# link NAME: compile NAME.c and link NAME.la with $MGR_PLUGIN_LDFLAGS
# (quoted as in Makefile.am: the regex is in single quotes).
link() {
    printf '$ link %s.la with PLUGIN_LDFLAGS\n' "$1"
    $LIBTOOL --tag=CC --mode=compile $CC_BUILD -c "$1.c" \
        >"$1.log" 2>&1 || return 2
    eval "set -- $1 $MGR_PLUGIN_LDFLAGS"
    name=$1
    shift
    $LIBTOOL --tag=CC --mode=link $CC_BUILD -o "$name.la" "$name.lo" \
        -rpath "$T/lib" "$@" >>"$name.log" 2>&1
}

link good
rc=$?
checks=$((checks + 1))
[ $rc -eq 0 ] || { fail "a module without unresolved symbols did not link"
    cat good.log; }
[ $rc -eq 0 ] && only "$T/.libs/good.so" "its entry function" \
    '^mgr_plugin_entry$'

link bad
rc=$?
checks=$((checks + 1))
if [ "${MGR_SANITIZERS:-no}" = yes ]; then
    # Off: instrumented modules leave the sanitizer runtime to the program.
    [ $rc -eq 0 ] || { fail "sanitizer build: bad.la did not link"
        cat bad.log; }
else
    [ $rc -eq 1 ] || { fail "bad.la linked (exit $rc): PLUGIN_LDFLAGS \
accepts an unresolved symbol"; cat bad.log; }
    checks=$((checks + 1))
    grep -q 'mgr_test_helper' bad.log ||
        { fail "the link error does not name mgr_test_helper"; cat bad.log; }
fi
cd "$top_builddir" || exit 1

finish
