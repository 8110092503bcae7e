#!/bin/bash
# A multi-threaded program (threads, a mutex, condition variables, heap
# arenas per thread) replays identically, every time.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay_lib.inc"
need_bpf
need_ptrace

record "$TMP/thr.frb" "$PROGS/rp_threads" 4 10
expect_eq "$RECORDED_RC" 0 "rp_threads exit status"
expect_eq "$(wc -l < "$TMP/thr.frb.out")" 41 "rp_threads: lines recorded"
for i in 1 2 3; do
	replay "$TMP/thr.frb"
	expect_identical "$TMP/thr.frb" "rp_threads, replay $i"
done
"$FLIGHTREC" replay --json "$TMP/thr.frb" > "$TMP/thr.json" 2> /dev/null < /dev/null
expect_eq "$?" 0 "rp_threads --json exit status"
python3 - "$TMP/thr.json" <<'PY' || fail "rp_threads: JSON result"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["completed"] is True, r
assert r["divergences"] == 0, r
assert r["threads"] == 5, r["threads"]
assert r["recorded_exit"] == 0 and r["replayed_exit"] == 0, r
assert r["syscalls_replayed"] == r["syscalls_recorded"] > 0, r
assert r["unordered_calls"] > 0, r  # the futexes ran for real
PY
exit 0
