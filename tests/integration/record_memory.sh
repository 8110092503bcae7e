#!/bin/bash
# Memory pressure in a memory cgroup with a 32 MiB limit
# (tests/progs/cap_mem.c): reading a 96 MiB file makes the cgroup reclaim
# (memcg reclaim spans, charged to the reader, naming the cgroup); touching
# 200 MiB of anonymous memory without swap gets the program OOM-killed (the
# kill with the victim and its cgroup, the SIGKILL, the exit by signal).
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

if [ -d /sys/fs/cgroup/memory ] && [ -e /sys/fs/cgroup/memory/cgroup.procs ]; then
	cg=/sys/fs/cgroup/memory/frtest-mem.$$
	limit=memory.limit_in_bytes
elif grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	cg=/sys/fs/cgroup/frtest-mem.$$
	limit=memory.max
	grep -qw memory /sys/fs/cgroup/cgroup.subtree_control || echo +memory >/sys/fs/cgroup/cgroup.subtree_control
else
	skip "no memory cgroup controller"
fi
mkdir "$cg" || fail "cannot create $cg"
trap 'rmdir "$cg" 2>/dev/null; rm -rf "$TMP" "${big:-}"' EXIT
echo $((32 << 20)) >"$cg/$limit" || fail "cannot set the limit"
memcg=$(stat -c %i "$cg")
big=$(mktemp /var/tmp/frtest-mem.XXXXXX)
# written to disk and dropped from the page cache, so that reading it
# allocates (and charges to the cgroup) every page again
dd if=/dev/zero of="$big" bs=1M count=96 conv=fsync status=none || fail "cannot write $big"
dd if="$big" iflag=nocache count=0 status=none || fail "cannot drop $big from the page cache"

# the shell moves itself into the cgroup, then becomes the program
rec "$TMP/r.frb" sh -c "echo \$\$ >$cg/cgroup.procs && exec $PROGS/cap_mem reclaim $big" ||
	fail "record exited $? ($(cat "$TMP/rec.err"))"
expect_eq "$(cat "$TMP/rec.out")" "read $((96 << 20))" "the program read the file"
events_json "$TMP/r.frb"
manifest "$TMP/r.frb"
expect_no_losses
pid=$(jq -s -r 'map(select(.type == "exec" and (.filename | endswith("cap_mem"))))[0].pid' "$TMP/ev.json")
n=$(jq -s "map(select(.type == \"reclaim\" and .pid == $pid and .kind == \"memcg\" and .memcg_id == $memcg)) | length" "$TMP/ev.json")
[ "$n" -ge 1 ] || fail "no memcg reclaim of cgroup $memcg by the reader ($(jq -s -c 'map(select(.type == "reclaim"))[0]' "$TMP/ev.json"))"
jqe "map(select(.type == \"reclaim\" and .pid == $pid) | .nr_reclaimed) | add > 0" "$TMP/ev.json" "pages reclaimed"
jqe "map(select(.type == \"reclaim\" and .pid == $pid)) | all(.start_ns > 0 and .start_ns <= .ts_ns)" "$TMP/ev.json" \
	"reclaim spans with their start"

if [ -n "$(tail -n +2 /proc/swaps)" ]; then
	echo "record_memory: swap is on: the OOM part is not deterministic, not run" >&2
	exit 0
fi
rec "$TMP/o.frb" sh -c "echo \$\$ >$cg/cgroup.procs && exec $PROGS/cap_mem oom 200"
expect_eq "$?" 137 "the program was killed by SIGKILL"
grep -q survived "$TMP/rec.out" && fail "the program survived 200 MiB in a 32 MiB cgroup"
events_json "$TMP/o.frb"
pid=$(jq -s -r 'map(select(.type == "exec" and (.filename | endswith("cap_mem"))))[0].pid' "$TMP/ev.json")
jqe "map(select(.type == \"oom_kill\" and .victim_pid == $pid and .memcg_id == $memcg and .anon_rss_kb > 16384)) | length == 1" \
	"$TMP/ev.json" "the OOM kill of $pid in cgroup $memcg"
jqe "map(select(.type == \"signal_generate\" and .signal == \"SIGKILL\" and .target_pid == $pid)) | length >= 1" \
	"$TMP/ev.json" "the SIGKILL"
jqe "map(select(.type == \"exit\" and .pid == $pid and .group_dead))[0].signal == \"SIGKILL\"" "$TMP/ev.json" \
	"the exit by SIGKILL"
exit 0
