#!/bin/bash
# The fallbacks of capture/compat.c, run for real on this kernel: without
# tp_btf every handler is attached as a raw_tp program (and per-task state
# moves to a hash map by tid); without task local storage the tp_btf
# programs use that hash map.  Recordings must be the same.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

check() {
	local mode=$1 state=$2 frb=$TMP/$1.frb pid
	FLIGHTREC_HIDE_FEATURES=$3 "$FLIGHTREC" record -q -o "$frb" -- "$PROGS/cap_threads" 3 >"$TMP/out" 2>"$TMP/err" ||
		fail "$mode: record failed: $(cat "$TMP/err")"
	[ -s "$TMP/err" ] && fail "$mode: warnings: $(cat "$TMP/err")"
	expect_grep '^done 60$' "$TMP/out" "$mode: the program's result"
	manifest "$frb"
	expect_no_losses
	jqe "[.features.tracepoints[] | select(.used) | .attach] | unique == [\"$mode\"]" "$TMP/insp.json" \
		"$mode: every handler attached as $mode"
	jqe ".features.state.detail == \"$state\"" "$TMP/insp.json" "$mode: per-task state"
	events_json "$frb"
	pid=$(jq -s -r 'map(select(.type == "exec"))[0].pid' "$TMP/ev.json")
	jqe "map(select(.type == \"fork\" and .thread and .pid == $pid)) | length == 3" "$TMP/ev.json" "$mode: thread creations"
	jqe "map(select(.type == \"syscall\" and .name == \"write\" and .pid == $pid)) | map(.payloads | map(select(.kind == \"in\"))[0].data) | map(select(startswith(\"thread \"))) | length == 3" \
		"$TMP/ev.json" "$mode: the threads' writes with their payloads"
	jqe "map(select(.type == \"sched_switch\" and .prev_tid == $pid)) | length >= 1" "$TMP/ev.json" "$mode: switches"
	jqe "map(select(.type == \"sched_wakeup\" and .target_pid == $pid)) | length >= 1" "$TMP/ev.json" "$mode: wakeups"
	jqe "map(select(.type == \"exit\" and .pid == $pid and .group_dead))[0].exit_code == 0" "$TMP/ev.json" "$mode: exit"
}
check raw_tp "per-task state in a hash map by tid" tp_btf
check tp_btf "per-task state in a hash map by tid" task_storage
check tp_btf "per-task state in task local storage" ""
exit 0
