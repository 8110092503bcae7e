#!/bin/bash
# A client that timed out at 750 ms against a server that answered at
# 800 ms, both recorded in one bundle, succeeds when replayed with its
# timeout at 1500 ms (its argument, or its environment): the server's
# recorded answer arrives in time on the virtual clock.  The server is
# not running: the answer is the recording's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay_lib.inc"
. "$(dirname "$0")/whatif_lib.inc"
need_bpf
need_ptrace
need_cmd python3

record_pair "$TMP/slow.frb" 800 750
expect_eq "$RECORDED_RC" 1 "recorded client: exit status"
expect_grep "^wi_tcp: timed out after [0-9]+ ms" "$TMP/slow.frb.log" "recorded client: its message"

# Strict replay reproduces the timeout.
replay "$TMP/slow.frb" --pid "$CLIENT_PID"
expect_eq "$REPLAY_RC" 0 "strict replay: exit status"
expect_grep "^wi_tcp: timed out after [0-9]+ ms" "$TMP/slow.frb.err" "strict replay: the client's message"

# --set-arg: argv[3] is the client's timeout.
start=$(date +%s%N)
replay "$TMP/slow.frb" --pid "$CLIENT_PID" --set-arg 3=1500
end=$(date +%s%N)
expect_eq "$REPLAY_RC" 3 "--set-arg: exit status (the path left the recording)"
expect_eq "$(cat "$TMP/slow.frb.rep")" "answer: the answer is 42" "--set-arg: the client's output"
expect_no_grep "timed out" "$TMP/slow.frb.err" "--set-arg: no timeout"
expect_grep 'changed: argv\[3\] "1500" \(recorded "750"\)' "$TMP/slow.frb.err" "report: the change"
expect_grep "replay diverged from the recording \(arguments\)" "$TMP/slow.frb.err" \
	"report: where the path left the recording"
expect_grep "poll\(\[\{fd=3, events=POLLIN\}\], 1, 1500\) = 1" "$TMP/slow.frb.err" \
	"report: the poll with the new timeout, answered ready"
expect_grep "summary: with argv\[3\] \"1500\" \(recorded \"750\"\): the poll time limit is 1500 ms \(recorded 750 ms\); the data recorded from wi_tcp \(pid [0-9]+\) at \+[0-9]+\.[0-9] ms arrives in time; exit 0 instead of 1" \
	"$TMP/slow.frb.err" "report: the summary says why"
# The wait is virtual: replaying takes far less than the 800 ms waited.
[ $(( (end - start) / 1000000 )) -lt 700 ] || fail "the replay waited in real time"

# --set-env: WI_TIMEOUT_MS overrides the argument; the same story, as JSON.
"$FLIGHTREC" replay --json "$TMP/slow.frb" --pid "$CLIENT_PID" --set-env WI_TIMEOUT_MS=1500 \
	> "$TMP/env.json" 2> "$TMP/env.err" < /dev/null
expect_eq "$?" 3 "--set-env: exit status"
expect_grep "^answer: the answer is 42" "$TMP/env.err" "--set-env: the client's output (on stderr with --json)"
json_check "$TMP/env.json" '
w = r["what_if"]
assert r["completed"] is False and r["divergences"] == 1, r
assert r["first_divergence"]["kind"] == "arguments", r["first_divergence"]
assert w["switched"] is True, w
assert w["changes"] == ["WI_TIMEOUT_MS=1500 (not set in the recording)"], w["changes"]
assert w["outcome"]["replayed_exit"] == 0 and w["outcome"]["recorded_exit"] == 1, w["outcome"]
assert r["replayed_exit"] == 0 and r["recorded_exit"] == 1, r
# the last poll waits for the answer (the first may be for the greeting)
polls = [e for e in w["events"] if e["syscall"] == "poll"]
assert polls and polls[-1]["how"] == "model", polls
waited = polls[-1]["t_ms"] - polls[-1]["enter_ms"]
# (the server slept 800 ms in the recording, longer on a loaded machine)
assert 780 <= waited <= 1450, ("the poll waited for the recorded answer", waited)
reads = [e for e in w["events"] if e["syscall"] == "read"]
assert reads and "the answer is 42" in reads[-1]["call"], reads
assert "recorded from wi_tcp" in reads[-1]["detail"], reads[-1]
# (malloc asks for random bytes the recorded client never asked for)
assert all(e["syscall"] == "getrandom" for e in w["events"] if e["how"] == "unanswered"), w["events"]
assert "arrives in time; exit 0 instead of 1" in w["summary"], w["summary"]
'

# A timeout still too short: the recorded answer comes after it.
replay "$TMP/slow.frb" --pid "$CLIENT_PID" --set-arg 3=780
expect_eq "$REPLAY_RC" 3 "--set-arg 3=780: exit status"
expect_grep "^wi_tcp: timed out after 780 ms" "$TMP/slow.frb.err" "--set-arg 3=780: the client still times out"
expect_grep "summary: .*is due at .*after the time limit.*exit 1, as recorded" "$TMP/slow.frb.err" \
	"--set-arg 3=780: the summary"

# Changing nothing that matters: the program follows the recording.
replay "$TMP/slow.frb" --pid "$CLIENT_PID" --set-env UNUSED_BY_THE_CLIENT=1
expect_eq "$REPLAY_RC" 0 "an unused variable: exit status"
expect_grep "summary: .*the program follows the recording to its end \(exit 1, as recorded\)" \
	"$TMP/slow.frb.err" "an unused variable: the summary"
exit 0
