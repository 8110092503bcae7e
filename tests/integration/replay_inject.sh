#!/bin/bash
# An injected delay shows in the program's own timing: rp_readtime prints
# how long each read took by its clock, which replay moves by the delay.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay_lib.inc"
need_bpf
need_ptrace

printf '0123456789abcdef0123456789abcdefXYZ' | record "$TMP/rt.frb" "$PROGS/rp_readtime" 16
expect_grep "^read 1: 16 bytes in 0 ms" "$TMP/rt.frb.out" "recorded timing"
replay "$TMP/rt.frb"
expect_identical "$TMP/rt.frb" "rp_readtime"

# The dynamic loader's read of libc is read #1: the program's first read
# of stdin is #2, as strace counts.
start=$(date +%s%N)
replay "$TMP/rt.frb" --inject=read:delay_enter=500ms:when=2
end=$(date +%s%N)
expect_eq "$REPLAY_RC" 3 "delayed read: exit status (the timing line differs)"
# (its own arithmetic may round the 500.x ms up by one)
expect_grep "^read 1: 16 bytes in 50[0-9] ms" "$TMP/rt.frb.rep" "the program sees the delay"
expect_grep "expected: write\(1.*\"read 1: 16 bytes in 0 ms" "$TMP/rt.frb.err" "report: recorded line"
[ $(( (end - start) / 1000000 )) -ge 500 ] || fail "the delay was not waited"

# --no-sleep: the clock moves, the replayer does not wait.
replay "$TMP/rt.frb" --inject=read:delay_enter=2s:when=2 --no-sleep
expect_grep "^read 1: 16 bytes in 200[0-9] ms" "$TMP/rt.frb.rep" "--no-sleep: the program sees the delay"

# JSON: the injection is counted, the divergence described.
"$FLIGHTREC" replay --json "$TMP/rt.frb" --inject=read:delay_enter=100ms:when=3 --no-sleep \
	> "$TMP/rt.json" 2> /dev/null < /dev/null
python3 - "$TMP/rt.json" <<'PY' || fail "JSON result of an injected replay"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["completed"] is False, r
assert r["divergences"] == 1, r
assert r["injections"] == 1, r
d = r["first_divergence"]
assert d["kind"] in ("data", "arguments"), d
import re
assert re.search(r"read 2: 16 bytes in 10[0-9] ms", d["actual"]), d
assert d["after_injection"] is None, d  # a delay changes no result
assert r["recorded_exit"] == 0, r
PY
exit 0
