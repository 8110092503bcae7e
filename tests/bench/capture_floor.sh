#!/bin/bash
# The floor of syscall recording on this machine: the syscall storm of
# capture_storm.sh (tests/progs/cap_storm.c: write()s of 64 bytes to
# /dev/null), natively, under the eBPF programs of tests/bench/floor/ at
# each level (each adds one thing any recorder of every call with its
# payload must do), and under `flightrec record`, rounds interleaved, the
# median of each kept.  It shows how much of the capture benchmark's
# budget (2.0x native) the kernel's mechanisms take before a recorder does
# anything of its own:
#   level 0  programs on sys_enter/sys_exit that return at once
#   level 1  + per-task state and the clock read at entry and at exit
#   level 2  + one 40-byte record per call in a ring buffer
#   level 3  + the first 64 bytes of the buffer, read from user memory
# With 2 CPUs or more the program runs on CPU 0, the loader (or recorder)
# on CPU 1.  A run that lost records (the floor's loader counts them, and
# flightrec's manifest) stops the benchmark.  Timings are printed, never
# asserted.
#
# Environment: STORM_N (calls, default 1000000), STORM_RUNS (rounds,
# default 5), FLIGHTREC, PROGS, BUILD.
set -u
cd "$(dirname "$0")/../.." || exit 1
FLIGHTREC=$(realpath "${FLIGHTREC:-build/flightrec}")
PROGS=$(realpath "${PROGS:-build/progs}")
FLOOR=$(realpath "${BUILD:-build}")/bench/floor_load
N=${STORM_N:-1000000}
RUNS=${STORM_RUNS:-5}
TMP=$(mktemp -d /tmp/frbench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
storm=$PROGS/cap_storm
[ -x "$storm" ] || { echo "capture_floor: $storm missing (make)" >&2; exit 1; }
[ -x "$FLOOR" ] || { echo "capture_floor: skipped: $FLOOR not built (needs the eBPF toolchain; make bench)"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "capture_floor: skipped: needs root (eBPF)"; exit 0; }

PROG_CPU= TOOL_CPU=
if [ "$(nproc)" -ge 2 ]; then
	PROG_CPU="taskset -c 0" TOOL_CPU="taskset -c 1"
fi

# run LABEL CMD...: one run; its per-call ns appended to $TMP/LABEL
run() {
	local label=$1
	shift
	"$@" >"$TMP/out" 2>"$TMP/err" || { echo "capture_floor: $label failed: $(tail -1 "$TMP/err")" >&2; exit 1; }
	if grep -q ' [1-9][0-9]* lost' "$TMP/err"; then
		echo "capture_floor: $label lost records: $(grep lost "$TMP/err")" >&2
		exit 1
	fi
	awk -v n="$N" '$1 == "storm" {printf "%.1f\n", $4 / n}' "$TMP/out" >>"$TMP/$label"
}
median() { sort -n "$1" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "the floor of syscall recording: $N write()s of 64 bytes to /dev/null; $(nproc) CPUs, kernel $(uname -r); medians of $RUNS rounds"
labels=(native floor0 floor1 floor2 floor3 flightrec)
for i in $(seq "$RUNS"); do
	run native $PROG_CPU "$storm" "$N" 64
	for l in 0 1 2 3; do
		run floor$l $TOOL_CPU "$FLOOR" $l -- $PROG_CPU "$storm" "$N" 64
	done
	run flightrec $TOOL_CPU "$FLIGHTREC" record -q -o "$TMP/r.frb" -- $PROG_CPU "$storm" "$N" 64
	lost=$("$FLIGHTREC" inspect --json "$TMP/r.frb" | jq '.losses.ring_full')
	[ "$lost" = 0 ] || { echo "capture_floor: flightrec record lost $lost events" >&2; exit 1; }
	rm -f "$TMP/r.frb"
done
base=$(median "$TMP/native")
prev=$base
desc=("natively"
	"0: programs on sys_enter/sys_exit returning at once"
	"1: + per-task state, the clock at entry and exit"
	"2: + a 40-byte record per call in a ring buffer"
	"3: + 64 bytes of payload read from user memory"
	"flightrec record (everything, nothing lost)")
for k in "${!labels[@]}"; do
	m=$(median "$TMP/${labels[$k]}")
	awk -v d="${desc[$k]}" -v m="$m" -v b="$base" -v p="$prev" -v k="$k" 'BEGIN {
		if (k == 0) printf "  %-52s %7.1f ns/call\n", d, m
		else printf "  %-52s %7.1f ns/call  %5.2fx native  (%+6.1f ns)\n", d, m, m / b, m - p }'
	prev=$m
done
f3=$(median "$TMP/floor3")
f1=$(median "$TMP/floor1")
awk -v b="$base" -v f1="$f1" -v f3="$f3" 'BEGIN {
	printf "  the target (2.0x) allows %.1f ns per call above native; pairing the calls and timing them takes %.1f ns (%.0f%% of it), the least recorder of every call with its payload %.1f ns (%.2fx)\n",
		b, f1 - b, 100 * (f1 - b) / b, f3 - b, f3 / b }'
