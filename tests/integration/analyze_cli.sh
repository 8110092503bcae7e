#!/bin/bash
# `flightrec analyze` as a command: usage errors, hostile files, the text and
# JSON reports on the fixture bundles, colour only on a terminal.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.."
need_cmd python3

out=$TMP/out err=$TMP/err

"$FLIGHTREC" analyze --help > "$out" 2> "$err"
expect_eq $? 0 "--help exit status"
expect_grep '^usage: flightrec analyze FILE' "$out" "--help"
expect_grep '--focus SPEC' "$out" "--help"

"$FLIGHTREC" analyze > "$out" 2> "$err"
expect_eq $? 2 "no file: exit status"
expect_grep '^flightrec: analyze: no bundle given' "$err" "no file message"

for bad in "--top 0" "--top x" "--focus bogus" "--focus pid:0" "--focus window:3-1" "--min-slow soon" "--frobnicate"; do
	# shellcheck disable=SC2086
	"$FLIGHTREC" analyze $bad tests/fixtures/echo.frb > "$out" 2> "$err"
	expect_eq $? 2 "'$bad': exit status"
	expect_grep '^flightrec: analyze: ' "$err" "'$bad': message"
	[ -s "$out" ] && fail "'$bad': printed a report"
done

# the picture options write their files (pictures_fixtures.sh checks what
# is in them)
for opt in --dot --svg --html; do
	"$FLIGHTREC" analyze "$opt" "$TMP/x" tests/fixtures/echo.frb > "$out" 2> "$err"
	expect_eq $? 0 "$opt: exit status"
	[ -s "$TMP/x" ] || fail "$opt: no output file"
	rm -f "$TMP/x"
done

"$FLIGHTREC" analyze /nonexistent/x.frb > "$out" 2> "$err"
expect_eq $? 1 "missing file: exit status"
expect_grep '^flightrec: analyze: /nonexistent/x.frb: ' "$err" "missing file message"

head -c 100000 /dev/urandom > "$TMP/junk.frb"
"$FLIGHTREC" analyze "$TMP/junk.frb" > "$out" 2> "$err"
expect_eq $? 1 "junk file: exit status"
expect_grep "^flightrec: analyze: $TMP/junk.frb: " "$err" "junk file message"

# a truncated real bundle fails cleanly too
size=$(stat -c %s tests/fixtures/basic.frb)
head -c $((size / 2)) tests/fixtures/basic.frb > "$TMP/half.frb"
"$FLIGHTREC" analyze "$TMP/half.frb" > "$out" 2> "$err"
rc=$?
[ $rc = 1 ] || fail "truncated bundle: exit status $rc, expected 1"

# the text report of the fixture: an OOM kill and a fatal signal
"$FLIGHTREC" analyze tests/fixtures/basic.frb > "$out" 2> "$err"
expect_eq $? 0 "basic.frb: exit status"
expect_grep '^tests/fixtures/basic.frb$' "$out" "header"
expect_grep '^1\. oom-kill: PID 103 \(batch\) killed by the OOM killer' "$out" "OOM incident"
expect_grep 'losses: 3 ring_full' "$out" "losses"
expect_no_grep $'\033\\[' "$out" "colour when not on a terminal"

# JSON: one object, the schema's fields, both bundles when given two
"$FLIGHTREC" analyze --json tests/fixtures/basic.frb tests/fixtures/echo.frb > "$out" 2> "$err"
expect_eq $? 0 "--json exit status"
python3 - "$out" <<'PY' || fail "--json: not the expected object"
import json, sys
r = json.load(open(sys.argv[1]))
assert [b["file"] for b in r["bundles"]] == ["tests/fixtures/basic.frb", "tests/fixtures/echo.frb"]
assert r["incidents"][0]["kind"] == "oom-kill"
assert all(i["bundle"] == "tests/fixtures/basic.frb" for i in r["incidents"])
PY
python3 tests/integration/analyze_check.py schema "$out" || fail "--json: schema"

# a focus that matches nothing says so (and is not a failure)
"$FLIGHTREC" analyze --focus pid:99999 tests/fixtures/basic.frb > "$out" 2> "$err"
expect_eq $? 0 "unmatched --focus: exit status"
expect_grep '^flightrec: analyze: tests/fixtures/basic.frb: no recorded thread matches --focus pid:99999$' "$err" \
	"unmatched --focus message"
expect_grep '^No incident found' "$out" "unmatched --focus report"

# colour on a terminal, unless NO_COLOR
if command -v script >/dev/null 2>&1; then
	script -qec "$FLIGHTREC analyze tests/fixtures/basic.frb" /dev/null > "$out" 2>&1
	expect_grep $'\033\\[1m' "$out" "colour on a terminal"
	NO_COLOR=1 script -qec "$FLIGHTREC analyze tests/fixtures/basic.frb" /dev/null > "$out" 2>&1
	expect_no_grep $'\033\\[' "$out" "NO_COLOR"
fi
exit 0
