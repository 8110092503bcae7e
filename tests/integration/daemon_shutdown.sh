#!/bin/bash
# SIGTERM while a bundle is in its --post window: the daemon finishes that
# bundle early with what it recorded so far (manifest: ended_early, window
# end before trigger + post), answers the waiting client, exits 0.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/daemon.bash"

start_daemon --pre 1s --post 60s --comm dm_ticker
bg "$PROGS/dm_ticker" tick 20 20 >/dev/null
sleep 1
"$FLIGHTREC" trigger --socket "$SOCK" --reason "before shutdown" >"$TMP/t.out" 2>"$TMP/t.err" &
client=$!
sleep 1.5
stop_daemon
wait $client
expect_eq $? 0 "the waiting client got its bundle"
b=$(cat "$TMP/t.out")
[ -f "$b" ] || fail "bundle $b not written"
expect_eq "$(bundle_path 1)" "$b" "announced on stdout"
manifest "$b"
tar -xOf "$b" manifest.json >"$TMP/manifest.json"
jqe '.capture.ended_early == true' "$TMP/manifest.json" "ended_early in the manifest"
t=$(trig_ns)
jqe ".window.end_ns > $t + 1000000000 and .window.end_ns < $t + 10000000000" "$TMP/insp.json" \
	"the window ends at the shutdown"
events_json "$b"
jqe "map(select(.type == \"syscall\" and .name == \"write\" and .ts_ns > $t + 1000000000)) | length >= 10" \
	"$TMP/ev.json" "what was recorded after the trigger until the shutdown is in"
exit 0
