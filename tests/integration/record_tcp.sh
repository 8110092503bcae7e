#!/bin/bash
# A TCP client and server over loopback (tests/progs/cap_tcp.c): the
# 4-tuples of the sockets are resolved on every read and write and match
# between the two sides, the bytes the client wrote are the bytes the
# server read (including a 100000-byte message captured in pieces), and the
# connection's state changes are recorded.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

rec "$TMP/t.frb" "$PROGS/cap_tcp" 5 || fail "record exited $? ($(cat "$TMP/rec.err"))"
read -r _ port _ cport _ sport <"$TMP/rec.out"
[ -n "$port" ] && [ -n "$cport" ] || fail "cap_tcp printed no ports: $(cat "$TMP/rec.out")"
expect_eq "$sport" "$port" "server port"
events_json "$TMP/t.frb"
manifest "$TMP/t.frb"
expect_no_losses

# data a side moved on the connection, concatenated: KIND (in/out) of the
# calls whose fd had local port LP and remote port RP
flow() {
	jq -s -r --argjson lp "$1" --argjson rp "$2" --arg kind "$3" '
		map(select(.type == "syscall" and .ret > 0 and
			(.payloads | any(.kind == "fdinfo" and .fdinfo.tuple.sport == $lp and .fdinfo.tuple.dport == $rp))))
		| map(.payloads | map(select(.kind == $kind and .arg == 1)) | .[0].data // "")
		| join("")' "$TMP/ev.json"
}
flow "$cport" "$port" in >"$TMP/c2s"
flow "$port" "$cport" out >"$TMP/s.read"
flow "$port" "$cport" in >"$TMP/s2c"
flow "$cport" "$port" out >"$TMP/c.read"
[ "$(wc -c <"$TMP/c2s")" -gt 100000 ] || fail "client to server: $(wc -c <"$TMP/c2s") bytes captured"
cmp -s "$TMP/c2s" "$TMP/s.read" || fail "bytes written by the client differ from the bytes read by the server"
cmp -s "$TMP/s2c" "$TMP/c.read" || fail "bytes written by the server differ from the bytes read by the client"
grep -q '^ping 4$' "$TMP/c2s" || fail "ping 4 not in the client's data"
grep -q "^got 100000$" "$TMP/s2c" || fail "the server's last answer is not in its data"

# the big message: one sendto with its complete payload
jqe 'map(select(.type == "syscall" and .name == "sendto"))[0] | .ret == 100000 and (.payloads | map(select(.kind == "in"))[0] | .len == 100000 and .full_len == 100000 and (.truncated | not))' \
	"$TMP/ev.json" "100000-byte sendto, complete"

# addresses passed and returned
jqe "map(select(.type == \"syscall\" and .name == \"connect\"))[0] | .ret == 0 and (.decoded[1] | test(\"htons\\\\($port\\\\)\") and test(\"127.0.0.1\"))" \
	"$TMP/ev.json" "connect to 127.0.0.1:$port"
jqe "map(select(.type == \"syscall\" and .name == \"accept\"))[0] | .ret > 0 and (.decoded[1] | test(\"htons\\\\($cport\\\\)\"))" \
	"$TMP/ev.json" "accept returns the client's address"
jqe "map(select(.type == \"syscall\" and .name == \"accept\"))[0].payloads | map(select(.kind == \"out\" and .arg == 1))[0].len == 16" \
	"$TMP/ev.json" "accept's sockaddr captured"

# TCP state changes on both sides, with the right tuples
jqe "map(select(.type == \"tcp_state\" and .newstate == \"LISTEN\" and .tuple.sport == $port)) | length == 1" \
	"$TMP/ev.json" "server socket listens"
jqe "map(select(.type == \"tcp_state\" and .oldstate == \"SYN_SENT\" and .newstate == \"ESTABLISHED\" and .tuple.sport == $cport and .tuple.dport == $port)) | length == 1" \
	"$TMP/ev.json" "client connects"
jqe "map(select(.type == \"tcp_state\" and .newstate == \"ESTABLISHED\" and .tuple.sport == $port and .tuple.dport == $cport)) | length == 1" \
	"$TMP/ev.json" "server side established (softirq, learnt by port)"
jqe "map(select(.type == \"tcp_state\" and .newstate == \"CLOSE\")) | length >= 2" "$TMP/ev.json" "both close"

# a reset: connecting to a port nobody listens on (1)
rec "$TMP/rst.frb" bash -c 'exec 3<>/dev/tcp/127.0.0.1/1'
events_json "$TMP/rst.frb"
# the connect to port 1 (the shell may make others first, to name services)
jq -e -s 'map(select(.type == "syscall" and .name == "connect" and
		((.decoded[1] // "") | test("htons\\(1\\)"))))[0].errno == "ECONNREFUSED"' "$TMP/ev.json" >/dev/null ||
	fail "connect to port 1 not refused; the connects recorded: $(jq -c -s 'map(select(.type == "syscall" and .name == "connect") | [.tid, .ret, .errno, .decoded[1]])' "$TMP/ev.json"); record said: $(cat "$TMP/rec.err")"
jqe 'map(select(.type == "tcp_reset" and .tuple.dport == 1 and .newstate == "SYN_SENT")) | length == 1' \
	"$TMP/ev.json" "the reset received in SYN_SENT"

# retransmits: the first SYNs to a listening port are dropped (nftables)
need_cmd nft python3
python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); c.sendall(c.recv(100)); c.close()' >"$TMP/port" &
srv=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
p=$(cat "$TMP/port")
table=frtest$$
nft add table inet $table && nft add chain inet $table out '{ type filter hook output priority 0; }' &&
	nft add rule inet $table out tcp dport "$p" counter drop || fail "cannot set up nftables"
# the drop is lifted once it has dropped the first SYN and its retransmit
# (counted by the rule), however long the recorder took to start
(for _ in $(seq 300); do
	n=$(nft list table inet $table 2>/dev/null | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
	[ "${n:-0}" -ge 2 ] && break
	sleep 0.1
done; nft delete table inet $table) &
rec "$TMP/rtx.frb" bash -c "exec 3<>/dev/tcp/127.0.0.1/$p; echo hi >&3; read -r x <&3; echo \$x"
rc=$?
nft delete table inet $table 2>/dev/null
wait
[ "$rc" = 0 ] || fail "the client failed ($rc): $(cat "$TMP/rec.err")"
expect_eq "$(cat "$TMP/rec.out")" hi "the echo came back"
events_json "$TMP/rtx.frb"
jqe "map(select(.type == \"tcp_retransmit\" and .tuple.dport == $p)) | length >= 1" "$TMP/ev.json" \
	"SYN retransmitted while dropped"
# the connect to port $p (the shell may make others first, to name services)
jq -e -s --arg port "htons($p)" 'map(select(.type == "syscall" and .name == "connect" and
		((.decoded[1] // "") | contains($port))))[0] | .ret == 0 and .duration_ns > 1000000000' "$TMP/ev.json" >/dev/null ||
	fail "connect to port $p did not take more than a second (the retransmission timeout); the connects recorded: $(jq -c -s 'map(select(.type == "syscall" and .name == "connect") | [.tid, .ret, .errno, .duration_ns, .decoded[1]])' "$TMP/ev.json")"
kill $srv 2>/dev/null
exit 0
