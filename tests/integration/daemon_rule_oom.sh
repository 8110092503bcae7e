#!/bin/bash
# --trigger-on oom: a process allocating without bound in a 32 MiB memory
# cgroup (cgroup v1 memory controller, else cgroup2) is killed by the OOM
# killer; the bundle holds the kill at the trigger time and names the victim.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/daemon.bash"

cg=
if [ -w /sys/fs/cgroup/memory/cgroup.procs ]; then
	cg=/sys/fs/cgroup/memory/frtest-oom.$$
	mkdir "$cg" || fail "cannot create $cg"
	echo $((32 << 20)) >"$cg/memory.limit_in_bytes" || fail "cannot set the v1 memory limit"
else
	u=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/mounts)
	[ -n "$u" ] && grep -qw memory "$u/cgroup.controllers" 2>/dev/null ||
		skip_or_fail REQUIRE_BPF "no memory cgroup controller (v1 or v2) to provoke an OOM kill"
	cg=$u/frtest-oom.$$
	mkdir "$cg" || fail "cannot create $cg"
	echo $((32 << 20)) >"$cg/memory.max" || fail "cannot set memory.max"
	echo 0 >"$cg/memory.swap.max" 2>/dev/null
fi
trap 'cleanup_daemon; rmdir "$cg" 2>/dev/null' EXIT

start_daemon --pre 1s --post 500ms --cooldown 0 --no-socket --trigger-on oom
sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" 1024' sh "$cg" "$PROGS/dm_hog" 2>"$TMP/hog.err" &
hog=$!
wait $hog
expect_eq $? 137 "dm_hog killed by SIGKILL (the OOM killer)"
rule_bundle
t=$(trig_ns)
jqe "map(select(.type == \"oom_kill\" and .victim_pid == $hog and .victim_comm == \"dm_hog\" and .ts_ns == $t)) | length == 1" \
	"$TMP/ev.json" "the OOM kill of dm_hog at the trigger time"
jqe ".trigger.reason | startswith(\"oom: the OOM killer killed dm_hog[$hog]\")" "$TMP/insp.json" \
	"reason: $(jq -r .trigger.reason "$TMP/insp.json")"
stop_daemon
exit 0
