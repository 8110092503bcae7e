#!/bin/bash
# Replay serves time and randomness from the recording: date, the clocks
# read through the vDSO, and python's time.time(), random and os.urandom.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay_lib.inc"
need_bpf
need_ptrace
need_cmd date

record "$TMP/date.frb" date +%s.%N
sleep 1.1
replay "$TMP/date.frb"
expect_identical "$TMP/date.frb" "date"
now=$(date +%s.%N)
[ "$(cat "$TMP/date.frb.rep")" != "$now" ] || fail "date: the replay printed the current time"

# clock_gettime, gettimeofday and time through libc, i.e. the vDSO
record "$TMP/clock.frb" "$PROGS/rp_clock" 5
sleep 0.5
replay "$TMP/clock.frb"
expect_identical "$TMP/clock.frb" "rp_clock (vDSO clocks)"
expect_eq "$(wc -l < "$TMP/clock.frb.rep")" 5 "rp_clock: lines"

if command -v python3 >/dev/null 2>&1; then
	record "$TMP/py.frb" python3 -c \
		'import time, random, os; print(time.time()); print(random.random()); print(os.urandom(16).hex())'
	expect_eq "$RECORDED_RC" 0 "python3 exit status"
	replay "$TMP/py.frb"
	expect_identical "$TMP/py.frb" "python3 time/random/urandom"
	replay "$TMP/py.frb"
	expect_identical "$TMP/py.frb" "python3, a second replay"
else
	echo "note: python3 not installed, its case skipped" >&2
fi
exit 0
