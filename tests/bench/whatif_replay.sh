#!/bin/bash
# What-if replay against strict replay on the same bundles (median of 5,
# bundle loading and program start included):
#  - dd copying a file in 64-byte blocks: strict replay; what-if replay
#    that changes nothing (what the model and the hooks cost); what-if
#    replay that leaves the recording at dd's first read (bs=32: every
#    call is then answered by the model), per call against strict replay;
#  - the wi_tcp client and server of the tests: strict replay of the
#    timeout, and what-if replay with a longer timeout (the 800 ms wait for
#    the recorded answer is virtual).
# Needs root and a build with `flightrec record`.  Prints figures; asserts
# nothing.
set -u
BUILD=${BUILD:-build}
FLIGHTREC=${FLIGHTREC:-$BUILD/flightrec}
PROGS=${PROGS:-$BUILD/progs}
if [ "$(id -u)" != 0 ] || ! "$FLIGHTREC" record --help >/dev/null 2>&1; then
	echo "what-if replay: skipped (needs root and a build with 'flightrec record')"
	exit 0
fi
make -s "$PROGS/wi_tcp" >/dev/null || exit 1
TMP=$(mktemp -d /tmp/frbench-whatif.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# time5 OUTFILE CMD...: the median wall time of 5 runs, in ms
time5() {
	local out=$1 i t0; shift
	for i in 1 2 3 4 5; do
		t0=$(ms); "$@" > /dev/null 2>&1 < /dev/null; echo $(( $(ms) - t0 ))
	done | median > "$out"
}
# json FIELD-EXPRESSION BUNDLE ARGS...: a figure from a --json replay
json() {
	local expr=$1; shift
	"$FLIGHTREC" replay --json "$@" 2>/dev/null < /dev/null |
		python3 -c "import json,sys; r=json.load(sys.stdin); print($expr)"
}

N=100000
head -c $((64 * N)) /dev/urandom > "$TMP/data"
"$FLIGHTREC" record -q -o "$TMP/dd.frb" -- dd if="$TMP/data" of=/dev/null bs=64 count=$N \
	> /dev/null 2>&1 < /dev/null || { echo "  dd: recording failed"; exit 1; }
calls=$(json 'r["syscalls_recorded"]' "$TMP/dd.frb")
time5 "$TMP/strict" "$FLIGHTREC" replay "$TMP/dd.frb"
time5 "$TMP/same" "$FLIGHTREC" replay "$TMP/dd.frb" --what-if
time5 "$TMP/model" "$FLIGHTREC" replay "$TMP/dd.frb" --set-arg 3=bs=32
mcalls=$(json 'r["what_if"]["calls"]' "$TMP/dd.frb" --set-arg 3=bs=32)
munans=$(json 'r["what_if"]["unanswered"]' "$TMP/dd.frb" --set-arg 3=bs=32)
awk -v s="$(cat "$TMP/strict")" -v w="$(cat "$TMP/same")" -v m="$(cat "$TMP/model")" \
    -v c="$calls" -v mc="$mcalls" -v mu="$munans" -v n="$N" 'BEGIN {
	printf "what-if replay against strict replay (median of 5, load and start included):\n"
	printf "  %-42s %7.0f ms  (%d calls, %.2f us per call)\n", "dd " n " x 64 B, strict replay", s, c, s * 1000 / c
	printf "  %-42s %7.0f ms  (%.2fx strict: the model built, unused)\n", "dd, --what-if, nothing changed", w, w / s
	printf "  %-42s %7.0f ms  (%d calls after the switch, %d unanswered;\n", "dd, --set-arg 3=bs=32 (model throughout)", m, mc, mu
	printf "  %-42s %7s     %.2f us per call: %.2fx strict per call)\n", "", "", m * 1000 / mc, (m / mc) / (s / c)
}'

# The client and server of the tests, in one bundle.
for try in 1 2 3; do
	port=$((20000 + RANDOM % 30000))
	cat > "$TMP/pair.sh" <<EOS
#!/bin/sh
"$PROGS/wi_tcp" server $port 800 &
"$PROGS/wi_tcp" client $port 750
wait
EOS
	"$FLIGHTREC" record -q -o "$TMP/tcp.frb" -- sh "$TMP/pair.sh" > /dev/null 2> "$TMP/tcp.log" < /dev/null
	grep -q "wi_tcp: server" "$TMP/tcp.log" || break
done
pid=$("$FLIGHTREC" inspect --json "$TMP/tcp.frb" | python3 -c '
import json, sys
print(next(p["pid"] for p in json.load(sys.stdin)["processes"]["top"] if p["argv"][1:2] == ["client"]))')
time5 "$TMP/tstrict" "$FLIGHTREC" replay "$TMP/tcp.frb" --pid "$pid"
time5 "$TMP/twhatif" "$FLIGHTREC" replay "$TMP/tcp.frb" --pid "$pid" --set-arg 3=1500
awk -v s="$(cat "$TMP/tstrict")" -v w="$(cat "$TMP/twhatif")" 'BEGIN {
	printf "  %-42s %7.0f ms\n", "wi_tcp client, strict replay (times out)", s
	printf "  %-42s %7.0f ms  (%.2fx strict; its 800 ms wait is virtual)\n", "wi_tcp client, --set-arg 3=1500", w, (s > 0 ? w / s : 0)
}'
exit 0
