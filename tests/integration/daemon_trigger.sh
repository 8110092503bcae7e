#!/bin/bash
# Triggers by SIGUSR1 and by the socket: each bundle holds the writes of a
# process the daemon did not start, from before and after the trigger
# (--pre 2s, --post 1s), a trigger mark at the trigger time, the window and
# trigger in the manifest, the process in the table, and is mode 0600.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/daemon.bash"

bg "$PROGS/dm_ticker" dm-tick 50 30 >"$TMP/tick.out"
sleep 0.3
tick=$(head -1 "$TMP/tick.out")
[ -n "$tick" ] || fail "dm_ticker did not start"

start_daemon --pre 2s --post 1s --cooldown 0 --comm dm_ticker --comm flightrec
sleep 2.5

check_bundle() {
	local b=$1 kind=$2 t
	[ -f "$b" ] || fail "$kind: bundle $b not written"
	expect_eq "$(stat -c %a "$b")" 600 "$kind: bundle mode"
	manifest "$b"
	events_json "$b"
	proctab "$b"
	jqe ".trigger.kind == \"$kind\"" "$TMP/insp.json" "$kind: trigger kind"
	jqe '.capture.mode == "capture" and .capture.pre_ns == 2000000000 and .capture.post_ns == 1000000000' \
		"$TMP/insp.json" "$kind: capture settings in the manifest"
	jqe '.features | has("tracepoints")' "$TMP/insp.json" "$kind: features"
	t=$(trig_ns)
	jqe ".window.start_ns == $t - 2000000000 and .window.end_ns == $t + 1000000000" \
		"$TMP/insp.json" "$kind: window is [trigger - 2 s, trigger + 1 s]"
	jqe "map(select(.type == \"mark\" and .kind == \"trigger\" and .ts_ns == $t)) | length == 1" \
		"$TMP/ev.json" "$kind: one trigger mark at the trigger time"
	# the ticker writes every 50 ms: ~40 writes before, ~20 after
	jqe "map(select(.type == \"syscall\" and .name == \"write\" and .pid == $tick and .ts_ns < $t and .ts_ns > $t - 2000000000 and ((.payloads | map(select(.kind == \"in\"))[0].data // \"\") | tostring | startswith(\"dm-tick \")))) | length >= 20" \
		"$TMP/ev.json" "$kind: writes of dm_ticker before the trigger"
	jqe "map(select(.type == \"syscall\" and .name == \"write\" and .pid == $tick and .ts_ns > $t and ((.payloads | map(select(.kind == \"in\"))[0].data // \"\") | tostring | startswith(\"dm-tick \")))) | length >= 10" \
		"$TMP/ev.json" "$kind: writes of dm_ticker after the trigger"
	jqe "map(.ts_ns) | (min >= $t - 2000000000) and (max <= $t + 1000000000)" \
		"$TMP/ev.json" "$kind: no event outside the window"
	jqe ".processes | map(select(.pid == $tick)) | length == 1 and (.[0].comm == \"dm_ticker\") and (.[0].argv[1] == \"dm-tick\") and (.[0].maps | length > 0) and (.[0].fds | map(select(.path == \"/dev/null\")) | length >= 1)" \
		"$TMP/proc.json" "$kind: dm_ticker in the process table with its maps and fds"
}

# SIGUSR1
kill -USR1 "$DPID"
wait_bundles 1
check_bundle "$(bundle_path 1)" signal
jqe '.trigger.reason | startswith("SIGUSR1 from pid")' "$TMP/insp.json" "signal: reason names the sender"
grep -q "	signal: SIGUSR1 from pid" "$TMP/d.out" || fail "stdout line: path, tab, reason"

# the socket: flightrec trigger waits and prints the path
"$FLIGHTREC" trigger --socket "$SOCK" --reason "disk latency alert" >"$TMP/trig.out" 2>"$TMP/trig.err" ||
	fail "flightrec trigger exited $?: $(cat "$TMP/trig.err")"
wait_bundles 2
expect_eq "$(cat "$TMP/trig.out")" "$(bundle_path 2)" "trigger prints the bundle's path"
check_bundle "$(bundle_path 2)" socket
jqe '.trigger.reason == "disk latency alert"' "$TMP/insp.json" "socket: the given reason"
jqe "map(select(.type == \"mark\" and .ts_ns == $(trig_ns)))[0].text == \"socket: disk latency alert\"" "$TMP/ev.json" "socket: mark text"

stop_daemon
grep -q "stopped: .* 2 bundles written" "$TMP/d.err" || fail "summary at exit: $(tail -1 "$TMP/d.err")"
[ ! -e "$SOCK" ] || fail "the socket is removed at exit"
exit 0
