#!/bin/bash
# The analysis of the recorded scenario bundles kept in tests/fixtures/analyze
# (recorded by analyze_record.sh with UPDATE_FIXTURES=1): for each scenario
# of scenarios.txt, the top root cause's category and culprit, with --focus
# on the victim and among the incidents found without help.  Needs no root:
# this is what a laptop without eBPF checks.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.."
need_cmd python3
DIR=tests/fixtures/analyze
CHECK=tests/integration/analyze_check.py

have=0 missing=""
while read -r name victim category culprit _; do
	case "$name" in ''|'#'*) continue ;; esac
	if [ ! -f "$DIR/$name.frb" ]; then
		missing="$missing $name"
		continue
	fi
	have=$((have + 1))
	"$FLIGHTREC" analyze --json --focus "comm:$victim" "$DIR/$name.frb" > "$TMP/$name.focus.json" 2> "$TMP/err" ||
		fail "$name: analyze --focus failed: $(cat "$TMP/err")"
	python3 "$CHECK" focus "$TMP/$name.focus.json" "$category" "$culprit" ||
		fail "$name: with --focus comm:$victim, the top root cause is not $category / $culprit"
	python3 "$CHECK" schema "$TMP/$name.focus.json" || fail "$name: schema"
	"$FLIGHTREC" analyze --json --top 20 "$DIR/$name.frb" > "$TMP/$name.auto.json" 2> "$TMP/err" ||
		fail "$name: analyze failed: $(cat "$TMP/err")"
	python3 "$CHECK" any "$TMP/$name.auto.json" "$victim" "$category" "$culprit" ||
		fail "$name: no incident of $victim found without --focus has the top root cause $category / $culprit"
	# and the text report says it in words
	"$FLIGHTREC" analyze --focus "comm:$victim" "$DIR/$name.frb" > "$TMP/$name.txt" 2> "$TMP/err" ||
		fail "$name: text report failed"
	expect_grep "$culprit" "$TMP/$name.txt" "$name: text report names the culprit"
done < "$DIR/scenarios.txt"

[ "$have" = 0 ] && skip "no recorded scenario bundles in $DIR yet (record them with UPDATE_FIXTURES=1 tests/integration/analyze_record.sh)"
[ -n "$missing" ] && fail "scenario bundles missing from $DIR:$missing"
exit 0
