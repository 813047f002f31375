dnl MGR_PLUGIN(name, default, help)
dnl
dnl Declares the plugin "name" (kind_name, e.g. dialect_sqlite):
dnl --enable-<name>/--disable-<name>, the shell variable enable_<name>
dnl ("yes", "no" or "no (reason)"), and AM_CONDITIONAL BUILD_PLUGIN_<NAME>.
dnl "default" is the value used when neither option is given; it may be
dnl a shell variable holding "yes" or "no (reason)" from a dependency probe.
dnl A plugin the user enabled explicitly whose dependency is missing makes
dnl configure fail.
AC_DEFUN([MGR_PLUGIN], [
    m4_pushdef([MGR_NAME], m4_translit([$1], [-], [_]))
    m4_pushdef([MGR_UPPER], m4_toupper(m4_translit([$1], [-], [_])))
    AC_ARG_ENABLE([$1], AS_HELP_STRING([--enable-$1], [$3]),
        [mgr_explicit_[]MGR_NAME=$enableval],
        [mgr_explicit_[]MGR_NAME=])
    mgr_default="$2"
    case "x$mgr_explicit_[]MGR_NAME" in
    xno)
        enable_[]MGR_NAME="no (disabled on command line)" ;;
    xyes)
        if test "x$mgr_default" = xyes; then
            enable_[]MGR_NAME=yes
        else
            AC_MSG_ERROR([plugin $1 was requested but cannot be built: $mgr_default])
        fi ;;
    *)
        if test "x$enable_all_plugins" = xyes && test "x$mgr_default" != xyes; then
            AC_MSG_ERROR([--enable-all-plugins: plugin $1 cannot be built: $mgr_default])
        fi
        enable_[]MGR_NAME="$mgr_default" ;;
    esac
    AM_CONDITIONAL([BUILD_PLUGIN_]MGR_UPPER, [test "x$enable_[]MGR_NAME" = xyes])
    mgr_plugin_summary="$mgr_plugin_summary
    m4_format([%-22s], [$1]) : $enable_[]MGR_NAME"
    m4_popdef([MGR_UPPER])
    m4_popdef([MGR_NAME])
])
