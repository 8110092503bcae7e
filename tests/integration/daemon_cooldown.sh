#!/bin/bash
# A trigger storm: 40 processes exit non-zero in quick succession under
# --trigger-on exit-nonzero and --cooldown 30s: one bundle, 39 triggers
# suppressed (counted at exit, logged, the ones during the bundle listed in
# its manifest); a socket trigger within the cooldown is refused with the
# reason, and SIGUSR1 too.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/daemon.bash"

# recording only dm_exit: the storm's exits must not be lost among the
# events of whatever else runs on the machine (a loss would hide a trigger)
start_daemon --pre 1s --post 2s --cooldown 30s --comm dm_exit --trigger-on 'exit-nonzero,comm=dm_exit'
for i in $(seq 40); do "$PROGS/dm_exit" 1 0; done
wait_bundles 1
sleep 1
expect_eq "$(wc -l <"$TMP/d.out")" 1 "one bundle for the storm"
b=$(bundle_path 1)
manifest "$b"
jqe '.capture.suppressed_triggers | length >= 30 and all(.kind == "rule" and (.why | startswith("a bundle is being written")))' \
	"$TMP/insp.json" "the storm's triggers during the bundle are listed ($(jq '.capture.suppressed_triggers | length' "$TMP/insp.json"))"
grep -q "trigger suppressed: a bundle is being written" "$TMP/d.err" || fail "suppressed triggers are logged"
# the log is rate-limited: not one line per trigger
[ "$(grep -c 'trigger suppressed' "$TMP/d.err")" -lt 10 ] || fail "the log is not rate-limited"

"$FLIGHTREC" trigger --socket "$SOCK" --reason storm >"$TMP/t.out" 2>"$TMP/t.err"
expect_eq $? 1 "flightrec trigger within the cooldown fails"
grep -q "suppressed by the daemon: cooldown" "$TMP/t.err" || fail "the client is told why: $(cat "$TMP/t.err")"
kill -USR1 "$DPID"
sleep 1
expect_eq "$(wc -l <"$TMP/d.out")" 1 "still one bundle"
stop_daemon
grep -q "1 bundles written, 0 failed, 41 triggers suppressed" "$TMP/d.err" ||
	fail "39 rule triggers + socket + SIGUSR1 suppressed: $(tail -1 "$TMP/d.err")"
exit 0
