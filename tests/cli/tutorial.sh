#!/bin/sh
# doc/tutorial.md, run as written: every fenced block marked
# "```sh tutorial" runs in order (sh -e) in one scratch directory and must
# exit 0, or N when marked "exit=N". migrator is the build tree's; the
# start-up check builds against a `make install DESTDIR=...` of it through
# pkg-config, as the tutorial says. So the tutorial never goes stale.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/app_check_lib.sh"
: "${SQLITE3:=sqlite3}"
command -v "$SQLITE3" >/dev/null 2>&1 || {
    printf 'SKIP: %s is not installed\n' "$SQLITE3"
    exit 77
}
TUTORIAL=$top_srcdir/doc/tutorial.md
unset DATABASE_URL MIGRATOR_CONFIG MIGRATOR_PLUGIN_PATH
install_app_check

# The commands the tutorial names, as a reader's PATH has them.
mkdir -p "$T/bin" "$T/blocks" "$T/work"
cat >"$T/bin/migrator" <<EOF
#!/bin/sh
exec "$MIGRATOR" "\$@"
EOF
cat >"$T/bin/pkg-config" <<EOF
#!/bin/sh
exec $pkg "\$@"
EOF
cat >"$T/bin/sqlite3" <<EOF
#!/bin/sh
exec "$(command -v "$SQLITE3")" "\$@"
EOF
chmod +x "$T/bin/migrator" "$T/bin/pkg-config" "$T/bin/sqlite3"
# The reader's cc; in a sanitizer build, with the flags its library needs
# (install_app_check set SANITIZE).
if [ -n "${SANITIZE:-}" ]; then
    printf '#!/bin/sh\nexec %s %s "$@"\n' "${cc:-cc}" "$SANITIZE" >"$T/bin/cc"
    chmod +x "$T/bin/cc"
fi

# The blocks, one file each (NN.sh), and NN.rc with the exit expected.
awk -v dir="$T/blocks" '
    /^```sh tutorial/ {
        n++; f = sprintf("%s/%02d.sh", dir, n); inblock = 1
        rc = 0
        if (match($0, /exit=[0-9]+/)) rc = substr($0, RSTART + 5, RLENGTH - 5)
        print rc > sprintf("%s/%02d.rc", dir, n)
        next
    }
    inblock && /^```/ { inblock = 0; close(f); next }
    inblock { print > f }
' "$TUTORIAL"
nblocks=$(ls "$T/blocks"/*.sh 2>/dev/null | wc -l)
checks=$((checks + 1))
[ "$nblocks" -ge 20 ] || fail "only $nblocks tested blocks in $TUTORIAL"
# Every shell block is tested, but the one that sets MIGRATOR_SRC (which
# this test sets itself).
checks=$((checks + 1))
untested=$(grep -c '^```sh$' "$TUTORIAL")
[ "$untested" -eq 1 ] || fail "$untested shell blocks of the tutorial are not tested"

MIGRATOR_SRC=$top_srcdir
PATH=$T/bin:$PATH
export MIGRATOR_SRC PATH LD_LIBRARY_PATH MIGRATOR_C_CACHE_DIR
LD_LIBRARY_PATH=$inst_lib
MIGRATOR_PLUGIN_PATH=$inst_plugins
export MIGRATOR_PLUGIN_PATH
for block in "$T/blocks"/*.sh; do
    want=$(cat "${block%.sh}.rc")
    printf '$ block %s (expect exit %s):\n' "$(basename "$block" .sh)" "$want"
    sed 's/^/    /' "$block"
    (cd "$T/work" && sh -e "$block") >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc "$want"
    [ "$rc" -eq "$want" ] || break
done

# Where the tutorial leaves things.
cd "$T/work" || exit 1
run current
expect_rc 0
expect_out_eq '0d1e2f3a4b5c (head)'
run --url "sqlite:///$T/work/legacy.db" current
expect_rc 0
expect_out_eq 'c4d6e8f0a1b3 (mergepoint)'
checks=$((checks + 1))
grep -q 'CREATE TABLE maintenance_requests' release.sql ||
    fail "the offline SQL lacks the maintenance branch"
finish
