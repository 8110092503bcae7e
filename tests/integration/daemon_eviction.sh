#!/bin/bash
# A tiny ring (--ring 256K) under a flood of writes: the oldest data is
# evicted, the newest kept.  The bundle (--pre 30s) has the flood's last
# write but not its first, counts the evicted events of its window in the
# manifest's losses, marks the hole with a "lost" event, and the ring held
# no more than its bound.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/daemon.bash"

start_daemon --ring 256K --pre 30s --post 1s --comm dm_flood
bg "$PROGS/dm_flood" 3 3 >"$TMP/flood.out"
flood=$!
for i in $(seq 300); do [ -s "$TMP/flood.out" ] && break; sleep 0.1; done
[ -s "$TMP/flood.out" ] || fail "dm_flood did not finish flooding"
"$FLIGHTREC" trigger --socket "$SOCK" --reason "after the flood" >/dev/null || fail "trigger failed"
wait_bundles 1
b=$(bundle_path 1)
manifest "$b"
events_json "$b"
writes=$(cat "$TMP/flood.out")
evicted=$(jq .losses.evicted "$TMP/insp.json")
[ "$evicted" -gt 0 ] || fail "evicted events counted in the manifest (got $evicted)"
jqe ".capture.ring.evicted_events_total >= $evicted" "$TMP/insp.json" "ring eviction total"
jqe ".capture.ring.held_bytes <= 262144 + .capture.ring.chunk_raw_bytes" "$TMP/insp.json" \
	"the ring stays within its bound ($(jq .capture.ring.held_bytes "$TMP/insp.json") bytes held)"
jqe "map(select(.type == \"syscall\" and .pid == $flood and .name == \"write\" and (.payloads | map(select(.kind == \"in\"))[0].data == \"late-marker\\n\"))) | length == 1" \
	"$TMP/ev.json" "the newest data (the late marker) is kept"
jqe "map(select(.type == \"syscall\" and .pid == $flood and .name == \"write\" and (.payloads | map(select(.kind == \"in\"))[0].data == \"early-marker\\n\"))) | length == 0" \
	"$TMP/ev.json" "the oldest data (the early marker) was evicted"
jqe ".losses.ring_full == 0" "$TMP/insp.json" "no kernel ring buffer loss to confuse the check ($(jq -c .losses "$TMP/insp.json"))"
jqe "map(select(.type == \"lost\" and .cause == \"evicted\") | .count) | add == $evicted" \
	"$TMP/ev.json" "the hole is marked by lost events adding up to the manifest's count"
kept=$(jq -s "map(select(.type == \"syscall\" and .pid == $flood and .name == \"write\")) | length" "$TMP/ev.json")
[ "$kept" -lt "$writes" ] || fail "fewer writes kept ($kept) than made ($writes)"
stop_daemon
exit 0
