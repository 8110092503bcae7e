#!/bin/bash
# Process trees: a shell pipeline replays whole, and one process of it
# replays alone with --pid; a program whose forks are cut short by its
# children's SIGCHLD in the replay (the tracee gets SIGCHLD queued, the
# kernel makes the fork again) replays identical.
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

# 300 forks whose children exit at once: in the replay several of the
# forks are cut by a SIGCHLD (ERESTARTNOINTR) and made again (-v says so)
record "$TMP/fk.frb" "$PROGS/rp_forks" 300
expect_eq "$RECORDED_RC" 0 "rp_forks exit status"
for round in 1 2 3; do
	replay "$TMP/fk.frb" -v
	expect_identical "$TMP/fk.frb" "forks cut by SIGCHLD (round $round)"
	grep -q 'cut by a signal, made again' "$TMP/fk.frb.err" && restarted=1
done
[ -n "${restarted:-}" ] || echo "note: no fork was cut by a signal in 3 replays (the race did not happen)" >&2

# python's subprocess (vfork and pipes)
record "$TMP/sub.frb" python3 -c \
	'import subprocess; print(subprocess.run(["echo", "from a child"], capture_output=True).stdout)'
replay "$TMP/sub.frb"
expect_identical "$TMP/sub.frb" "python3 subprocess"
exit 0
