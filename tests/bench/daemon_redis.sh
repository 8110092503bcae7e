#!/bin/bash
# The always-on recorder under a realistic load: redis-server on loopback
# driven by redis-benchmark (SET/GET, 50 clients), without and with
# `flightrec capture` recording system-wide (payloads up to the default
# snaplen).  Prints the throughput ratio (design target: at most 5% loss),
# the daemon's CPU per million events (counted from when it is recording:
# its start-up, mostly the kernel verifying the eBPF programs, is a one-time
# cost printed apart), and its memory against --ring.
# Rounds alternate between the setups; the medians are compared.  Where
# tests/bench/floor/ is built (make bench), two more setups show the floor:
# what the kernel's syscall tracepoints cost with programs that do nothing,
# and with programs that only time each call and write a small record (see
# capture_floor.sh).
# Timings are printed, never asserted.
set -u
for c in redis-server redis-benchmark redis-cli; do
	command -v $c >/dev/null || { echo "daemon bench: skipped: needs $c (apt-get install redis-server redis-tools)"; exit 0; }
done
[ "$(id -u)" = 0 ] || { echo "daemon bench: skipped: needs root"; exit 0; }
FLIGHTREC=$(realpath "${FLIGHTREC:-build/flightrec}")
ROUNDS=${DAEMON_BENCH_ROUNDS:-3}
REQS=${DAEMON_BENCH_REQUESTS:-200000}
PORT=${DAEMON_BENCH_PORT:-6391}
TMP=$(mktemp -d /tmp/frbench.XXXXXX)
RPID= DPID=
cleanup() {
	[ -n "$DPID" ] && kill -9 "$DPID" 2>/dev/null
	[ -n "$RPID" ] && kill "$RPID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
	--logfile "$TMP/redis.log" >/dev/null 2>&1 &
RPID=$!
for i in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$PORT" ping >/dev/null 2>&1 || { echo "daemon bench: redis-server did not start on port $PORT" >&2; exit 1; }

# requests per second of one run (SET and GET, mean of the two)
LOADCPU=
load() {
	$LOADCPU timeout 120 redis-benchmark -h 127.0.0.1 -p "$PORT" -c 50 -n "$REQS" -t set,get --csv 2>/dev/null |
		awk -F'"' '/^"(SET|GET)"/ {s += $4; n++} END {if (n) printf "%.0f\n", s / n; else print 0}'
}

# CPU seconds the daemon has used so far
daemon_cpu() {
	local st
	st=($(cut -d' ' -f14,15 /proc/$DPID/stat))
	awk -v u="${st[0]}" -v s="${st[1]}" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", (u + s) / hz}'
}

# start_capture ARGS: the daemon, system-wide, waiting until it records;
# sets CPU0, the CPU it used to start (loading and verifying the eBPF
# programs: a one-time cost, not counted per event)
DAEMONCPU=
start_capture() {
	$DAEMONCPU "$FLIGHTREC" capture -o "$TMP/out" --no-socket "$@" >"$TMP/d.out" 2>"$TMP/d.err" &
	DPID=$!
	for i in $(seq 300); do
		if grep -q '^flightrec: capture: recording' "$TMP/d.err"; then
			CPU0=$(daemon_cpu)
			return 0
		fi
		sleep 0.1
	done
	echo "daemon bench: capture did not start: $(tail -3 "$TMP/d.err")" >&2
	exit 1
}

# stop_capture: SIGTERM; sets EVENTS (recorded), CPU (s, since it started
# recording), RSS/HWM (KiB)
stop_capture() {
	read -r RSS HWM < <(awk '/^VmRSS/ {r = $2} /^VmHWM/ {h = $2} END {print r, h}' /proc/$DPID/status)
	CPU=$(awk -v a="$(daemon_cpu)" -v b="$CPU0" 'BEGIN {printf "%.2f", a - b}')
	kill -TERM "$DPID"
	wait "$DPID"
	DPID=
	EVENTS=$(sed -n 's/.*stopped: \([0-9]*\) events recorded.*/\1/p' "$TMP/d.err")
	DROPPED=$(sed -n 's/.* \([0-9]*\) dropped by the kernel ring buffer.*/\1/p' "$TMP/d.err")
}

# floor_run LEVEL: one load under tests/bench/floor/'s programs at LEVEL,
# system-wide (what the kernel's mechanisms cost before a recorder does
# anything of its own: see capture_floor.sh), appended to $TMP/floorLEVEL
FLOOR=$(realpath "${BUILD:-build}")/bench/floor_load
floor_run() {
	local fpid
	$DAEMONCPU "$FLOOR" "$1" >"$TMP/f.out" 2>"$TMP/f.err" &
	fpid=$!
	for i in $(seq 100); do [ -s "$TMP/f.out" ] && break; sleep 0.1; done
	[ -s "$TMP/f.out" ] || { echo "daemon bench: floor_load $1 did not start: $(tail -1 "$TMP/f.err")" >&2; exit 1; }
	load >>"$TMP/floor$1"
	kill -INT "$fpid"
	wait "$fpid"
	grep -q ' 0 lost' "$TMP/f.err" || echo "daemon bench: floor_load $1: $(tail -1 "$TMP/f.err")" >&2
}

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# compare TITLE: rounds of (no capture, the two floors, capture attached
# but recording nothing, capture recording everything), medians and ratios
compare() {
	local r ev_total=0 cpu_total=0 dropped_total=0 base idle full
	: >"$TMP/base" && : >"$TMP/idle" && : >"$TMP/full" && : >"$TMP/floor0" && : >"$TMP/floor2"
	load >/dev/null # warm up
	for r in $(seq "$ROUNDS"); do
		load >>"$TMP/base"
		if [ -x "$FLOOR" ]; then
			floor_run 0
			floor_run 2
		fi
		start_capture --comm fr-no-such-comm
		load >>"$TMP/idle"
		stop_capture
		start_capture
		load >>"$TMP/full"
		stop_capture
		ev_total=$((ev_total + EVENTS))
		dropped_total=$((dropped_total + DROPPED))
		cpu_total=$(awk -v a="$cpu_total" -v b="$CPU" 'BEGIN {print a + b}')
	done
	base=$(median <"$TMP/base") idle=$(median <"$TMP/idle") full=$(median <"$TMP/full")
	echo "$1"
	printf '  %-58s %8s req/s\n' "without capture" "$base"
	if [ -x "$FLOOR" ]; then
		printf '  %-58s %8s req/s  (%.3f)\n' \
			"floor: empty programs on sys_enter/sys_exit" "$(median <"$TMP/floor0")" \
			"$(median <"$TMP/floor0" | awk -v b="$base" '{print $1 / b}')" \
			"floor: + calls timed, a 40-byte record each" "$(median <"$TMP/floor2")" \
			"$(median <"$TMP/floor2" | awk -v b="$base" '{print $1 / b}')"
	fi
	printf '  %-58s %8s req/s\n' \
		"capture attached, recording nothing (--comm no match)" "$idle" \
		"capture recording system-wide (snaplen 256)" "$full"
	awk -v b="$base" -v i="$idle" -v c="$full" 'BEGIN {
		printf "  ratio attached/without: %.3f; recording/without: %.3f (%.1f%% lost; target: at most 5%%)\n", i / b, c / b, 100 * (1 - c / b) }'
	awk -v e="$ev_total" -v c="$cpu_total" -v d="$dropped_total" -v s="$CPU0" 'BEGIN {
		printf "  daemon: %d events recorded, %d dropped by the kernel ring buffer (%.1f%%); %.2f s CPU while recording: %.2f CPU-s per million events (start-up, mostly the kernel verifying the eBPF programs: %.2f s each time)\n", e, d, (e + d ? 100 * d / (e + d) : 0), c, (e ? c / (e / 1e6) : 0), s }'
}

echo "redis-benchmark SET/GET, 50 clients, $REQS requests; medians of $ROUNDS rounds"
compare "1. server, load generator and daemon share both CPUs:"
if [ "$(nproc)" -ge 2 ]; then
	# what a server with a core to spare for the agent sees: the eBPF
	# handlers still run on the server's CPU, the daemon does not
	kill "$RPID"; wait "$RPID" 2>/dev/null
	taskset -c 0 redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no \
		--daemonize no --logfile "$TMP/redis.log" >/dev/null 2>&1 &
	RPID=$!
	for i in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
	LOADCPU="taskset -c 0" DAEMONCPU="taskset -c 1"
	compare "2. server and load generator on CPU 0, daemon on CPU 1:"
	LOADCPU= DAEMONCPU=
fi

# memory against --ring: fill the ring (a long run), read RSS and the peak
echo "daemon memory after a load that fills the ring (RSS / peak, KiB; kernel buffer 16M):"
for ring in 16M 64M; do
	start_capture --ring "$ring"
	for i in 1 2 3 4 5 6; do load >/dev/null; done
	stop_capture
	held=$(sed -n 's/.*; \([0-9.]* [KMG]iB\) held in.*/\1/p' "$TMP/d.err")
	printf '  --ring %-4s  rss %7d  peak %7d  (ring held %s of events: %d recorded)\n' "$ring" "$RSS" "$HWM" "$held" "$EVENTS"
done
