#!/bin/bash
# The pictures of the recorded scenario bundles (tests/fixtures/analyze):
# for each scenario of scenarios.txt, with --focus on the victim:
#  - the DOT parses back with Graphviz's own reader (gvpr, cgraph) and names
#    the victim and the culprit in their roles, with the path's hops as
#    woken edges (test_graph.c checks every hop against the path itself);
#  - the SVG is well-formed XML whose text shows both names;
#  - the HTML loads in headless Chromium without a console message or a
#    request for anything outside the page, its DOM holds the incident, the
#    graph and the timeline, and its screenshot is not blank.
# Needs no root: this is what a laptop without eBPF checks.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.."
need_cmd python3 gvpr chromium
DIR=tests/fixtures/analyze
PNG=tests/integration/pictures_png.py

# chromium_run OUTPUT_OPTION PAGE LOG: headless, offline, a fresh profile
chromium_run() {
	local prof
	prof=$(mktemp -d "$TMP/chromium.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --no-default-browser-check \
		--user-data-dir="$prof" --enable-logging=stderr --v=0 --window-size=1280,2400 \
		"$1" "file://$(realpath "$2")" 2>"$3"
}

# console messages, failed loads: none allowed
check_log() {
	if grep -E ':CONSOLE|ERR_|Failed to load|net::' "$1" | grep -v 'dbus' >"$TMP/bad.log"; then
		cat "$TMP/bad.log" >&2
		fail "$2: Chromium reported console messages or failed loads"
	fi
}

# The check catches a page with a script error (it is not a check that
# cannot fail).
printf '<!DOCTYPE html><html><body><p>x</p><script>notAFunction();</script></body></html>\n' >"$TMP/bad.html"
chromium_run --screenshot="$TMP/bad.png" "$TMP/bad.html" "$TMP/bad.err"
grep -q 'CONSOLE.*notAFunction' "$TMP/bad.err" || fail "Chromium's console is not visible in its log: cannot check pages"

have=0
while read -r name victim category culprit _; do
	case "$name" in ''|'#'*) continue ;; esac
	[ -f "$DIR/$name.frb" ] || continue
	have=$((have + 1))
	out="$TMP/$name"
	"$FLIGHTREC" analyze "$DIR/$name.frb" --focus "comm:$victim" --top 1 \
		--dot "$out.dot" --svg "$out.svg" --html "$out.html" >"$out.txt" 2>"$out.err" ||
		fail "$name: analyze with pictures failed: $(cat "$out.err")"
	expect_grep "$culprit" "$out.txt" "$name: the report still goes to stdout"
	# the same bundle gives the same DOT and SVG each time (every incident,
	# so that the clusters' order is checked too)
	for k in 1 2 3; do
		"$FLIGHTREC" analyze -q "$DIR/$name.frb" --dot "$out.all$k.dot" --svg "$out.all$k.svg" >/dev/null ||
			fail "$name: analyze --dot --svg failed"
	done
	cmp -s "$out.all1.dot" "$out.all2.dot" && cmp -s "$out.all1.dot" "$out.all3.dot" ||
		fail "$name: the DOT differs between runs: $(diff "$out.all1.dot" "$out.all2.dot" | head -3)"
	cmp -s "$out.all1.svg" "$out.all2.svg" && cmp -s "$out.all1.svg" "$out.all3.svg" ||
		fail "$name: the SVG differs between runs"

	# DOT, read by cgraph through gvpr: the roles and the hops
	gvpr 'N[fr_role != ""]{print($.fr_role, " ", $.fr_comm)} E[fr_kind == "woken"]{print("hop ", $.tail.fr_tid, " ", $.head.fr_tid)}' \
		"$out.dot" >"$out.roles" 2>"$out.gvpr" || fail "$name: gvpr cannot read the DOT: $(cat "$out.gvpr")"
	expect_grep "^victim(,culprit)? $victim\$" "$out.roles" "$name: victim in the DOT"
	expect_grep "culprit $culprit\$" "$out.roles" "$name: culprit in the DOT"
	# the culprit's own time (running, sleeping) is reached by a hop; CPU
	# holders and memory hogs are pointed at, not walked through
	case "$category" in
	running|sleep|lock|ipc) [ "$victim" = "$culprit" ] ||
		expect_grep "^hop " "$out.roles" "$name: the path's hops in the DOT" ;;
	esac

	# SVG: XML, with the names as text
	python3 - "$out.svg" "$victim" "$culprit" <<'PY' || fail "$name: bad SVG"
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
svg = doc.documentElement
assert svg.tagName == "svg", svg.tagName
texts = " ".join(t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild)
for name in sys.argv[2:]:
    assert name in texts, (name, texts[:400])
assert len(doc.getElementsByTagName("path")) >= 2, "no edges drawn"
PY

	# HTML in Chromium: the DOM, then a screenshot
	chromium_run --dump-dom "$out.html" "$out.dom.err" >"$out.dom" ||
		fail "$name: Chromium could not load the page"
	check_log "$out.dom.err" "$name"
	expect_grep 'id="incident-1"' "$out.dom" "$name: the incident in the DOM"
	expect_grep 'id="flightrec_g1"' "$out.dom" "$name: the graph in the DOM"
	expect_grep 'id="timeline1"' "$out.dom" "$name: the timeline in the DOM"
	expect_grep "$culprit" "$out.dom" "$name: the culprit in the DOM"
	chromium_run --screenshot="$out.png" "$out.html" "$out.shot.err"
	check_log "$out.shot.err" "$name"
	[ -s "$out.png" ] || fail "$name: no screenshot"
	read -r colours inked < <(python3 "$PNG" colors "$out.png") || fail "$name: cannot read the screenshot"
	[ "$colours" -ge 16 ] || fail "$name: the screenshot has $colours colours: blank?"
	python3 -c "import sys; sys.exit(0 if float('$inked') >= 0.03 else 1)" ||
		fail "$name: only a fraction $inked of the screenshot is not background"
done <"$DIR/scenarios.txt"
[ "$have" = 0 ] && skip "no recorded scenario bundles in $DIR"

# the usage rules of the picture options
"$FLIGHTREC" analyze "$DIR/lock.frb" "$DIR/lock.frb" --dot "$TMP/x.dot" >/dev/null 2>&1
expect_eq $? 2 "pictures of two bundles"
"$FLIGHTREC" analyze "$DIR/lock.frb" --dot - --svg - >/dev/null 2>&1
expect_eq $? 2 "two pictures to stdout"
"$FLIGHTREC" analyze "$DIR/lock.frb" --json --dot - >/dev/null 2>&1
expect_eq $? 2 "JSON and a picture on stdout"
"$FLIGHTREC" analyze "$DIR/lock.frb" --svg /nonexistent-dir/x.svg >/dev/null 2>"$TMP/err"
expect_eq $? 1 "a picture to an unwritable place"
expect_grep '^flightrec: analyze: --svg /nonexistent-dir/x.svg: ' "$TMP/err" "error message"
"$FLIGHTREC" analyze "$DIR/lock.frb" --dot - 2>/dev/null | head -1 | grep -q '^digraph' ||
	fail "--dot - writes the graph to stdout"
ls -A /nonexistent-dir 2>/dev/null && fail "a partial file was left"
exit 0
