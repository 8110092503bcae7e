#!/bin/bash
# --trigger-on signal=SIGSEGV|SIGABRT,comm=dm_segv: a real crash fires it;
# the bundle holds the delivery at the trigger time, the process's death
# after it, and the dead process in the table.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/daemon.bash"

start_daemon --pre 1s --post 500ms --cooldown 0 --no-socket \
	--trigger-on 'signal=SIGSEGV|SIGABRT,comm=dm_segv'
"$PROGS/dm_segv" 2>/dev/null &
crash=$!
wait $crash
expect_eq $? 139 "dm_segv died of SIGSEGV"
rule_bundle
t=$(trig_ns)
jqe ".trigger.reason == \"signal=SIGSEGV|SIGABRT,comm=dm_segv: SIGSEGV delivered to dm_segv[$crash/$crash]\"" \
	"$TMP/insp.json" "reason: $(jq -r .trigger.reason "$TMP/insp.json")"
jqe "map(select(.type == \"signal_deliver\" and .pid == $crash and .signal == \"SIGSEGV\" and .ts_ns == $t)) | length == 1" \
	"$TMP/ev.json" "the delivery at the trigger time"
jqe "map(select(.type == \"exit\" and .pid == $crash and .group_dead and .signal == \"SIGSEGV\" and .ts_ns >= $t)) | length == 1" \
	"$TMP/ev.json" "the death after it"
jqe ".processes | map(select(.pid == $crash))[0] | .comm == \"dm_segv\" and .exit_ns >= $t and (.exit_status % 128 == 11) and (.argv[0] | endswith(\"dm_segv\"))" \
	"$TMP/proc.json" "the crashed process in the table"
stop_daemon
exit 0
