# tests/cli/app_check_lib.sh: install migrator from the build tree into a
# scratch DESTDIR and build doc/examples/app-check.c against it with
# nothing but `pkg-config migrator`, as an application does. Source it
# after lib.sh, then call install_app_check; it sets
#   APP_CHECK   the program
#   INST_BIN    the installed migrator
#   app_env     "env ..." that runs a program on the installed library
#               and plugins (the DESTDIR tree stands in for the prefix)
: "${PKG_CONFIG:=pkg-config}"

# install_app_check: exits 77 (skip) without pkg-config; fails the test
# when the install or the build fails.
install_app_check() {
    command -v "$PKG_CONFIG" >/dev/null 2>&1 || {
        printf 'SKIP: %s is not installed\n' "$PKG_CONFIG"
        exit 77
    }
    dest=$T/dest
    rm -rf "$dest"
    printf '$ make install DESTDIR=%s\n' "$dest"
    # Not part of the make that runs this test.
    (cd "$top_builddir" && unset MAKEFLAGS MFLAGS MAKELEVEL &&
        make install DESTDIR="$dest") >"$T/install.log" 2>&1 || {
        tail -n 30 "$T/install.log"
        fail "make install DESTDIR=$dest failed"
        finish
        exit 1
    }
    pc=$(find "$dest" -name migrator.pc | head -n 1)
    [ -n "$pc" ] || { fail "make install put no migrator.pc"; finish; exit 1; }
    # Where the prefix really is: under DESTDIR.
    prefix=$(sed -n 's/^prefix=//p' "$pc")
    pkg="$PKG_CONFIG --define-variable=prefix=$dest$prefix"
    PKG_CONFIG_PATH=$(dirname "$pc")
    export PKG_CONFIG_PATH
    cflags=$($pkg --cflags migrator) && libs=$($pkg --libs migrator) &&
        inst_lib=$($pkg --variable=libdir migrator) &&
        inst_plugins=$($pkg --variable=plugindir migrator) || {
        fail "pkg-config migrator failed"; finish; exit 1; }
    checks=$((checks + 1))
    case "$cflags $libs" in
    *"-I$dest"*"-L$dest"*) ;;
    *) fail "pkg-config does not point into the install: $cflags $libs" ;;
    esac
    cc=$(sed -n 's/^CC = //p' "$top_builddir/Makefile")
    # A sanitizer build's libmigrator needs its runtime first in the
    # program that loads it: build the program the same way.
    SANITIZE=
    [ "${MGR_SANITIZERS:-no}" = yes ] &&
        SANITIZE=$(sed -n 's/^SANITIZER_CFLAGS = //p' "$top_builddir/Makefile")
    APP_CHECK=$T/app-check
    printf '$ %s app-check.c $(pkg-config --cflags --libs migrator)\n' "${cc:-cc}"
    ${cc:-cc} $SANITIZE -Wall -Wextra -Werror -o "$APP_CHECK" \
        "$top_srcdir/doc/examples/app-check.c" $cflags $libs \
        >"$T/cc.log" 2>&1 || {
        cat "$T/cc.log"
        fail "app-check.c does not build against the installed library"
        finish
        exit 1
    }
    INST_BIN=$dest$prefix/bin/migrator
    app_env="env LD_LIBRARY_PATH=$inst_lib MIGRATOR_PLUGIN_PATH=$inst_plugins"
    # The program runs on the installed libmigrator, not the build tree's.
    checks=$((checks + 1))
    $app_env ldd "$APP_CHECK" 2>/dev/null |
        grep -q "libmigrator[^ ]* => $inst_lib/" ||
        fail "app-check does not load $inst_lib's libmigrator"
}

# app_check ARGS...: run it; $rc, $T/out and $T/err as run() sets them.
app_check() {
    printf '$ app-check %s\n' "$*"
    $app_env "$APP_CHECK" "$@" >"$T/out" 2>"$T/err"
    rc=$?
}
