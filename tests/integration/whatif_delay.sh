#!/bin/bash
# The same client, recorded against a server fast enough (300 ms), times
# out when its reads are delayed by 500 ms: the greeting is read 500 ms
# late, so the request goes out 500 ms late (and the program itself
# started 500 ms late: the dynamic loader's read is delayed too), and the
# server's answer, which answers that request, comes after the deadline.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay_lib.inc"
. "$(dirname "$0")/whatif_lib.inc"
need_bpf
need_ptrace
need_cmd python3

record_pair "$TMP/fast.frb" 300 750
expect_eq "$RECORDED_RC" 0 "recorded client: exit status"
expect_grep "^answer: the answer is 42" "$TMP/fast.frb.out" "recorded client: its answer"

replay "$TMP/fast.frb" --pid "$CLIENT_PID"
expect_identical "$TMP/fast.frb" "strict replay of the fast exchange"

replay "$TMP/fast.frb" --pid "$CLIENT_PID" --inject=read:delay_enter=500ms --no-sleep
expect_eq "$REPLAY_RC" 3 "delayed reads: exit status"
expect_grep "^wi_tcp: timed out after 750 ms" "$TMP/fast.frb.err" "delayed reads: the client times out"
[ -s "$TMP/fast.frb.rep" ] && fail "delayed reads: no answer on stdout"
expect_grep "changed: read delayed by 500 ms at entry \(--inject=read:delay_enter=500ms\)" \
	"$TMP/fast.frb.err" "report: the change"
expect_grep "poll\(.*\) = 0 \(Timeout\)" "$TMP/fast.frb.err" "report: the poll times out"
expect_grep "summary: with read delayed by 500 ms at entry.*the data recorded from wi_tcp \(pid [0-9]+\) at \+[0-9]+\.[0-9] ms is due at \+[0-9]+\.[0-9] ms \(1000\.[0-9] ms later than recorded: it answers what the program sent later\), after the time limit.*exit 1 instead of 0" \
	"$TMP/fast.frb.err" "report: the summary says why"

"$FLIGHTREC" replay --json "$TMP/fast.frb" --pid "$CLIENT_PID" \
	--inject=read:delay_enter=500ms --no-sleep > "$TMP/d.json" 2> /dev/null < /dev/null
json_check "$TMP/d.json" '
w = r["what_if"]
assert w["outcome"]["replayed_exit"] == 1 and w["outcome"]["recorded_exit"] == 0, w["outcome"]
polls = [e for e in w["events"] if e["syscall"] == "poll"]
assert polls and polls[-1]["call"].endswith("= 0 (Timeout)"), polls
# the deadline, 750 ms after connecting on the virtual clock: its first
# read took 500 ms, so about 250 ms were left, and the poll waited them
import re
p = polls[-1]
limit = int(re.match(r"poll\(\[\{fd=3, events=POLLIN\}\], 1, (\d+)\)", p["call"]).group(1))
assert 240 <= limit <= 250, p
assert abs(p["t_ms"] - p["enter_ms"] - limit) < 2, p
assert r["injections"] >= 2, r
'

# A delay the exchange absorbs (100 ms) changes nothing that matters.
replay "$TMP/fast.frb" --pid "$CLIENT_PID" --inject=read:delay_enter=100ms:when=2 --no-sleep
expect_eq "$(cat "$TMP/fast.frb.rep")" "answer: the answer is 42" "a 100 ms delay: still answered"
expect_grep "summary: .*exit 0, as recorded" "$TMP/fast.frb.err" "a 100 ms delay: the summary"
exit 0
