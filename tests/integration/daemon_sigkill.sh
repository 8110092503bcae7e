#!/bin/bash
# SIGKILL of the daemon in the middle of writing a bundle (during its --post
# window, its temporary file open): nothing appears under a bundle's final
# name; the next daemon on the same --out removes the leftover temporary
# file and says so.  Retention (--max-bundles 2) then keeps the two newest
# of our bundles and never touches other files.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/daemon.bash"

start_daemon --pre 1s --post 6s --cooldown 0 --comm dm_ticker
bg "$PROGS/dm_ticker" tick 20 20 >/dev/null
"$FLIGHTREC" trigger --socket "$SOCK" --no-wait >"$TMP/path" || fail "trigger --no-wait failed"
final=$(cat "$TMP/path")
case $final in "$OUT"/flightrec-*-socket.frb) ;; *) fail "unexpected bundle path '$final'" ;; esac
for i in $(seq 50); do
	ls "$OUT"/.flightrec-*.frb.tmp-* >/dev/null 2>&1 && break
	sleep 0.1
done
tmpf=$(ls "$OUT"/.flightrec-*.frb.tmp-* 2>/dev/null)
[ -n "$tmpf" ] || fail "no temporary file while the bundle is being written"
sleep 1
kill -KILL "$DPID"
wait "$DPID" 2>/dev/null
DPID=
[ ! -e "$final" ] || fail "a bundle appeared under its final name: $final"
ls "$OUT"/*.frb >/dev/null 2>&1 && fail "a bundle appeared: $(ls "$OUT")"
[ -e "$tmpf" ] || fail "the temporary file of the killed daemon vanished by itself"
rm -f "$SOCK" # a killed daemon leaves its socket file

# a new daemon cleans up; then retention
echo keep >"$OUT/notes.txt"
touch "$OUT/flightrec-other.frb"
start_daemon --pre 500ms --post 200ms --cooldown 0 --max-bundles 2
[ ! -e "$tmpf" ] || fail "the leftover temporary file was not removed"
grep -q "removed 1 unfinished bundle" "$TMP/d.err" || fail "the removal is reported"
for i in 1 2 3 4; do
	"$FLIGHTREC" trigger --socket "$SOCK" --reason "r$i" >/dev/null || fail "trigger $i failed"
	sleep 0.05
done
wait_bundles 4
sleep 0.5
expect_eq "$(ls "$OUT" | grep -c '^flightrec-2.*\.frb$')" 2 "two of our bundles kept"
[ -e "$(bundle_path 3)" ] && [ -e "$(bundle_path 4)" ] || fail "the two newest are kept: $(ls "$OUT")"
[ ! -e "$(bundle_path 1)" ] && [ ! -e "$(bundle_path 2)" ] || fail "the two oldest are deleted"
[ -e "$OUT/notes.txt" ] && [ -e "$OUT/flightrec-other.frb" ] || fail "retention touched other files"
stop_daemon
exit 0
