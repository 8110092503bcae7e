#!/bin/bash
# The capture benchmark: a syscall storm (tests/progs/cap_storm.c: N
# write()s of 64 bytes to /dev/null, default N = 1000000), natively and
# under `flightrec record`, `strace -f -o /dev/null`, `perf trace -o
# /dev/null` and bpftrace printing each buffer, side by side in one run.
#
# Per-call times come from the program's own timing of its loop (tool
# start-up excluded); the slowdown is against the native run of this same
# run.  strace and perf trace are measured on N/10 calls (they are 100x and
# more slower; the per-call figure is what is compared).  Events lost:
# flightrec from its manifest (ring_full), bpftrace from the buffers it
# printed, strace never loses, perf trace from the LOST lines it reports.
# Also: the recorder's CPU per million events (its drain thread) and the
# bundle's bytes per event.  Timings are printed, never asserted.
#
# Environment: STORM_N (calls), STORM_RUNS (native and flightrec runs, the
# median is kept; default 3), FLIGHTREC, PROGS.
set -u
cd "$(dirname "$0")/../.." || exit 1
FLIGHTREC=$(realpath "${FLIGHTREC:-build/flightrec}")
PROGS=$(realpath "${PROGS:-build/progs}")
N=${STORM_N:-1000000}
RUNS=${STORM_RUNS:-3}
SMALL=$((N / 10))
TMP=$(mktemp -d /tmp/frbench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
storm=$PROGS/cap_storm
[ -x "$storm" ] || { echo "capture_storm: $storm missing (make)" >&2; exit 1; }
if [ "$(id -u)" != 0 ]; then
	echo "capture_storm: needs root (eBPF, strace of children, perf trace): skipped"
	exit 0
fi

# loop time in ns from cap_storm's output line "storm N SIZE NS CPU_NS"
loop_ns() { awk '$1 == "storm" {print $4}' "$1"; }
cpu_ns() { awk '$1 == "storm" {print $5}' "$1"; }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
per_call() { awk -v ns="$1" -v n="$2" 'BEGIN {printf "%.1f", ns / n}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }

echo "syscall storm: write() of 64 bytes to /dev/null; $(nproc) CPUs, kernel $(uname -r)"

# native
for i in $(seq "$RUNS"); do
	"$storm" "$N" 64 >"$TMP/native.$i" || exit 1
	echo "$(loop_ns "$TMP/native.$i") $(cpu_ns "$TMP/native.$i")"
done | sort -n >"$TMP/natives"
native=$(per_call "$(awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}' "$TMP/natives")" "$N")
native_cpu=$(per_call "$(awk '{print $2}' "$TMP/natives" | median)" "$N")

# flightrec record (median run; its manifest for losses, CPU, size)
for i in $(seq "$RUNS"); do
	"$FLIGHTREC" record -q -o "$TMP/rec.$i.frb" -- "$storm" "$N" 64 >"$TMP/rec.$i" ||
		{ echo "capture_storm: flightrec record failed" >&2; exit 1; }
	echo "$(loop_ns "$TMP/rec.$i") $i $(cpu_ns "$TMP/rec.$i")"
done | sort -n >"$TMP/recs"
mid=$(awk '{a[NR] = $2} END {print a[int((NR + 1) / 2)]}' "$TMP/recs")
rec_ns=$(awk -v i="$mid" '$2 == i {print $1}' "$TMP/recs")
rec_cpu=$(awk -v i="$mid" '$2 == i {print $3}' "$TMP/recs")
"$FLIGHTREC" inspect --json "$TMP/rec.$mid.frb" >"$TMP/insp.json" || exit 1
rec_lost=$(jq '.losses.ring_full' "$TMP/insp.json")
events=$(jq '.events.total' "$TMP/insp.json")
writes=$("$FLIGHTREC" events --type syscall --json "$TMP/rec.$mid.frb" |
	jq -c 'select(.name == "write" and .args[0] == 3 and (.payloads | any(.kind == "in" and .len == 64)))' | wc -l)
drain=$(jq '.capture.agent.drain_cpu_ns' "$TMP/insp.json")
size=$(stat -c %s "$TMP/rec.$mid.frb")

# strace
strace -f -o /dev/null "$storm" "$SMALL" 64 >"$TMP/strace" 2>/dev/null
strace_ns=$(loop_ns "$TMP/strace")

# perf trace
perf trace -o "$TMP/perf.out" "$storm" "$SMALL" 64 >"$TMP/perf" 2>"$TMP/perf.err"
perf_ns=$(loop_ns "$TMP/perf")
perf_lost=$(grep -ho 'LOST [0-9]* events' "$TMP/perf.out" "$TMP/perf.err" 2>/dev/null | awk '{s += $2} END {print s + 0}')

# bpftrace printing every buffer
bpftrace -e 'tracepoint:syscalls:sys_enter_write /pid == cpid/ { printf("%d %r\n", args->fd, buf(args->buf, args->count)); }' \
	-c "$storm $N 64" >"$TMP/bt.out" 2>"$TMP/bt.err"
bt_ns=$(awk '$2 == "storm" {print $5}' "$TMP/bt.out")
[ -n "$bt_ns" ] || bt_ns=$(grep -h '^storm ' "$TMP/bt.out" | awk '{print $4}')
bt_printed=$(grep -c '^3 ' "$TMP/bt.out")
bt_lost=$((N - bt_printed))

printf '%-30s %9s %11s %9s  %s\n' tool calls ns/call slowdown "events lost"
printf '%-30s %9s %11s %9s  %s\n' native "$N" "$native" 1.00x -
r=$(per_call "$rec_ns" "$N")
printf '%-30s %9s %11s %9s  %s\n' "flightrec record" "$N" "$r" "$(ratio "$r" "$native")" \
	"$rec_lost (writes recorded with payload: $writes of $N)"
if [ -n "$strace_ns" ]; then
	r=$(per_call "$strace_ns" "$SMALL")
	printf '%-30s %9s %11s %9s  %s\n' "strace -f -o /dev/null" "$SMALL" "$r" "$(ratio "$r" "$native")" 0
else
	echo "strace: did not run"
fi
if [ -n "$perf_ns" ]; then
	r=$(per_call "$perf_ns" "$SMALL")
	printf '%-30s %9s %11s %9s  %s\n' "perf trace -o" "$SMALL" "$r" "$(ratio "$r" "$native")" "$perf_lost"
else
	echo "perf trace: did not run ($(head -1 "$TMP/perf.err"))"
fi
if [ -n "$bt_ns" ]; then
	r=$(per_call "$bt_ns" "$N")
	printf '%-30s %9s %11s %9s  %s\n' "bpftrace printf buf" "$N" "$r" "$(ratio "$r" "$native")" \
		"$bt_lost (printed $bt_printed of $N)"
else
	echo "bpftrace: did not run ($(head -1 "$TMP/bt.err"))"
fi
awk -v nc="$native_cpu" -v rc="$(per_call "$rec_cpu" "$N")" 'BEGIN {
	printf "CPU time of the storm itself per call (not counting waits for a CPU): native %.1f ns, under flightrec record %.1f ns (%.2fx)\n", nc, rc, rc / nc }'
awk -v d="$drain" -v e="$events" -v s="$size" 'BEGIN {
	printf "flightrec agent: %.0f ms of CPU per million events (%d events); bundle: %.1f bytes per event (%.1f MiB)\n",
		d / 1e6 / (e / 1e6), e, s / e, s / 1048576 }'
