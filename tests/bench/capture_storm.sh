#!/bin/bash
# The capture benchmark: a syscall storm (tests/progs/cap_storm.c: N
# write()s of 64 bytes to /dev/null, default N = 1000000), natively and
# under `flightrec record`, `strace -f -o /dev/null`, `perf trace -o
# /dev/null` and bpftrace printing each buffer, side by side in one run.
#
# Per-call times come from the program's own timing of its loop (tool
# start-up excluded); the slowdown is against the native run of this same
# run.  Two figures per flightrec run: the elapsed time of the loop, and the
# CPU time the program itself used in it (which does not count waiting for a
# CPU the recorder or anything else was using).  flightrec is measured in two
# setups, rounds interleaved with the native runs: as the user starts it
# (the scheduler places the program and the recorder), and, with 2 CPUs or
# more, the program pinned to CPU 0 and the recorder to CPU 1 (native pinned
# the same way), which shows the cost the program pays in its own CPU with
# no competition for it.  The median run of each is kept.
#
# strace and perf trace are measured on N/10 calls (they are 100x and more
# slower; the per-call figure is what is compared).  Events lost: flightrec
# from its manifest (ring_full), bpftrace from the buffers it printed,
# strace never loses, perf trace from the LOST lines it reports.  Also: the
# recorder's CPU per million events (its drain thread), the bundle's bytes
# per event, and a socket variant of the storm (tests/progs/cap_sockstorm.c:
# 64-byte write()s and read()s on a TCP loopback connection, the calls a
# server makes), natively and recorded.  Timings are printed, never asserted.
#
# Environment: STORM_N (calls), STORM_RUNS (rounds of the native and
# flightrec runs, the median is kept; default 3), FLIGHTREC, PROGS.
set -u
cd "$(dirname "$0")/../.." || exit 1
FLIGHTREC=$(realpath "${FLIGHTREC:-build/flightrec}")
PROGS=$(realpath "${PROGS:-build/progs}")
N=${STORM_N:-1000000}
RUNS=${STORM_RUNS:-3}
SMALL=$((N / 10))
SOCK_N=$((N / 5)) # write+read pairs: 2 * SOCK_N calls
TMP=$(mktemp -d /tmp/frbench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
storm=$PROGS/cap_storm
sockstorm=$PROGS/cap_sockstorm
for p in "$storm" "$sockstorm"; do
	[ -x "$p" ] || { echo "capture_storm: $p missing (make)" >&2; exit 1; }
done
if [ "$(id -u)" != 0 ]; then
	echo "capture_storm: needs root (eBPF, strace of children, perf trace): skipped"
	exit 0
fi
PIN=0
[ "$(nproc)" -ge 2 ] && PIN=1

# fields of cap_storm's output line "storm CALLS SIZE NS CPU_NS"
field() { awk -v f="$2" '$1 == "storm" {print $f}' "$1"; }
per_call() { awk -v ns="$1" -v n="$2" 'BEGIN {printf "%.1f", ns / n}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
# median_of FILE COLUMN: the median of a column; median_row FILE: the row of
# the median of column 1 (rows "ns cpu_ns round")
median_of() { sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR] = $c} END {print v[int((NR + 1) / 2)]}'; }
median_row() { sort -n -k1 "$1" | awk '{r[NR] = $0} END {print r[int((NR + 1) / 2)]}'; }

# run LABEL ROUND CMD...: one run, its line appended to $TMP/LABEL.runs
run() {
	local label=$1 round=$2
	shift 2
	"$@" >"$TMP/$label.$round" 2>"$TMP/$label.$round.err" ||
		{ echo "capture_storm: $label failed: $(tail -1 "$TMP/$label.$round.err")" >&2; exit 1; }
	echo "$(field "$TMP/$label.$round" 4) $(field "$TMP/$label.$round" 5) $round" >>"$TMP/$label.runs"
}

echo "syscall storm: write() of 64 bytes to /dev/null; $(nproc) CPUs, kernel $(uname -r); medians of $RUNS rounds"
for i in $(seq "$RUNS"); do
	run native "$i" "$storm" "$N" 64
	run rec "$i" "$FLIGHTREC" record -q -o "$TMP/rec.$i.frb" -- "$storm" "$N" 64
	if [ $PIN = 1 ]; then
		run native_pin "$i" taskset -c 0 "$storm" "$N" 64
		run rec_pin "$i" taskset -c 1 "$FLIGHTREC" record -q -o "$TMP/rec_pin.$i.frb" -- \
			taskset -c 0 "$storm" "$N" 64
		run sock_native "$i" taskset -c 0 "$sockstorm" "$SOCK_N" 64
		run sock_rec "$i" taskset -c 1 "$FLIGHTREC" record -q -o "$TMP/sock.$i.frb" -- \
			taskset -c 0 "$sockstorm" "$SOCK_N" 64
	else
		run sock_native "$i" "$sockstorm" "$SOCK_N" 64
		run sock_rec "$i" "$FLIGHTREC" record -q -o "$TMP/sock.$i.frb" -- "$sockstorm" "$SOCK_N" 64
	fi
	rm -f "$TMP"/sock.$i.frb
done

native=$(per_call "$(median_of "$TMP/native.runs" 1)" "$N")
native_cpu=$(per_call "$(median_of "$TMP/native.runs" 2)" "$N")
read -r rec_ns rec_cpu mid < <(median_row "$TMP/rec.runs")
"$FLIGHTREC" inspect --json "$TMP/rec.$mid.frb" >"$TMP/insp.json" || exit 1
rec_lost=$(jq '.losses.ring_full' "$TMP/insp.json")
events=$(jq '.events.total' "$TMP/insp.json")
writes=$("$FLIGHTREC" events --type syscall --json "$TMP/rec.$mid.frb" |
	jq -c 'select(.name == "write" and .args[0] == 3 and (.payloads | any(.kind == "in" and .len == 64)))' | wc -l)
drain=$(jq '.capture.agent.drain_cpu_ns' "$TMP/insp.json")
size=$(stat -c %s "$TMP/rec.$mid.frb")

# strace
strace -f -o /dev/null "$storm" "$SMALL" 64 >"$TMP/strace" 2>/dev/null
strace_ns=$(field "$TMP/strace" 4)

# perf trace
perf trace -o "$TMP/perf.out" "$storm" "$SMALL" 64 >"$TMP/perf" 2>"$TMP/perf.err"
perf_ns=$(field "$TMP/perf" 4)
perf_lost=$(grep -ho 'LOST [0-9]* events' "$TMP/perf.out" "$TMP/perf.err" 2>/dev/null | awk '{s += $2} END {print s + 0}')

# bpftrace printing every buffer
bpftrace -e 'tracepoint:syscalls:sys_enter_write /pid == cpid/ { printf("%d %r\n", args->fd, buf(args->buf, args->count)); }' \
	-c "$storm $N 64" >"$TMP/bt.out" 2>"$TMP/bt.err"
bt_ns=$(awk '$2 == "storm" {print $5}' "$TMP/bt.out")
[ -n "$bt_ns" ] || bt_ns=$(grep -h '^storm ' "$TMP/bt.out" | awk '{print $4}')
bt_printed=$(grep -c '^3 ' "$TMP/bt.out")
bt_lost=$((N - bt_printed))

printf '%-34s %9s %11s %9s  %s\n' tool calls ns/call slowdown "events lost"
printf '%-34s %9s %11s %9s  %s\n' native "$N" "$native" 1.00x -
r=$(per_call "$rec_ns" "$N")
printf '%-34s %9s %11s %9s  %s\n' "flightrec record (elapsed)" "$N" "$r" "$(ratio "$r" "$native")" \
	"$rec_lost (writes recorded with payload: $writes of $N)"
r=$(per_call "$rec_cpu" "$N")
printf '%-34s %9s %11s %9s  %s\n' "flightrec record (program's CPU)" "$N" "$r" "$(ratio "$r" "$native_cpu")" \
	"(native CPU: $native_cpu ns/call)"
if [ -n "$strace_ns" ]; then
	r=$(per_call "$strace_ns" "$SMALL")
	printf '%-34s %9s %11s %9s  %s\n' "strace -f -o /dev/null" "$SMALL" "$r" "$(ratio "$r" "$native")" 0
else
	echo "strace: did not run"
fi
if [ -n "$perf_ns" ]; then
	r=$(per_call "$perf_ns" "$SMALL")
	printf '%-34s %9s %11s %9s  %s\n' "perf trace -o" "$SMALL" "$r" "$(ratio "$r" "$native")" "$perf_lost"
else
	echo "perf trace: did not run ($(head -1 "$TMP/perf.err"))"
fi
if [ -n "$bt_ns" ]; then
	r=$(per_call "$bt_ns" "$N")
	printf '%-34s %9s %11s %9s  %s\n' "bpftrace printf buf" "$N" "$r" "$(ratio "$r" "$native")" \
		"$bt_lost (printed $bt_printed of $N)"
else
	echo "bpftrace: did not run ($(head -1 "$TMP/bt.err"))"
fi
if [ $PIN = 1 ]; then
	read -r pin_ns pin_cpu pmid < <(median_row "$TMP/rec_pin.runs")
	pin_lost=$("$FLIGHTREC" inspect --json "$TMP/rec_pin.$pmid.frb" | jq '.losses.ring_full')
	npin=$(per_call "$(median_of "$TMP/native_pin.runs" 1)" "$N")
	npin_cpu=$(per_call "$(median_of "$TMP/native_pin.runs" 2)" "$N")
	echo "program pinned to CPU 0, recorder to CPU 1 (native pinned the same way: $npin ns/call elapsed, $npin_cpu CPU):"
	r=$(per_call "$pin_ns" "$N")
	printf '  %-32s %9s %11s %9s  %s\n' "flightrec record (elapsed)" "$N" "$r" "$(ratio "$r" "$npin")" "$pin_lost"
	r=$(per_call "$pin_cpu" "$N")
	printf '  %-32s %9s %11s %9s\n' "flightrec record (program's CPU)" "$N" "$r" "$(ratio "$r" "$npin_cpu")"
fi
sn=$(per_call "$(median_of "$TMP/sock_native.runs" 2)" $((2 * SOCK_N)))
sr=$(per_call "$(median_of "$TMP/sock_rec.runs" 2)" $((2 * SOCK_N)))
echo "socket storm (64-byte write() and read() on TCP loopback, $((2 * SOCK_N)) calls$([ $PIN = 1 ] && echo ", pinned as above")): program's CPU per call native $sn ns, under flightrec record $sr ns ($(ratio "$sr" "$sn")), +$(awk -v a="$sr" -v b="$sn" 'BEGIN {printf "%.0f", a - b}') ns a call"
awk -v d="$drain" -v e="$events" -v s="$size" 'BEGIN {
	printf "flightrec agent: %.0f ms of CPU per million events (%d events); bundle: %.1f bytes per event (%.1f MiB)\n",
		d / 1e6 / (e / 1e6), e, s / e, s / 1048576 }'
