#!/bin/bash
# What docs/security.md promises about a filtered capture: a process outside
# the filters that shares the CPU with a recorded one appears by its pid and
# name where they met, never with its data (no system call, no argv, no
# environment, no maps or files); the bundle is 0600 in a 0700 directory;
# the trigger socket is 0600.
. "$(dirname "$0")/lib.sh"
need_bpf
need_cmd taskset
. "$(dirname "$0")/daemon.bash"

SECRET="hunter2-$$-$RANDOM"
# the outsider: spins on CPU 0 with the secret in its argv and environment
bg env FR_DOC_SECRET="$SECRET" taskset -c 0 sh -c 'while :; do :; done' "arg-$SECRET"
outsider=$!
# the recorded one, on the same CPU
bg taskset -c 0 "$PROGS/dm_ticker" dm-tick 20 30 >"$TMP/tick.out"
sleep 0.3
tick=$(head -1 "$TMP/tick.out")
[ -n "$tick" ] || fail "dm_ticker did not start"

# a directory the daemon creates (the last -o wins over start_daemon's)
start_daemon --pre 2s --post 500ms --cooldown 0 --comm dm_ticker -o "$TMP/fresh"
expect_eq "$(stat -c %a "$TMP/fresh")" 700 "the --out directory it created"
expect_eq "$(stat -c %a "$SOCK")" 600 "the trigger socket"
sleep 2.5
kill -USR1 "$DPID"
wait_bundles 1
b=$(bundle_path 1)
expect_eq "$(stat -c %a "$b")" 600 "the bundle"
events_json "$b"
proctab "$b"

# the two met: switches between them are in the bundle (else the test
# would prove nothing)
pids=$(pgrep -P "$outsider" 2>/dev/null; echo "$outsider")
met=0
for p in $pids; do
	n=$(jq -s "map(select(.type == \"sched_switch\" and (.pid == $p or .next_pid == $p))) | length" "$TMP/ev.json")
	[ "$n" -gt 0 ] && met=$((met + n))
	jqe "map(select(.pid == $p and .type == \"syscall\")) | length == 0" "$TMP/ev.json" \
		"no system call of the outsider $p"
	jq -e "(.processes // .) | map(select(.pid == $p)) | all((.argv // []) == [] and (.env // []) == [] and (.maps // []) == [] and (.fds // []) == [])" \
		"$TMP/proc.json" >/dev/null || fail "the process table holds data of the outsider $p"
done
[ "$met" -gt 0 ] || skip_or_fail REQUIRE_BPF "the outsider never met dm_ticker on CPU 0 (the check would prove nothing)"
# the recorded one has its data
jq -e "(.processes // .) | map(select(.pid == $tick)) | .[0].argv[0] | endswith(\"dm_ticker\")" \
	"$TMP/proc.json" >/dev/null || fail "dm_ticker's argv is not in the process table"
# and the secret is nowhere in the bundle
tar -xOf "$b" processes.json.zst | zstd -dc >"$TMP/all.txt"
cat "$TMP/ev.json" >>"$TMP/all.txt"
if grep -q "$SECRET" "$TMP/all.txt"; then
	grep -o ".\{80\}$SECRET.\{20\}" "$TMP/all.txt" | head -3 >&2
	fail "the outsider's secret is in the bundle"
fi
stop_daemon
exit 0
