# Helpers for the daemon_*.sh tests (sourced after lib.sh; not a test
# itself: run-integration.sh runs *.sh only).
#
#   start_daemon ARGS...  flightrec capture -o $OUT --socket $SOCK ARGS... in the
#                         background (stdout $TMP/d.out, stderr $TMP/d.err);
#                         returns once it records.  $DPID is its pid.
#   stop_daemon           SIGTERM, wait; fails unless it exits 0
#   wait_bundles N [SECS] until the daemon announced N bundles (default 30 s)
#   bundle_path I         path of the I-th announced bundle (1-based)
#   events_json FILE      the bundle's events as JSON lines in $TMP/ev.json
#   manifest FILE         inspect --json in $TMP/insp.json
#   proctab FILE          the process table, decompressed, in $TMP/proc.json
#   jqe EXPR FILE [WHAT]  jq -e (slurping JSON lines files), failing with WHAT
#   trig_ns               the bundle's trigger time, from $TMP/insp.json
need_cmd jq tar zstd

OUT=$TMP/out
SOCK=$TMP/trigger.sock
DPID=
BG_PIDS=

cleanup_daemon() {
	local p
	for p in $BG_PIDS; do { kill -9 "$p"; wait "$p"; } 2>/dev/null; done
	if [ -n "$DPID" ]; then
		kill -9 "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup_daemon EXIT

# bg CMD...: run in the background, remembered for cleanup; $! as usual
bg() {
	"$@" &
	BG_PIDS="$BG_PIDS $!"
}

start_daemon() {
	local i
	mkdir -p "$OUT"
	"$FLIGHTREC" capture -o "$OUT" --socket "$SOCK" "$@" >"$TMP/d.out" 2>"$TMP/d.err" &
	DPID=$!
	for i in $(seq 300); do
		grep -q '^flightrec: capture: recording' "$TMP/d.err" && return 0
		kill -0 "$DPID" 2>/dev/null || { cat "$TMP/d.err" >&2; DPID=; fail "capture exited at start"; }
		sleep 0.1
	done
	cat "$TMP/d.err" >&2
	fail "capture did not start recording within 30 s"
}

stop_daemon() {
	local rc
	kill -TERM "$DPID"
	wait "$DPID"
	rc=$?
	DPID=
	[ $rc = 0 ] || { tail -20 "$TMP/d.err" >&2; fail "capture exited $rc on SIGTERM"; }
}

wait_bundles() {
	local n=$1 secs=${2:-30} i
	for i in $(seq $((secs * 10))); do
		[ "$(wc -l <"$TMP/d.out")" -ge "$n" ] && return 0
		sleep 0.1
	done
	tail -20 "$TMP/d.err" >&2
	fail "expected $n bundle(s) within $secs s, got $(wc -l <"$TMP/d.out")"
}

bundle_path() {
	sed -n "${1}p" "$TMP/d.out" | cut -f1
}

events_json() {
	"$FLIGHTREC" events --json "$1" >"$TMP/ev.json" || fail "events --json $1 failed"
}

manifest() {
	"$FLIGHTREC" inspect --json "$1" >"$TMP/insp.json" || fail "inspect --json $1 failed"
}

proctab() {
	tar -xOf "$1" processes.json.zst | zstd -dc >"$TMP/proc.json" ||
		fail "cannot read the process table of $1"
}

jqe() {
	local expr=$1 file=$2 what=${3:-$1} slurp=
	case $file in *ev.json) slurp=-s ;; esac
	jq -e $slurp "$expr" "$file" >/dev/null ||
		fail "$what (jq: $expr on $(basename "$file"))"
}

trig_ns() {
	jq -r .trigger.ts_ns "$TMP/insp.json"
}

# rule_bundle: the single bundle a rule wrote: its manifest and events,
# the trigger kind, and the mark at the trigger time carrying the reason.
rule_bundle() {
	local b
	wait_bundles 1 "${1:-30}"
	b=$(bundle_path 1)
	manifest "$b"
	events_json "$b"
	proctab "$b"
	jqe '.trigger.kind == "rule"' "$TMP/insp.json" "trigger kind rule"
	jqe "map(select(.type == \"mark\" and .kind == \"trigger\" and .ts_ns == $(trig_ns)))[0].text | startswith(\"rule: \")" \
		"$TMP/ev.json" "a trigger mark at the trigger time"
}
