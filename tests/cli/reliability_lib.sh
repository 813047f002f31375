# tests/cli/reliability_lib.sh: processes, deadlines and checks for the
# reliability tests. Source it after lib.sh.
#
#   run ARGS...              as lib.sh's, but bounded: killed after $TMO
#                            seconds (default 60), which gives exit 124
#   now_ms                   milliseconds since the epoch
#   poll SECONDS CMD...      run CMD every 0.1 s until it succeeds; 1 if it
#                            did not within SECONDS
#   bg NAME CMD...           start CMD in the background: stdout and stderr
#                            in $T/NAME.out and $T/NAME.err, its pid in
#                            $T/NAME.pid, its exit status in $T/NAME.rc
#                            once it has ended
#   bg_gated FIFO NAME CMD...  the same, but CMD starts only when the gate
#                            opens (gate_open): a start at the same instant
#   gate_open FIFO NAME...   wait until NAME... sit at the gate, then open
#                            and close FIFO's write end once: every one
#                            reads end-of-file at the same moment
#   bg_pid NAME              print the pid of NAME's command
#   bg_wait NAME SECONDS     wait (bounded) for NAME to end; sets $rc and
#                            copies its output to $T/out and $T/err; past
#                            the deadline NAME is killed and that fails
#   bg_cleanup               kill -9 whatever bg started and still runs
#   expect_no_err RE         the last run's stderr must not match RE
#   expect_eq WHAT GOT WANT  GOT must equal WANT
#   expect_true WHAT CMD...  CMD must succeed
#   begin_test ID TEXT / end_tests   a PASS or FAIL line per test

: "${TMO:=60}"
BG_NAMES=
TEST_ID=
TEST_FAILS=0
TEST_RESULTS=

run() {
    printf '$ migrator %s\n' "$*"
    timeout -k 5 "$TMO" "$MIGRATOR" "$@" >"$T/out" 2>"$T/err"
    rc=$?
}

now_ms() {
    echo $(($(date +%s%N) / 1000000))
}

poll() {
    poll_end=$(($(now_ms) + $1 * 1000))
    shift
    while :; do
        "$@" && return 0
        [ "$(now_ms)" -lt "$poll_end" ] || return 1
        sleep 0.1
    done
}

# The subshell waits for its command so that the exit status lands in a
# file: polling for that file is a wait with a deadline.
bg_start() {
    bg_gate=$1
    bg_name=$2
    shift 2
    rm -f "$T/$bg_name.pid" "$T/$bg_name.rc" "$T/$bg_name.ready"
    (
        if [ -n "$bg_gate" ]; then
            : >"$T/$bg_name.ready"
            read -r _ <"$bg_gate"
        fi
        "$@" >"$T/$bg_name.out" 2>"$T/$bg_name.err" &
        echo $! >"$T/$bg_name.pid"
        wait $!
        echo $? >"$T/$bg_name.rc"
    ) &
    echo $! >"$T/$bg_name.shell"
    BG_NAMES="$BG_NAMES $bg_name"
}

bg() {
    bg_start '' "$@"
    poll 10 test -s "$T/$1.pid" || fail "$1 did not start"
}

bg_gated() {
    bg_start "$@"
}

gate_open() {
    gate_fifo=$1
    shift
    for gate_name; do
        poll 10 test -f "$T/$gate_name.ready" ||
            fail "$gate_name never reached the gate"
    done
    # Between the ready file and the open of the FIFO there is a moment:
    # hold the write end open a little so that late readers join too.
    # Read-write: the open cannot block, whoever is (not yet) reading.
    sleep 0.2
    exec 9<>"$gate_fifo"
    sleep 0.3
    exec 9>&-
    for gate_name; do
        poll 10 test -s "$T/$gate_name.pid" || fail "$gate_name did not start"
    done
}

bg_pid() {
    cat "$T/$1.pid" 2>/dev/null
}

bg_wait() {
    if ! poll "$2" test -s "$T/$1.rc"; then
        fail "$1 still running after $2 s; killed"
        [ -s "$T/$1.pid" ] && kill -9 "$(bg_pid "$1")" 2>/dev/null
        poll 5 test -s "$T/$1.rc"
    fi
    rc=$(cat "$T/$1.rc" 2>/dev/null)
    rc=${rc:-255}
    cp "$T/$1.out" "$T/out" 2>/dev/null || : >"$T/out"
    cp "$T/$1.err" "$T/err" 2>/dev/null || : >"$T/err"
}

bg_cleanup() {
    for bg_name in $BG_NAMES; do
        [ -s "$T/$bg_name.rc" ] && continue
        [ -s "$T/$bg_name.pid" ] && kill -9 "$(bg_pid "$bg_name")" 2>/dev/null
        [ -s "$T/$bg_name.shell" ] &&
            kill -9 "$(cat "$T/$bg_name.shell")" 2>/dev/null
    done
    BG_NAMES=
}

expect_no_err() {
    checks=$((checks + 1))
    ! grep -Eq -- "$1" "$T/err" || fail "stderr matches /$1/"
}

expect_eq() {
    checks=$((checks + 1))
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

expect_true() {
    expect_true_what=$1
    shift
    checks=$((checks + 1))
    "$@" || fail "$expect_true_what"
}

end_test() {
    [ -n "$TEST_ID" ] || return 0
    if [ "$failures" -eq "$TEST_FAILS" ]; then
        TEST_RESULTS="$TEST_RESULTS
PASS: $TEST_ID"
    else
        TEST_RESULTS="$TEST_RESULTS
FAIL: $TEST_ID ($((failures - TEST_FAILS)) checks failed)"
    fi
    TEST_ID=
}

begin_test() {
    end_test
    TEST_ID="$1 $2"
    TEST_FAILS=$failures
    printf '\n=== %s %s\n' "$1" "$2"
}

end_tests() {
    end_test
    printf '%s\n\n' "$TEST_RESULTS"
}
