#!/bin/bash
# make demo, checked: demo/run.sh tells the whole story on this machine and
# what it prints is what happened.  A checkout timed out; the rule wrote a
# bundle; the analysis names the failed request, db's write in memory
# reclaim on its critical path and batch, with the pid the demo started it
# with, as the culprit; the HTML and SVG reports exist; the replay of the
# failed checkout matched the recording and printed the same timeout; with
# the timeout raised (what-if replay) the order is confirmed.  Nothing the
# demo made is left behind.
. "$(dirname "$0")/lib.sh"
need_bpf
need_ptrace
need_cmd jq
[ -d /sys/fs/cgroup/memory ] || [ -f /sys/fs/cgroup/cgroup.controllers ] ||
	skip_or_fail REQUIRE_BPF "no memory cgroup controller"
cd "$(dirname "$0")/../.."
BIN=$(dirname "$PROGS")/demo
[ -x "$BIN/checkout" ] || fail "$BIN/checkout is missing (make)"

OUT=$TMP/out
NO_COLOR=1 FLIGHTREC="$FLIGHTREC" DEMO_BIN="$BIN" DEMO_OUT="$OUT" timeout 300 demo/run.sh \
	>"$TMP/demo.out" 2>"$TMP/demo.err"
rc=$?
if [ $rc != 0 ]; then
	tail -30 "$TMP/demo.out" >&2
	cat "$TMP/demo.err" >&2
	fail "demo/run.sh exited $rc"
fi
L=$TMP/demo.out

# the steps, each announced by one line
for n in 1 2 3 4 5 6; do
	expect_grep "^== $n\. " "$L" "step $n"
done

# step 2: the system, and the failure
expect_grep '^   db \(pid [0-9]+\) listens on 127\.0\.0\.1:[0-9]+' "$L" "db started"
batch=$(sed -n 's/^   batch (pid \([0-9]*\)) starts.*/\1/p' "$L")
[ -n "$batch" ] || fail "the demo does not say batch's pid"
line=$(grep -E '^   checkout: order [0-9]+: timeout after 750 ms waiting for db \(checkout pid [0-9]+, exit 1\)$' "$L")
[ -n "$line" ] || fail "no checkout timed out"
order=$(sed 's/^   checkout: order \([0-9]*\):.*/\1/' <<<"$line")
co=$(sed 's/.*checkout pid \([0-9]*\),.*/\1/' <<<"$line")
expect_grep "^   checkout: order [0-9]+: OK order [0-9]+ stored" "$L" "orders confirmed before the pressure"

# step 3: the rule fired for that checkout, and the bundle is there
expect_grep "^== 3\. .*exit-nonzero,comm=checkout: checkout\[$co\] exited with status 1" "$L" \
	"the trigger names the failed checkout"
bundle=$(ls "$OUT"/flightrec-*-rule.frb 2>/dev/null | head -1)
[ -s "$bundle" ] || fail "no bundle in $OUT"
grep -qF "$bundle" "$L" || fail "the demo does not print the bundle's path"

# step 4: the analysis as printed
sed -n '/^== 4\./,/^== 5\./p' "$L" >"$TMP/report"
expect_grep "^   [0-9]\. timeout: poll\(\) on tcp 127\.0\.0\.1:[0-9]+->127\.0\.0\.1:[0-9]+ timed out after 75[0-9]\.[0-9] ms, then exited with status 1" \
	"$TMP/report" "the failed request is an incident"
expect_grep "checkout $co gave up: its poll\(\) on tcp [^ ]+ timed out after 75[0-9]\.[0-9] ms and it exited with status 1 because batch $batch filled the memory cgroup" \
	"$TMP/report" "the failed checkout's summary names batch and its pid"
expect_grep "memory-reclaim +batch $batch " "$TMP/report" "the root cause: memory-reclaim, culprit batch $batch"
expect_grep "db [0-9]+ +blocked +memory-reclaim +via tcp; write\(\) on [^ ]*/orders\.db, due to batch $batch" \
	"$TMP/report" "the critical path goes through db's write in reclaim"
# the same, from the bundle, as JSON: the path starts on checkout and
# reaches db through the connection
"$FLIGHTREC" analyze --json -q "$bundle" >"$TMP/report.json" || fail "analyze --json"
jq -e --argjson co "$co" --argjson b "$batch" '
	[.incidents[] | select(.kind == "timeout" and .thread.pid == $co)][0] as $i
	| $i != null
	and ($i.root_causes[0].category == "memory-reclaim")
	and ($i.root_causes[0].culprits[0].pid == $b)
	and ($i.root_causes[0].culprits[0].comm == "batch")
	and ($i.critical_path[0].comm == "checkout")
	and ([$i.critical_path[] | select(.comm == "db" and .via == "tcp" and .category == "memory-reclaim")] | length > 0)
	and ($i.exit_status == 1)' "$TMP/report.json" >/dev/null ||
	fail "analyze --json: the timeout incident of checkout $co is not explained by batch $batch through db"
html=$(sed -n 's/^   HTML report: //p' "$L")
svg=$(sed -n 's/^   causal graph (SVG): //p' "$L")
[ -s "$html" ] && [ -s "$svg" ] || fail "the HTML report ($html) or the SVG graph ($svg) is missing"
grep -q "batch $batch" "$html" || fail "the HTML report does not name batch $batch"
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$svg" ||
	fail "the SVG graph is not XML"
grep -q "batch" "$svg" || fail "the SVG graph does not show batch"

# step 5: the replay reproduced the timeout, alone
sed -n '/^== 5\./,/^== [6T]/p' "$L" >"$TMP/replay"
expect_grep "^   \\\$ flightrec replay [^ ]+ --pid $co$" "$TMP/replay" "the failed checkout is replayed"
expect_grep "^   \| checkout: order $order: timeout after 750 ms waiting for db$" "$TMP/replay" \
	"the replay printed the same timeout"
expect_grep "^   replay: matched the recording \(exit 0\): checkout exited 1 \(recorded: 1\)" "$TMP/replay" \
	"the replay matched the recording"

# step 6: with a longer timeout, the order goes through
sed -n '/^== 6\./,/^== T/p' "$L" >"$TMP/whatif"
expect_grep "^   \| checkout: order $order: OK order $order stored$" "$TMP/whatif" \
	"the what-if replay confirms the order"
expect_grep "^   what-if replay: checkout exited 0 \(recorded: 1\)" "$TMP/whatif" \
	"the what-if replay's outcome"

# clean: the demo's temporary directory (named in the report's paths), its
# cgroup, its loop device and mount are gone
tmpd=$(grep -o '/tmp/flightrec-demo\.[A-Za-z0-9]*' "$L" | head -1)
[ -n "$tmpd" ] || fail "cannot tell the demo's temporary directory from its output"
[ ! -e "$tmpd" ] || fail "left behind: $tmpd"
cg=$(grep -o 'cgroup v[12] [^ ]*' "$L" | head -1 | cut -d' ' -f3)
[ -n "$cg" ] || fail "the demo does not say which cgroup it made"
[ ! -e "$cg" ] || fail "cgroup left behind: $cg"
! losetup -a | grep -qF "$tmpd" || fail "a loop device is left behind: $(losetup -a | grep -F "$tmpd")"
! grep -qF "$tmpd" /proc/mounts || fail "a mount is left behind under $tmpd"
exit 0
