#!/bin/sh
# make install honours DESTDIR and the prefix given at install time, puts
# every part where it belongs, and writes nothing outside; the installed
# headers compile on their own; make uninstall removes all of it.
#
# The install runs with prefix (and exec_prefix) overridden to a scratch
# directory P and DESTDIR to another, D: a rule that forgets DESTDIR
# writes under P itself, one that ignores the prefix writes outside D/P.
. "$top_srcdir/tests/cli/lib.sh"

# The make below is not part of the make that runs this test.
unset MAKEFLAGS MFLAGS MAKELEVEL
: "${MAKE:=make}"
P=$T/prefix
D=$T/dest
R=$D$P

# Paths in the build's Makefile that install must not bypass.
for var in bindir libdir pkglibdir includedir datadir mandir docdir; do
    val=$(sed -n "s/^$var = //p" "$top_builddir/Makefile")
    case $val in
    '$('*|'${'*) ;;
    *) echo "SKIP: $var is configured as '$val', not under the prefix"
       rm -rf "$T"; exit 77 ;;
    esac
done

printf '$ make install prefix=%s DESTDIR=%s\n' "$P" "$D"
(cd "$top_builddir" && $MAKE install prefix="$P" exec_prefix="$P" \
    DESTDIR="$D") >"$T/install.log" 2>&1
rc=$?
checks=$((checks + 1))
[ $rc -eq 0 ] || { fail "make install exited $rc"; tail -n 30 "$T/install.log"; }

checks=$((checks + 1))
[ ! -e "$P" ] || fail "make install wrote to the prefix, not DESTDIR: \
$(cd "$P" && find . ! -type d | head -n 5 | tr '\n' ' ')"
(cd "$D" && find . ! -type d) | sed 's|^\.||' | sort >"$T/files"
checks=$((checks + 1))
grep -v "^$P/" "$T/files" >"$T/outside"
[ ! -s "$T/outside" ] ||
    fail "make install wrote outside the prefix: $(tr '\n' ' ' <"$T/outside")"

# installed PATH: one check that PATH (relative to the prefix) is there.
installed() {
    checks=$((checks + 1))
    [ -e "$R/$1" ] || fail "make install did not install $1"
}
installed bin/migrator
installed lib/libmigrator.so
installed lib/pkgconfig/migrator.pc
for h in migrator plugin schema script commands version; do
    installed include/migrator/$h.h
done
installed share/man/man1/migrator.1
installed share/man/man3/migrator-script.3
installed share/man/man5/migrator.ini.5
installed share/man/man7/migrator-plugin.7
for t in generic postgresql; do
    for f in description migrator.ini README script.sql.tmpl script.c.tmpl; do
        installed share/migrator/templates/$t/$f
    done
done
installed share/doc/migrator/plugins.md

# Every plugin built goes to pkglibdir (lib/migrator), and nothing else
# does: no test-only plugin, no library.
(cd "$top_builddir/plugins/.libs" && ls *.so) >"$T/built"
(cd "$R/lib/migrator" && ls) | grep '\.so$' >"$T/plugins"
checks=$((checks + 1))
[ -s "$T/built" ] || fail "no plugin in plugins/.libs"
checks=$((checks + 1))
cmp -s "$T/built" "$T/plugins" || {
    fail "lib/migrator does not hold exactly the built plugins"
    diff "$T/built" "$T/plugins"
}

# The installed headers compile on their own, each with only the others.
CC_BUILD=$(sed -n 's/^CC = //p' "$top_builddir/Makefile")
for h in "$R"/include/migrator/*.h; do
    checks=$((checks + 1))
    printf '#include <migrator/%s>\n' "${h##*/}" >"$T/h.c"
    ${CC_BUILD:-cc} -std=c99 -Wall -Werror -fsyntax-only \
        -I"$R/include" "$T/h.c" >"$T/h.log" 2>&1 ||
        { fail "<migrator/${h##*/}> does not compile alone"; cat "$T/h.log"; }
done

# The installed binary, though under the build directory here, is not
# the build tree's: it looks for plugins where it was configured to.
printf '$ %s --version\n' "$R/bin/migrator"
LD_LIBRARY_PATH=$R/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
    "$R/bin/migrator" --version >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0
expect_out '^plugin directory /'
checks=$((checks + 1))
! grep -q 'build tree' "$T/out" ||
    fail "an installed migrator takes the build tree's plugins"

printf '$ make uninstall prefix=%s DESTDIR=%s\n' "$P" "$D"
(cd "$top_builddir" && $MAKE uninstall prefix="$P" exec_prefix="$P" \
    DESTDIR="$D") >"$T/uninstall.log" 2>&1
checks=$((checks + 1))
left=$(cd "$D" && find . ! -type d)
[ -z "$left" ] || fail "make uninstall left: $(echo $left)"

finish
