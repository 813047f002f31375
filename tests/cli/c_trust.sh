#!/bin/sh
# What a C revision script may run (issue 16, items 1-3): a module in the
# build cache is used only if migrator built it from the text it read,
# online and offline (--sql); a script, a directory above it or a cache
# that someone else may write is refused (exit 6) before anything is
# compiled; and the text compiled is the text read, even when the file
# changes while the compiler runs. The cases that need a second user make
# one when run as root, and are skipped (loudly) otherwise.
umask 022
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
unset MIGRATOR_CC MIGRATOR_CFLAGS MIGRATOR_C_CACHE_DIR DATABASE_URL

# c_script FILE ID TABLE: a script whose upgrade creates TABLE.
c_script() {
    cat >"$V/$1" <<EOF
/* revision $2
 *
 * Revision ID: $2
 * Revises:
 */
#include <migrator/script.h>
int mgr_script_upgrade(struct mgr_script *s)
{
    return mgr_script_exec(s, "CREATE TABLE $3 (x integer)");
}
int mgr_script_downgrade(struct mgr_script *s)
{
    return mgr_script_exec(s, "DROP TABLE $3");
}
EOF
}

# An attacker's module: its constructor leaves $T/PWNED, its upgrade
# drops a table.
cat >"$T/evil.c" <<EOF
#include <stdio.h>
#include <migrator/script.h>
__attribute__((constructor)) static void mark(void)
{
    FILE *f = fopen("$T/PWNED", "w");
    if (f)
        fclose(f);
}
int mgr_script_upgrade(struct mgr_script *s)
{
    return mgr_script_exec(s, "DROP TABLE precious");
}
int mgr_script_downgrade(struct mgr_script *s) { (void)s; return 0; }
EOF
cc -shared -fPIC -I"$top_srcdir/include" -I"$top_builddir/include" \
    -o "$T/evil.so" "$T/evil.c" || { fail "cannot build evil.so"; finish; exit 1; }

# A compiler that counts its runs.
cat >"$T/cc-log" <<EOF
#!/bin/sh
echo run >>"$T/cc.log"
exec cc "\$@"
EOF
chmod 755 "$T/cc-log"
compiles() { cat "$T/cc.log" 2>/dev/null | wc -l; }
not_pwned() {
    checks=$((checks + 1))
    [ ! -e "$T/PWNED" ] || fail "$1: the committed module was loaded"
    rm -f "$T/PWNED"
}

# ---- 1. a committed module is not used ----------------------------------

new_project
C="$V/.migrator-cache"
c_script 0001_a1.c a1 harmless
"$SQLITE3" "$T/p/test.db" "CREATE TABLE precious (x integer)"
run -c "$INI" upgrade head --sql
expect_rc 0
module=$(ls "$C" | grep '\.so$')
expect_eq "one module" "$(printf '%s\n' "$module" | wc -l)" 1
# The manifest: the user's, 0600, in a 0700 cache.
expect_eq "manifest mode" "$(stat -c %a "$C/manifest")" 600
expect_eq "cache mode" "$(stat -c %a "$C")" 700
manifest_line=$(grep -v '^#' "$C/manifest")

# commit_cache MANIFEST [MODE]: the cache as a clone of a repository
# would hold it: the attacker's module under the name migrator gives the
# script's, and a manifest: none, the real one's line (copied), or that
# line with the attacker's module's hash and size (forged).
commit_cache() {
    rm -rf "$C"
    mkdir "$C"
    cp "$T/evil.so" "$C/$module"
    case $1 in
    none) ;;
    copied) printf '%s\n' "$manifest_line" >"$C/manifest" ;;
    forged)
        sum=$(sha256sum "$T/evil.so" | cut -d' ' -f1)
        size=$(stat -c %s "$T/evil.so")
        printf '%s\n' "$manifest_line" |
            awk -v s="$sum" -v z="$size" '{ $2 = s; $5 = z; print }' >"$C/manifest"
        ;;
    esac
    if [ -e "$C/manifest" ]; then chmod "${2:-600}" "$C/manifest"; fi
}

for how in none copied forged forged:644; do
    commit_cache "${how%%:*}" "$(echo "$how" | sed -n 's/.*://p')"
    printf '# committed module, manifest: %s\n' "$how"
    run -c "$INI" upgrade head --sql
    expect_rc 0
    expect_out 'CREATE TABLE harmless \(x integer\);'
    expect_no_out 'precious'
    not_pwned "--sql, manifest $how"
    checks=$((checks + 1))
    ! cmp -s "$T/evil.so" "$C/$module" || fail "the committed module is still there"
done
# A manifest others may read is not migrator's: said, and rebuilt.
expect_err "ignoring the build cache manifest '$C/manifest': its mode is 0644, not 0600"

# Online too: the committed module is built over, the database keeps its
# table.
commit_cache forged
run -c "$INI" upgrade head
expect_rc 0
not_pwned "online"
expect_eq "tables after upgrade" \
    "$("$SQLITE3" "$T/p/test.db" "SELECT name FROM sqlite_master WHERE name IN ('harmless', 'precious') ORDER BY name" | tr '\n' ' ')" \
    "harmless precious "

# A module written over after migrator built it is built again.
run -c "$INI" -x c_compiler="$T/cc-log" upgrade a1 --sql
expect_rc 0
expect_eq "compiles for a new compiler" "$(compiles)" 1
run -c "$INI" -x c_compiler="$T/cc-log" upgrade a1 --sql
expect_eq "compiles when nothing changed" "$(compiles)" 1
module=$(ls -t "$C" | grep '\.so$' | head -n 1)
cat "$T/evil.so" >"$C/$module"
run -c "$INI" -x c_compiler="$T/cc-log" upgrade a1 --sql
expect_rc 0
expect_no_out 'precious'
not_pwned "module written over"
expect_eq "compiles after the module was written over" "$(compiles)" 2
expect_eq "private copies left in the cache" \
    "$(ls -A "$C" | grep -v -e '\.so$' -e '^manifest$')" ""

# ---- 2. trust: the script, its directories and the cache ---------------

printf '# a script others may write\n'
new_project
C="$V/.migrator-cache"
c_script 0001_a1.c a1 harmless
rm -f "$T/cc.log"
chmod g+w "$V/0001_a1.c"
run -c "$INI" -x c_compiler="$T/cc-log" upgrade head --sql
expect_rc 6
expect_err "refusing to load '$V/0001_a1\.c': file is writable by group or others"
expect_eq "compiles of a refused script" "$(compiles)" 0
chmod g-w "$V/0001_a1.c"
# A directory above the script's (the config elsewhere: its own
# directory is held to the config's rules).
mkdir -p "$T/cfg"
sed "s|%(here)s|$T/p|g" "$INI" >"$T/cfg/migrator.ini"
chmod 600 "$T/cfg/migrator.ini"
chmod o+w "$T/p"
run -c "$T/cfg/migrator.ini" -x c_compiler="$T/cc-log" upgrade head --sql
expect_rc 6
expect_err "refusing to load '$V/0001_a1\.c': directory '$T/p' is writable by group or others"
expect_eq "compiles under a writable directory" "$(compiles)" 0
chmod o-w "$T/p"

printf '# a cache others may write\n'
mkdir -m 700 "$C" && chmod g+w "$C"
run -c "$INI" -x c_compiler="$T/cc-log" upgrade head --sql
expect_rc 6
expect_err "refusing to use the build cache '$C': it is writable by group or others"
expect_eq "compiles with a writable cache" "$(compiles)" 0
rm -rf "$C"
mkdir -p "$T/shared/cache" && chmod o+w "$T/shared"
run -c "$INI" -x c_compiler="$T/cc-log" -x c_cache_dir="$T/shared/cache" upgrade head --sql
expect_rc 6
expect_err "refusing to load '$T/shared/cache/manifest': directory '$T/shared' is writable by group or others"
expect_eq "compiles under a writable cache directory" "$(compiles)" 0
chmod o-w "$T/shared"
run -c "$INI" -x c_compiler="$T/cc-log" -x c_cache_dir="$T/shared/cache" upgrade head --sql
expect_rc 0
expect_eq "compiles in a trusted cache" "$(compiles)" 1

# ---- 3. the text compiled is the text read ------------------------------

printf '# a script rewritten while the compiler runs\n'
new_project
C="$V/.migrator-cache"
c_script 0001_a1.c a1 harmless
rm -f "$T/cc.log" "$T/swapped"
cat >"$T/cc-swap" <<EOF
#!/bin/sh
if [ ! -e "$T/swapped" ]; then
    : >"$T/swapped"
    sed -i 's/harmless/swapped/' "$V/0001_a1.c"
fi
echo run >>"$T/cc.log"
exec cc "\$@"
EOF
chmod 755 "$T/cc-swap"
run -c "$INI" -x c_compiler="$T/cc-swap" upgrade head --sql
expect_rc 0
expect_out 'CREATE TABLE harmless \(x integer\);'
expect_no_out 'swapped'
checks=$((checks + 1))
grep -q swapped "$V/0001_a1.c" || fail "the compiler wrapper did not rewrite the script"
# Back to the first text: its module is there and holds its code.
sed -i 's/swapped/harmless/' "$V/0001_a1.c"
run -c "$INI" -x c_compiler="$T/cc-swap" upgrade head --sql
expect_rc 0
expect_out 'CREATE TABLE harmless \(x integer\);'
expect_eq "compiles for the first text again" "$(compiles)" 1
# The new text is read, and built, by the next run.
sed -i 's/harmless/swapped/' "$V/0001_a1.c"
run -c "$INI" -x c_compiler="$T/cc-swap" upgrade head --sql
expect_rc 0
expect_out 'CREATE TABLE swapped \(x integer\);'
expect_eq "compiles after the rewrite" "$(compiles)" 2
# Online: what runs is what migrator_log records the checksum of.
run -c "$INI" -x c_compiler="$T/cc-swap" upgrade head
expect_rc 0
expect_eq "compiles in all" "$(compiles)" 2
run -c "$INI" verify
expect_rc 0

# ---- two users -----------------------------------------------------------

other_user mgrc "the cases with another user"

printf '# a script, a directory above it, or the cache owned by another user\n'
new_project
C="$V/.migrator-cache"
c_script 0001_a1.c a1 harmless
rm -f "$T/cc.log"
chown "$user" "$V/0001_a1.c"
run -c "$INI" -x c_compiler="$T/cc-log" upgrade head --sql
expect_rc 6
expect_err "refusing to load '$V/0001_a1\.c': file is owned by uid $uid, not root or you"
chown root "$V/0001_a1.c"
chown "$user" "$V"
run -c "$INI" -x c_compiler="$T/cc-log" upgrade head --sql
expect_rc 6
expect_err "refusing to load '$V/0001_a1\.c': directory '$V' is owned by uid $uid, not root or you"
chown root "$V"
mkdir -m 700 "$C" && chown "$user" "$C"
run -c "$INI" -x c_compiler="$T/cc-log" upgrade head --sql
expect_rc 6
expect_err "refusing to use the build cache '$C': it is owned by uid $uid, not you"
expect_eq "compiles for another user's files" "$(compiles)" 0
rm -rf "$C"

# Another user's module and manifest in a cache of ours (left from when
# it was theirs): not used, built again.
run -c "$INI" upgrade head --sql
expect_rc 0
module=$(ls "$C" | grep '\.so$')
cp "$T/evil.so" "$C/$module"
chown "$user" "$C/$module" "$C/manifest"
run -c "$INI" upgrade head --sql
expect_rc 0
expect_err "ignoring the build cache manifest '$C/manifest': it is owned by uid $uid, not you"
not_pwned "another user's module"
expect_eq "owner of the module after the run" "$(stat -c %u "$C/$module")" 0

userdel "$user"
trap - EXIT
finish
