#!/bin/bash
# Filters: --pid records that process only; --cgroup (a cgroup2 directory,
# given relative to the cgroup2 mount) records the processes inside it only.
# Two tickers run, one selected: the bundle has the writes of that one and
# none of the other, and the manifest lists the filter.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/daemon.bash"

writes_of() { # PID: number of its writes in $TMP/ev.json
	jq -s "map(select(.type == \"syscall\" and .name == \"write\" and .pid == $1)) | length" "$TMP/ev.json"
}

bg "$PROGS/dm_ticker" in 20 30 >"$TMP/a.out"
bg "$PROGS/dm_ticker" out 20 30 >"$TMP/b.out"
sleep 0.3
a=$(cat "$TMP/a.out") b=$(cat "$TMP/b.out")

start_daemon --pre 1s --post 300ms --pid "$a"
sleep 1.5
"$FLIGHTREC" trigger --socket "$SOCK" >/dev/null || fail "trigger failed"
bun=$(bundle_path 1)
events_json "$bun"
manifest "$bun"
[ "$(writes_of "$a")" -ge 20 ] || fail "--pid: the selected process's writes ($(writes_of "$a"))"
expect_eq "$(writes_of "$b")" 0 "--pid: the other process's writes"
jqe "[.capture.filters[] | select(.kind == \"pid\")] == [{\"kind\":\"pid\",\"pid\":$a}]" "$TMP/insp.json" "--pid in the manifest"
stop_daemon

cg2=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/mounts)
[ -n "$cg2" ] || skip_or_fail REQUIRE_BPF "no cgroup2 mount for the --cgroup test"
cg=frtest-filter.$$
mkdir "$cg2/$cg" || fail "cannot create $cg2/$cg"
trap 'cleanup_daemon; rmdir "$cg2/$cg" 2>/dev/null' EXIT
: >"$TMP/d.out"
start_daemon --pre 1s --post 300ms --cgroup "$cg"
sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" cg 20 30' sh "$cg2/$cg" "$PROGS/dm_ticker" >"$TMP/c.out" &
BG_PIDS="$BG_PIDS $!"
sleep 1.5
c=$(cat "$TMP/c.out")
[ -n "$c" ] || fail "the ticker in the cgroup did not start"
"$FLIGHTREC" trigger --socket "$SOCK" >/dev/null || fail "trigger failed"
bun=$(bundle_path 1)
events_json "$bun"
manifest "$bun"
[ "$(writes_of "$c")" -ge 20 ] || fail "--cgroup: the writes of the process inside ($(writes_of "$c"))"
expect_eq "$(writes_of "$a")" 0 "--cgroup: writes of a process outside"
jqe ".capture.filters == [{\"kind\":\"cgroup\",\"path\":\"$cg2/$cg\",\"id\":$(stat -c %i "$cg2/$cg")}]" \
	"$TMP/insp.json" "--cgroup in the manifest with its id"
stop_daemon
exit 0
