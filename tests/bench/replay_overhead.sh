#!/bin/bash
# Replay benchmark: median overhead per replayed system call, and replay
# time against native for a syscall-heavy and a compute-heavy program.
#  1. hand-written recordings of tests/progs/rp_raw_loop (no eBPF needed);
#  2. real recordings made with `flightrec record` (root, eBPF), when this
#     build has it: dd copying 64-byte blocks, and a compute loop.
# Prints figures; asserts nothing.
set -u
BUILD=${BUILD:-build}
FLIGHTREC=${FLIGHTREC:-$BUILD/flightrec}
PROGS=${PROGS:-$BUILD/progs}
make -s "$BUILD/bench/bench_replay" "$PROGS/rp_raw_loop" >/dev/null || exit 1

"$BUILD/bench/bench_replay" "$PROGS" 200000 300000000 5 || exit 1

if [ "$(id -u)" != 0 ] || ! "$FLIGHTREC" record --help >/dev/null 2>&1; then
	echo "replay, real recordings: skipped (needs root and a build with 'flightrec record')"
	exit 0
fi
TMP=$(mktemp -d /tmp/frbench-replay.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

ms() { echo $(( $(date +%s%N) / 1000000 )); }
# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bench_real() {
	local name=$1; shift
	local i t0 nat rep bundle=$TMP/$name.frb
	"$FLIGHTREC" record -q -o "$bundle" -- "$@" > /dev/null 2>&1 < /dev/null || {
		echo "  $name: recording failed"; return; }
	calls=$("$FLIGHTREC" replay --json "$bundle" 2>/dev/null < /dev/null |
		python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["syscalls_recorded"] if r["completed"] else -1)')
	if [ "$calls" = -1 ]; then
		echo "  $name: the replay diverged, no figure"; return
	fi
	for i in 1 2 3 4 5; do
		t0=$(ms); "$@" > /dev/null 2>&1 < /dev/null; echo $(( $(ms) - t0 ))
	done | median > "$TMP/nat"
	for i in 1 2 3 4 5; do
		t0=$(ms); "$FLIGHTREC" replay "$bundle" > /dev/null 2>&1 < /dev/null; echo $(( $(ms) - t0 ))
	done | median > "$TMP/rep"
	nat=$(cat "$TMP/nat"); rep=$(cat "$TMP/rep")
	awk -v n="$nat" -v r="$rep" -v c="$calls" -v name="$name" 'BEGIN {
		printf "  %-28s native %7.0f ms  replay %7.0f ms  %6.1fx  (%d calls", name, n, r,
		       (n > 0 ? r / n : 0), c
		if (c >= 1000)
			printf ", %.2f us per call over native", (r - n) * 1000 / c
		printf ")\n" }'
}

echo "replay, real recordings (median of 5; replay includes loading the bundle):"
bench_real "dd 100000 x 64 B" dd if=/dev/zero of=/dev/null bs=64 count=100000
bench_real "rp_raw_loop compute" "$PROGS/rp_raw_loop" 300000000 compute
exit 0
