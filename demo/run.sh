#!/bin/bash
# make demo: the incident of README, told end to end on this machine.
#
#   1. flightrec capture, the flight recorder, records a small system with a
#      trigger rule: a checkout that exits non-zero writes a bundle;
#   2. the system: "checkout" places orders with "db" over TCP and gives up
#      after 750 ms; db stores each order durably (write + fsync); "batch",
#      an export job in db's memory cgroup, fills the cgroup with file pages
#      that a slow disk writes back; db's writes wait in memory reclaim and
#      a checkout times out;
#   3. the rule fires and the bundle is written;
#   4. flightrec analyze explains the failed request and names batch;
#   5. flightrec replay reproduces the timeout from the recording alone,
#      and, with the timeout raised (what-if), the request succeeds.
#
# The memory pressure: db and batch share a 64 MiB memory cgroup; batch
# writes to an ext4 volume on a loop device whose writes are throttled to
# 2 MiB/s, so the cgroup fills with pages waiting for writeback, and db's
# 256 KiB writes wait in memory-cgroup reclaim for them (under cgroup v1,
# reclaim waits on pages under writeback).  Measured on the development VM
# (cgroup v1 memory controller): a checkout times out within a few seconds
# of batch starting, every time.  Under a pure cgroup v2 hierarchy (memory
# and io controllers) the same set-up is made with memory.max and io.max,
# but v2 throttles dirtying per cgroup instead of waiting in reclaim: it
# has not been tried, and if no order times out within DEMO_TIMEOUT_S the
# demo says so and stops.
#
# Needs root (eBPF, cgroups, a loop device).  Everything it creates (the
# cgroups, a loop device and its mount, processes, files in a temporary
# directory) is removed on exit and on ^C; the bundle and the reports stay
# in DEMO_OUT (default build/demo-out).
#
# Environment: FLIGHTREC (build/flightrec), DEMO_BIN (build/demo: checkout,
# db, batch), DEMO_OUT (build/demo-out), DEMO_TIMEOUT_S (90: give up when
# no request has failed by then), DEMO_QUIET=1 (step lines and results
# only, no program logs).
set -uo pipefail
cd "$(dirname "$0")/.."
FLIGHTREC=$(realpath -m "${FLIGHTREC:-build/flightrec}")
BIN=$(realpath -m "${DEMO_BIN:-build/demo}")
OUT=$(realpath -m "${DEMO_OUT:-build/demo-out}")
GIVE_UP_S=${DEMO_TIMEOUT_S:-90}
QUIET=${DEMO_QUIET:-0}

TIMEOUT_MS=750         # checkout's timeout
WHATIF_TIMEOUT_MS=5000 # the timeout tried in the what-if replay
POST=5s                # the bundle's window after the trigger: db's late
                       # answer must be in it for the what-if replay
MEM_LIMIT=$((64 << 20))
DISK_BPS=$((2 << 20))  # the export volume writes back at 2 MiB/s
NAME=flightrec-demo.$$

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
	B=$'\033[1m' D=$'\033[2m' R=$'\033[0m'
else
	B='' D='' R=''
fi
step() { printf '\n%s== %s%s\n' "$B" "$*" "$R"; }
say() { printf '   %s\n' "$*"; }
log() { [ "$QUIET" = 1 ] || printf '%s   %s%s\n' "$D" "$*" "$R"; }
die() {
	printf 'flightrec demo: %s\n' "$*" >&2
	exit 1
}

# ---- clean-up: everything the demo created, whatever happened ----------------

TMPD=""
CAP_PID="" DB_PID="" BATCH_PID="" LOOP="" MNT="" THROTTLE_RULE="" THROTTLE_FILE="" MEMCG="" DEV=""
CGROUPS=()

kill_wait() {
	local p
	for p in "$@"; do
		[ -n "$p" ] || continue
		kill -TERM "$p" 2>/dev/null
	done
	for p in "$@"; do
		[ -n "$p" ] || continue
		# give each a few seconds, then insist
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}

cleanup() {
	local cg
	trap - EXIT INT TERM
	# the disk at full speed first: a process waiting for writeback (in
	# the kernel, where no signal reaches it) can then leave
	if [ -n "$THROTTLE_RULE" ]; then
		echo "$THROTTLE_RULE" > "$THROTTLE_FILE" 2>/dev/null
	fi
	[ -n "$MEMCG" ] && [ -f "$MEMCG/io.max" ] && echo "$DEV wbps=max" > "$MEMCG/io.max" 2>/dev/null
	kill_wait "$BATCH_PID" "$DB_PID" "$CAP_PID"
	if [ -n "$MNT" ] && mountpoint -q "$MNT"; then
		umount "$MNT" 2>/dev/null || umount -l "$MNT"
	fi
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	for cg in "${CGROUPS[@]}"; do
		# a cgroup can be removed once its processes are gone
		for _ in $(seq 20); do rmdir "$cg" 2>/dev/null && break; sleep 0.1; done
	done
	[ -n "$TMPD" ] && rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'echo; echo "flightrec demo: interrupted, cleaning up" >&2; exit 130' INT TERM

# ---- what the demo needs -------------------------------------------------------

[ "$(id -u)" = 0 ] || die "needs root: flightrec capture loads eBPF programs, and the demo creates a memory cgroup and a loop device (run: sudo make demo)"
[ -x "$FLIGHTREC" ] || die "$FLIGHTREC is missing (run make)"
"$FLIGHTREC" capture --help >/dev/null 2>&1 ||
	die "this flightrec was built without eBPF support (make deps; make)"
[ -r /sys/kernel/btf/vmlinux ] || die "the kernel has no BTF (/sys/kernel/btf/vmlinux): flightrec capture cannot run"
for p in checkout db batch; do
	[ -x "$BIN/$p" ] || die "$BIN/$p is missing (run make)"
done
for c in losetup mkfs.ext4 mount umount mountpoint jq; do
	command -v "$c" >/dev/null || die "needs $c (util-linux, e2fsprogs, jq: make deps)"
done

TMPD=$(mktemp -d /tmp/flightrec-demo.XXXXXX) || die "cannot create a temporary directory"
mkdir -p "$OUT" || die "cannot create $OUT"
rm -f "$OUT"/flightrec-*.frb "$OUT"/report.html "$OUT"/graph.svg

# ---- the memory cgroup and the slow export volume ------------------------------

# The export volume: an ext4 file system on a loop device whose writes are
# throttled to DISK_BPS, so that batch's dirty pages take time to write
# back.  (Only the demo uses this device: the limit slows nobody else.)
truncate -s 512M "$TMPD/export.img" && mkfs.ext4 -q -F "$TMPD/export.img" ||
	die "cannot make the export volume's file system"
LOOP=$(losetup --find --show --direct-io=on "$TMPD/export.img") ||
	die "cannot attach a loop device"
MNT=$TMPD/export
mkdir "$MNT" && mount -o noatime "$LOOP" "$MNT" || die "cannot mount $LOOP on $MNT"
DEV=$(cat "/sys/block/${LOOP#/dev/}/dev")

# cgroup v2 with the memory controller, else the v1 memory hierarchy.
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
if [ -n "$CG2" ] && grep -qw memory "$CG2/cgroup.subtree_control" 2>/dev/null; then
	MEMCG=$CG2/$NAME
	mkdir "$MEMCG" || die "cannot create the cgroup $MEMCG"
	CGROUPS+=("$MEMCG")
	echo "$MEM_LIMIT" > "$MEMCG/memory.max" || die "cannot limit $MEMCG"
	grep -qw io "$CG2/cgroup.subtree_control" ||
		die "the io controller is not enabled in $CG2: cannot slow the export volume"
	echo "$DEV wbps=$DISK_BPS" > "$MEMCG/io.max" || die "cannot throttle $LOOP in $MEMCG"
	CGV="cgroup v2 $MEMCG"
elif [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
	MEMCG=/sys/fs/cgroup/memory/$NAME
	mkdir "$MEMCG" || die "cannot create the cgroup $MEMCG"
	CGROUPS+=("$MEMCG")
	echo "$MEM_LIMIT" > "$MEMCG/memory.limit_in_bytes" || die "cannot limit $MEMCG"
	# v1 writeback is done by the flusher threads, in the root blkio cgroup
	THROTTLE_FILE=/sys/fs/cgroup/blkio/blkio.throttle.write_bps_device
	[ -w "$THROTTLE_FILE" ] || die "no blkio throttling ($THROTTLE_FILE): cannot slow the export volume"
	echo "$DEV $DISK_BPS" > "$THROTTLE_FILE" || die "cannot throttle $LOOP"
	THROTTLE_RULE="$DEV 0"
	CGV="cgroup v1 $MEMCG"
else
	die "no memory cgroup controller (cgroup v2 with memory enabled, or /sys/fs/cgroup/memory)"
fi

# run_in_cgroup CMD...: CMD in the memory cgroup (its pid is the shell's)
run_in_cgroup() {
	sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$MEMCG" "$@"
}

# The demo's programs run with a small, fixed environment: that is what
# the recording holds and the replay gives them back.
DEMO_ENV=(env -i PATH=/usr/bin:/bin LANG=C)

# ---- 1. the flight recorder --------------------------------------------------------

RULE="exit-nonzero,comm=checkout"
step "1. flightrec capture, the flight recorder, keeps the last minute of what the kernel saw of checkout, db and batch; rule: a checkout exiting non-zero writes a bundle"
"$FLIGHTREC" capture --out "$OUT" --comm checkout --comm db --comm batch \
	--trigger-on "$RULE" --pre 60s --post "$POST" --ring 64M --snaplen 4K \
	--no-socket >"$TMPD/capture.out" 2>"$TMPD/capture.err" &
CAP_PID=$!
for _ in $(seq 300); do
	grep -q '^flightrec: capture: recording' "$TMPD/capture.err" && break
	kill -0 "$CAP_PID" 2>/dev/null || { cat "$TMPD/capture.err" >&2; CAP_PID=; die "flightrec capture did not start"; }
	sleep 0.1
done
grep -q '^flightrec: capture: recording' "$TMPD/capture.err" || die "flightrec capture did not start within 30 s"
say "\$ flightrec capture --comm checkout --comm db --comm batch --trigger-on '$RULE' --pre 60s --post $POST --snaplen 4K --out $OUT"

# ---- 2. the system -----------------------------------------------------------------

step "2. checkout orders from db (timeout ${TIMEOUT_MS} ms); db stores each order with write + fsync; batch, in db's $((MEM_LIMIT >> 20)) MiB memory cgroup, fills it with an export"
"${DEMO_ENV[@]}" sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$MEMCG" \
	"$BIN/db" "$TMPD/db.port" "$TMPD/orders.db" 2>"$TMPD/db.log" &
DB_PID=$!
for _ in $(seq 100); do [ -s "$TMPD/db.port" ] && break; sleep 0.05; done
[ -s "$TMPD/db.port" ] || die "db did not start: $(cat "$TMPD/db.log")"
PORT=$(cat "$TMPD/db.port")
say "db (pid $DB_PID) listens on 127.0.0.1:$PORT, in $CGV (limit $((MEM_LIMIT >> 20)) MiB)"

order=1000 failed_pid="" batch_at=$((SECONDS + 2)) end=$((SECONDS + GIVE_UP_S))
while [ $SECONDS -lt $end ]; do
	order=$((order + 1))
	if [ -z "$BATCH_PID" ] && [ $SECONDS -ge $batch_at ]; then
		"${DEMO_ENV[@]}" sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$MEMCG" \
			"$BIN/batch" "$MNT" 4096 0 "$GIVE_UP_S" 2>"$TMPD/batch.log" &
		BATCH_PID=$!
		say "batch (pid $BATCH_PID) starts its nightly export into db's memory cgroup"
	fi
	"${DEMO_ENV[@]}" "$BIN/checkout" "$PORT" "$order" "$TIMEOUT_MS" >"$TMPD/co.out" 2>"$TMPD/co.err" &
	co=$!
	wait "$co"
	rc=$?
	if [ $rc = 0 ]; then
		log "$(cat "$TMPD/co.out")"
	else
		say "$(cat "$TMPD/co.err") (checkout pid $co, exit $rc)"
		failed_pid=$co
		break
	fi
	sleep 0.2
done
[ -n "$failed_pid" ] || die "no order timed out in $GIVE_UP_S s: the memory pressure did not build up on this machine"

# ---- 3. the trigger -------------------------------------------------------------

for _ in $(seq 600); do
	[ -s "$TMPD/capture.out" ] && break
	kill -0 "$CAP_PID" 2>/dev/null || break
	sleep 0.1
done
[ -s "$TMPD/capture.out" ] || { cat "$TMPD/capture.err" >&2; die "no bundle was written"; }
BUNDLE=$(head -1 "$TMPD/capture.out" | cut -f1)
REASON=$(head -1 "$TMPD/capture.out" | cut -f2-)
kill_wait "$BATCH_PID" "$DB_PID"
BATCH_PID="" DB_PID=""
step "3. the rule fired ($REASON); the bundle holds the minute before and $POST after: $BUNDLE ($(du -h "$BUNDLE" | cut -f1))"
log "$(grep -h . "$TMPD/db.log" | tail -5)"

# ---- 4. the analysis ------------------------------------------------------------

step "4. flightrec analyze explains the failed request: its critical path leads from checkout to db's write, stuck in memory reclaim, and names the culprit"
say "\$ flightrec analyze $(basename "$BUNDLE") --top 2"
"$FLIGHTREC" analyze -q --top 2 "$BUNDLE" >"$TMPD/report.txt" 2>"$TMPD/analyze.err" ||
	die "flightrec analyze failed: $(cat "$TMPD/analyze.err")"
sed 's/^/   /' "$TMPD/report.txt"
# (the text report goes to stdout again: it is shown above)
"$FLIGHTREC" analyze -q --html "$OUT/report.html" "$BUNDLE" >/dev/null 2>"$TMPD/analyze.err" ||
	die "flightrec analyze --html failed: $(cat "$TMPD/analyze.err")"
"$FLIGHTREC" analyze -q --top 1 --svg "$OUT/graph.svg" "$BUNDLE" >/dev/null 2>"$TMPD/analyze.err" ||
	die "flightrec analyze --svg failed: $(cat "$TMPD/analyze.err")"
say "HTML report: $OUT/report.html"
say "causal graph (SVG): $OUT/graph.svg"

# ---- 5. replay ------------------------------------------------------------------

# show_replay NAME: the replayed program's output ("| "), flightrec's own
# messages as they are
show_replay() {
	sed -e '/^flightrec: /!s/^/   | /' -e '/^flightrec: /s/^/   /' "$TMPD/$1.err"
}
# replay_field NAME EXPR: a field of the replay's JSON result
replay_field() {
	jq -r "$2" "$TMPD/$1.json" 2>/dev/null
}

step "5. flightrec replay re-runs the failed checkout (pid $failed_pid) from the recording alone: the same timeout, without db or batch"
say "\$ flightrec replay $(basename "$BUNDLE") --pid $failed_pid"
"$FLIGHTREC" replay "$BUNDLE" --pid "$failed_pid" --json >"$TMPD/replay.json" 2>"$TMPD/replay.err" </dev/null
rc=$?
show_replay replay
[ "$(replay_field replay .replayed_exit)" != "" ] || die "flightrec replay failed (exit $rc)"
case $rc in
0) say "replay: matched the recording (exit 0): checkout exited $(replay_field replay .replayed_exit) (recorded: $(replay_field replay .recorded_exit)), $(replay_field replay .syscalls_replayed) system calls replayed" ;;
3) say "replay: diverged from the recording (exit 3): $(replay_field replay .first_divergence.reason)" ;;
*) die "flightrec replay failed (exit $rc)" ;;
esac

# ---- 6. what if -----------------------------------------------------------------

step "6. what if checkout waited ${WHATIF_TIMEOUT_MS} ms? flightrec replay --set-arg 3=${WHATIF_TIMEOUT_MS}: db's answer, recorded after the timeout, arrives in time"
say "\$ flightrec replay $(basename "$BUNDLE") --pid $failed_pid --set-arg 3=$WHATIF_TIMEOUT_MS"
"$FLIGHTREC" replay "$BUNDLE" --pid "$failed_pid" --set-arg "3=$WHATIF_TIMEOUT_MS" --json \
	>"$TMPD/whatif.json" 2>"$TMPD/whatif.err" </dev/null
rc=$?
show_replay whatif
[ "$(replay_field whatif .replayed_exit)" != "" ] || die "flightrec replay --set-arg failed (exit $rc)"
summary=$(replay_field whatif '.what_if.summary // empty')
[ -z "$summary" ] || say "what-if: $summary"
say "what-if replay: checkout exited $(replay_field whatif .replayed_exit) (recorded: $(replay_field whatif .recorded_exit))"

step "The bundle and the reports stay in $OUT; everything else the demo made is removed"
