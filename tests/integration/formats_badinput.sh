#!/bin/bash
# Bad input to inspect and events: a clear "flightrec: FILE: why" and exit 1,
# never a crash, a hang or a usage error.
. "$(dirname "$0")/lib.sh"

fixture=tests/fixtures/basic.frb
[ -f "$fixture" ] || fail "missing $fixture"

check_bad() { # FILE WHAT-PATTERN
	local f=$1 pat=$2 cmd rc
	for cmd in inspect events; do
		timeout 60 "$FLIGHTREC" $cmd "$f" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		[ $rc -eq 1 ] || { cat "$TMP/err"; fail "$cmd $f: exit $rc, expected 1"; }
		expect_grep "^flightrec: $(printf '%s' "$f" | sed 's/[][\.*^$/]/\\&/g'): .*$pat" "$TMP/err" "$cmd $f message"
		[ "$(wc -l <"$TMP/err")" -le 2 ] || fail "$cmd $f: more than one error line"
	done
}

check_bad /nonexistent.frb "No such file"
check_bad "$TMP" "directory"
: >"$TMP/empty.frb"
check_bad "$TMP/empty.frb" "empty"
echo "just text" >"$TMP/text.frb"
check_bad "$TMP/text.frb" "not a bundle"
head -c 4096 /dev/urandom >"$TMP/random.frb"
check_bad "$TMP/random.frb" "."
(cd "$TMP" && echo hi >f && tar cf plain.tar f)
check_bad "$TMP/plain.tar" "manifest"

# truncations at many lengths: always exit 1 with a message (a cut inside the
# final padding may still be a complete bundle: exit 0 is allowed only there)
size=$(stat -c %s "$fixture")
for n in 1 100 511 512 513 1024 1536 2048 3000 4096 5000 6000 6500 7000 7168 7500; do
	[ $n -lt "$size" ] || continue
	head -c $n "$fixture" >"$TMP/cut.frb"
	"$FLIGHTREC" inspect "$TMP/cut.frb" >/dev/null 2>"$TMP/err"
	rc=$?
	case $rc in
	1) expect_grep "^flightrec: $TMP/cut.frb: " "$TMP/err" "truncated at $n" ;;
	0) tail -c +$((n + 1)) "$fixture" | tr -d '\0' | grep -q . &&
		fail "truncated at $n: accepted though data was cut" ;;
	*) fail "truncated at $n: exit $rc" ;;
	esac
done

# a flipped byte inside an event chunk: inspect reports the checksum, events
# the corrupt chunk
cp "$fixture" "$TMP/flip.frb"
printf '\xff' | dd of="$TMP/flip.frb" bs=1 seek=600 conv=notrunc status=none
"$FLIGHTREC" inspect "$TMP/flip.frb" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 1 ] || fail "inspect of a corrupted bundle did not fail"
expect_grep "^flightrec: $TMP/flip.frb: " "$TMP/err" "corrupted bundle message"

# usage errors exit 2
"$FLIGHTREC" inspect >/dev/null 2>&1; expect_eq $? 2 "inspect without a file"
"$FLIGHTREC" events --type nosuchtype "$fixture" >/dev/null 2>"$TMP/err"; expect_eq $? 2 "unknown --type"
expect_grep "unknown event type 'nosuchtype'" "$TMP/err" "unknown --type message"
"$FLIGHTREC" events --since banana "$fixture" >/dev/null 2>&1; expect_eq $? 2 "bad --since"
"$FLIGHTREC" nosuchcommand >/dev/null 2>&1; expect_eq $? 2 "unknown command"
exit 0
