#!/bin/bash
# Signals come from the recording: SIGALRM waking pause() in its handler,
# SIGCHLD from a child, EPIPE, and a crash by SIGSEGV with its exit status.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay_lib.inc"
need_bpf
need_ptrace

record "$TMP/sig.frb" "$PROGS/rp_signals"
expect_eq "$RECORDED_RC" 0 "rp_signals exit status"
expect_grep "^pause returned: alarms 1" "$TMP/sig.frb.out" "recorded SIGALRM"
replay "$TMP/sig.frb"
expect_identical "$TMP/sig.frb" "rp_signals"

record "$TMP/crash.frb" "$PROGS/rp_signals" crash
expect_eq "$RECORDED_RC" 139 "crash: recorded exit status (SIGSEGV)"
"$FLIGHTREC" replay --json "$TMP/crash.frb" > "$TMP/crash.json" 2> "$TMP/crash.err" < /dev/null
expect_eq "$?" 0 "crash: replay exit status"
expect_grep "^about to crash" "$TMP/crash.err" "crash: the program's output (on stderr with --json)"
python3 - "$TMP/crash.json" <<'PY' || fail "crash: JSON result"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["completed"] is True, r
assert r["recorded_exit"] == 139 and r["replayed_exit"] == 139, r
PY
exit 0
