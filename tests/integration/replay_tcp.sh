#!/bin/bash
# A TCP client replays without its server; injecting ECONNREFUSED into its
# connect shows what it does then (its error message), as a divergence.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay_lib.inc"
need_bpf
need_ptrace

port=$((20000 + RANDOM % 20000))
"$PROGS/rp_tcp" server "$port" > "$TMP/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do grep -q listening "$TMP/server.log" && break; sleep 0.1; done
grep -q listening "$TMP/server.log" || fail "the test server did not start"
record "$TMP/tcp.frb" "$PROGS/rp_tcp" client "$port" "hello from the client"
expect_eq "$RECORDED_RC" 0 "client exit status"
expect_grep "^answer: echo: hello from the client" "$TMP/tcp.frb.out" "recorded answer"
kill $server
wait $server 2>/dev/null

# No server now: the answer comes from the recording.
replay "$TMP/tcp.frb"
expect_identical "$TMP/tcp.frb" "TCP client without its server"

replay "$TMP/tcp.frb" --inject=connect:error=ECONNREFUSED
expect_eq "$REPLAY_RC" 3 "injected ECONNREFUSED: exit status"
expect_grep "^rp_tcp: connect: Connection refused" "$TMP/tcp.frb.err" "the client's own error message"
expect_grep "replay diverged" "$TMP/tcp.frb.err" "divergence report"
expect_grep "expected: write\(3" "$TMP/tcp.frb.err" "report: the recorded call"
expect_grep "actual: +write\(2, \"rp_tcp: connect: Connection refused" "$TMP/tcp.frb.err" \
	"report: the client's first different call"
expect_grep "after the injection connect:error=ECONNREFUSED" "$TMP/tcp.frb.err" "report: the injection"
[ -s "$TMP/tcp.frb.rep" ] && fail "injected run: nothing should reach stdout"
exit 0
