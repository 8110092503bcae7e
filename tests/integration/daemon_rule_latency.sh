#!/bin/bash
# --trigger-on syscall-latency>200ms,comm=dm_slow: a 100 ms sleep does not
# fire it, a 600 ms one does; the bundle's trigger time is the end of that
# call, which is in the bundle with its duration.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/daemon.bash"

start_daemon --pre 1s --post 500ms --cooldown 0 --no-socket \
	--trigger-on 'syscall-latency>200ms,comm=dm_slow'
"$PROGS/dm_slow" 100
sleep 1.5
expect_eq "$(wc -l <"$TMP/d.out")" 0 "no bundle for a 100 ms call"
"$PROGS/dm_slow" 600 &
slow=$!
wait $slow
rule_bundle
t=$(trig_ns)
jqe ".trigger.reason | test(\"^syscall-latency>200ms,comm=dm_slow: clock_nanosleep by dm_slow\\\\[$slow/$slow\\\\] took\")" \
	"$TMP/insp.json" "reason names the call and the process: $(jq -r .trigger.reason "$TMP/insp.json")"
jqe "map(select(.type == \"syscall\" and .name == \"clock_nanosleep\" and .pid == $slow and .ts_ns == $t and .duration_ns >= 600000000)) | length == 1" \
	"$TMP/ev.json" "the slow call ends at the trigger time"
jqe '.capture.rules == [{"rule":"syscall-latency>200ms,comm=dm_slow","fired":1}]' "$TMP/insp.json" \
	"the rule and its count in the manifest"
stop_daemon
expect_eq "$(wc -l <"$TMP/d.out")" 1 "one bundle"
exit 0
