#!/bin/bash
# Process trees: a shell pipeline replays whole, and one process of it
# replays alone with --pid.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay_lib.inc"
need_bpf
need_ptrace
need_cmd sh tr sed python3

record "$TMP/sh.frb" sh -c 'echo hello world | tr a-z A-Z; echo second | sed s/^/line:/'
expect_eq "$RECORDED_RC" 0 "sh exit status"
replay "$TMP/sh.frb"
expect_identical "$TMP/sh.frb" "a shell pipeline"
expect_eq "$(head -1 "$TMP/sh.frb.rep")" "HELLO WORLD" "pipeline output"

pid=$("$FLIGHTREC" events --json --type exec "$TMP/sh.frb" | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    if e["filename"].endswith("/tr"):
        print(e["pid"])
        break')
[ -n "$pid" ] || fail "no exec of tr in the recording"
replay "$TMP/sh.frb" --pid "$pid"
expect_eq "$REPLAY_RC" 0 "--pid $pid (tr): exit status"
expect_eq "$(cat "$TMP/sh.frb.rep")" "HELLO WORLD" "--pid: tr's own output"

# python's subprocess (vfork and pipes)
record "$TMP/sub.frb" python3 -c \
	'import subprocess; print(subprocess.run(["echo", "from a child"], capture_output=True).stdout)'
replay "$TMP/sub.frb"
expect_identical "$TMP/sub.frb" "python3 subprocess"
exit 0
