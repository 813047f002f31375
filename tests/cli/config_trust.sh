#!/bin/sh
# The config is trusted like a plugin (issue 16, item 4): it names the
# compiler, its flags and the plugin path, all code that runs as the
# user. A config that others may write, or that sits in a directory they
# may write (unless it is sticky, as /tmp is), or that another user (not
# root) owns, is refused with exit 6 before anything it names runs. The
# owner cases make a throwaway user when run as root, and are skipped
# (loudly) otherwise.
umask 022
. "$top_srcdir/tests/cli/lib.sh"
unset MIGRATOR_CC MIGRATOR_CFLAGS MIGRATOR_C_CACHE_DIR DATABASE_URL

# A C script, and a config whose c_compiler leaves $T/RAN before
# compiling: whether the config's compiler ran is whether $T/RAN exists.
new_project "c_compiler = $T/cc-mark"
cat >"$T/cc-mark" <<EOF
#!/bin/sh
: >"$T/RAN"
exec cc "\$@"
EOF
chmod 755 "$T/cc-mark"
cat >"$V/0001_a1.c" <<'EOF'
/* a1
 * Revision ID: a1
 */
#include <migrator/script.h>
int mgr_script_upgrade(struct mgr_script *s) { (void)s; return 0; }
int mgr_script_downgrade(struct mgr_script *s) { (void)s; return 0; }
EOF

# refused WHAT: the last run refused the config, and ran nothing it names.
refused() {
    expect_rc 6
    checks=$((checks + 1))
    [ ! -e "$T/RAN" ] || fail "$1: the config's c_compiler ran"
    rm -f "$T/RAN"
}

printf '# a config others may write\n'
chmod g+w "$INI"
run -c "$INI" upgrade head --sql
refused "group-writable config"
expect_err "refusing to read '$INI': it is writable by group or others"
chmod g-w,o+w "$INI"
run -c "$INI" upgrade head --sql
refused "world-writable config"
chmod o-w "$INI"

printf '# its directory, or one above, that others may write\n'
chmod g+w "$T/p"
run -c "$INI" upgrade head --sql
refused "group-writable directory"
expect_err "refusing to read '$INI': directory '$T/p' is writable by group or others \(and not sticky\)"
chmod g-w "$T/p"
chmod o+w "$T"
run -c "$INI" upgrade head --sql
refused "world-writable directory above"
expect_err "refusing to read '$INI': directory '$T' is writable by group or others \(and not sticky\)"
# Sticky, as /tmp is: nobody else may rename or remove the file there.
chmod +t "$T"
run -c "$INI" upgrade head --sql
expect_rc 0
chmod -t,o-w "$T"
rm -f "$T/RAN"
# The relative name of a config in the working directory.
chmod g+w "$T/p"
(cd "$T/p" && "$MIGRATOR" upgrade head --sql) >"$T/out" 2>"$T/err"
rc=$?
refused "relative name"
expect_err "refusing to read 'migrator.ini': directory '$T/p' is writable by group or others"
chmod g-w "$T/p"

printf '# a link to a config in a directory others may write\n'
mkdir -p "$T/open"
cp -p "$INI" "$T/open/migrator.ini"
sed -i "s|%(here)s|$T/p|g" "$T/open/migrator.ini"
chmod o+w "$T/open"
ln -s "$T/open/migrator.ini" "$T/p/link.ini"
run -c "$T/p/link.ini" upgrade head --sql
refused "link into a writable directory"
expect_err "refusing to read '$T/p/link.ini': directory '$T/open' is writable by group or others"
chmod o-w "$T/open"
run -c "$T/p/link.ini" upgrade head --sql
expect_rc 0
rm -f "$T/RAN"

# A config directly in /tmp (sticky, root's) is read.
tmpini=$(mktemp /tmp/mgr-config-trust.XXXXXX)
sed "s|%(here)s|$T/p|g" "$INI" >"$tmpini"
run -c "$tmpini" heads
expect_rc 0
rm -f "$tmpini"

other_user mgrct "the cases with another user"

printf '# a config, or its directory, owned by another user\n'
chown "$user" "$INI"
run -c "$INI" upgrade head --sql
refused "another user's config"
expect_err "refusing to read '$INI': it is owned by uid $uid, not root or you"
chown root "$INI"
chown "$user" "$T/p"
run -c "$INI" upgrade head --sql
refused "another user's directory"
expect_err "refusing to read '$INI': directory '$T/p' is owned by uid $uid, not root or you"
chown root "$T/p"
rm -rf "$V/.migrator-cache"
run -c "$INI" upgrade head --sql
expect_rc 0
checks=$((checks + 1))
[ -e "$T/RAN" ] || fail "the config's c_compiler did not run once trusted"

userdel "$user"
trap - EXIT
finish
