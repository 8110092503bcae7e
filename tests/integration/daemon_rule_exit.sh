#!/bin/bash
# --trigger-on exit-nonzero,comm=dm_exit: exit 0 does not fire it, exit 3
# does, and the bundle holds that exit at the trigger time.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/daemon.bash"

start_daemon --pre 1s --post 500ms --cooldown 0 --no-socket \
	--trigger-on 'exit-nonzero,comm=dm_exit'
"$PROGS/dm_exit" 0
sleep 1.5
expect_eq "$(wc -l <"$TMP/d.out")" 0 "no bundle for exit 0"
"$PROGS/dm_exit" 3 &
p=$!
wait $p
expect_eq $? 3 "dm_exit exited 3"
rule_bundle
t=$(trig_ns)
jqe ".trigger.reason == \"exit-nonzero,comm=dm_exit: dm_exit[$p] exited with status 3\"" \
	"$TMP/insp.json" "reason: $(jq -r .trigger.reason "$TMP/insp.json")"
jqe "map(select(.type == \"exit\" and .pid == $p and .group_dead and .exit_code == 3 and .ts_ns == $t)) | length == 1" \
	"$TMP/ev.json" "the exit at the trigger time"
stop_daemon
exit 0
