#!/bin/bash
# Time read through the vDSO (tests/progs/cap_clock.c: clock_gettime in a
# loop, gettimeofday, time): the recorder patches the vDSO of each exec'd
# process so these become system calls, which are recorded with their
# values; the values are monotonic and the last one is what the program
# printed.
. "$(dirname "$0")/lib.sh"
need_bpf
need_ptrace
need_cmd python3
. "$(dirname "$0")/record.bash"

rec "$TMP/t.frb" "$PROGS/cap_clock" 1000 || fail "record exited $? ($(cat "$TMP/rec.err"))"
expect_grep '^monotonic yes$' "$TMP/rec.out" "the program saw monotonic time"
read -r _ sec nsec < <(grep '^last ' "$TMP/rec.out")
read -r _ tvsec tvusec < <(grep '^tv ' "$TMP/rec.out")
read -r _ t < <(grep '^time ' "$TMP/rec.out")
events_json "$TMP/t.frb"
manifest "$TMP/t.frb"
expect_no_losses
jqe '.capture.vdso.patched == true and .capture.vdso.failures == 0' "$TMP/insp.json" "vDSO patched"

pid=$(jq -s -r 'map(select(.type == "exec"))[0].pid' "$TMP/ev.json")
# CLOCK_MONOTONIC calls of the program, in order: their timespec outputs
jq -s -r "map(select(.type == \"syscall\" and .pid == $pid and .name == \"clock_gettime\" and .args[0] == 1))
	| map(.payloads | map(select(.kind == \"out\"))[0].data.hex) | .[]" "$TMP/ev.json" >"$TMP/ts.hex"
n=$(wc -l <"$TMP/ts.hex")
[ "$n" -ge 1000 ] || fail "$n clock_gettime(CLOCK_MONOTONIC) calls recorded, expected at least 1000"
# decode the 16-byte little-endian timespecs
python3 -c '
import sys, struct
for line in sys.stdin:
    s, ns = struct.unpack("<qq", bytes.fromhex(line.strip()))
    print(s, ns)' <"$TMP/ts.hex" >"$TMP/ts" || fail "cannot decode the timespecs"
awk 'NR > 1 && ($1 < ps || ($1 == ps && $2 < pns)) {bad = 1} {ps = $1; pns = $2} END {exit bad}' "$TMP/ts" ||
	fail "recorded clock values go back in time"
expect_eq "$(tail -1 "$TMP/ts")" "$sec $nsec" "last recorded value is the one printed"
jqe "map(select(.type == \"syscall\" and .pid == $pid and .name == \"gettimeofday\")) | length == 1" "$TMP/ev.json" \
	"gettimeofday recorded"
jqe "map(select(.type == \"syscall\" and .pid == $pid and .name == \"time\"))[0].ret == $t" "$TMP/ev.json" \
	"time() recorded with its value"
jqe "map(select(.type == \"syscall\" and .pid == $pid and .name == \"gettimeofday\"))[0].decoded[0] | test(\"tv_sec=$tvsec, tv_usec=$tvusec\")" \
	"$TMP/ev.json" "gettimeofday value"
exit 0
