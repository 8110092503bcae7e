#!/bin/bash
# The trigger socket is root's: created mode 0600, so a plain non-root user
# cannot even connect (and is told so); a non-root process that can reach the
# file anyway (CAP_DAC_OVERRIDE) is refused by the daemon after checking its
# credentials (SO_PEERCRED), and is told so too.  Neither writes a bundle;
# root's trigger then does.
. "$(dirname "$0")/lib.sh"
need_bpf
need_cmd setpriv
. "$(dirname "$0")/daemon.bash"

chmod 755 "$TMP"
start_daemon --pre 1s --post 200ms --cooldown 0
expect_eq "$(stat -c '%a %U' "$SOCK")" "600 root" "socket mode and owner"

setpriv --reuid=65534 --regid=65534 --clear-groups "$FLIGHTREC" trigger --socket "$SOCK" \
	>"$TMP/u.out" 2>"$TMP/u.err"
expect_eq $? 1 "non-root trigger fails"
grep -q "^flightrec: trigger: .*: permission denied: only root may trigger a bundle" "$TMP/u.err" ||
	fail "non-root is told: $(cat "$TMP/u.err")"

setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+dac_override \
	--ambient-caps=+dac_override "$FLIGHTREC" trigger --socket "$SOCK" >"$TMP/c.out" 2>"$TMP/c.err"
expect_eq $? 1 "non-root trigger with CAP_DAC_OVERRIDE fails"
grep -q "^flightrec: trigger: refused: permission denied: only root may trigger a bundle (you are uid 65534)" \
	"$TMP/c.err" || fail "the daemon tells the peer why: $(cat "$TMP/c.err")"
grep -q "refused a trigger from uid 65534" "$TMP/d.err" || fail "the daemon logs the refusal"
sleep 0.5
expect_eq "$(wc -l <"$TMP/d.out")" 0 "no bundle from non-root"

"$FLIGHTREC" trigger --socket "$SOCK" >"$TMP/r.out" || fail "root's trigger failed"
wait_bundles 1
expect_eq "$(cat "$TMP/r.out")" "$(bundle_path 1)" "root gets the bundle"
stop_daemon
exit 0
