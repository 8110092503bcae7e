#!/bin/bash
# `flightrec export --pcapng` on a real recording: a TCP client and server
# over loopback (tests/progs/cap_tcp.c) recorded with `flightrec record`;
# tshark reassembles both directions of the connection and gets exactly
# the bytes the programs sent (five ping/pong rounds, then a 100000-byte
# message, larger than one IP packet, and its answer).
. "$(dirname "$0")/lib.sh"
need_bpf
need_cmd tshark python3

"$FLIGHTREC" record -q -o "$TMP/t.frb" -- "$PROGS/cap_tcp" 5 >"$TMP/rec.out" 2>"$TMP/rec.err" ||
	fail "record exited $? ($(cat "$TMP/rec.err"))"
read -r _ port _ cport _ <"$TMP/rec.out"
[ -n "$port" ] && [ -n "$cport" ] || fail "cap_tcp printed no ports: $(cat "$TMP/rec.out")"
"$FLIGHTREC" export "$TMP/t.frb" --pcapng "$TMP/t.pcapng" 2>"$TMP/err" ||
	fail "export failed: $(cat "$TMP/err")"
expect_grep '^flightrec: export: [0-9]+ packets, 100081 payload bytes, 1 flows' "$TMP/err" \
	"every payload byte exported once"
tshark -r "$TMP/t.pcapng" -q -z follow,tcp,raw,0 >"$TMP/follow" 2>"$TMP/tshark.err" ||
	fail "tshark could not read the capture: $(cat "$TMP/tshark.err")"
python3 - "$TMP/follow" "$port" "$cport" <<'PY' || fail "the reassembled streams differ from what the programs sent"
import sys
lines = [l.rstrip("\n") for l in open(sys.argv[1])]
port, cport = sys.argv[2], sys.argv[3]
node0 = [l for l in lines if l.startswith("Node 0: ")][0]
node1 = [l for l in lines if l.startswith("Node 1: ")][0]
# tshark prints node 0's data flush left and node 1's after a tab
ends = {node0[len("Node 0: "):], node1[len("Node 1: "):]}
assert ends == {"127.0.0.1:" + cport, "127.0.0.1:" + port}, (node0, node1, port, cport)
body = lines[lines.index(node1) + 1:]
first = b"".join(bytes.fromhex(l) for l in body if l and not l.startswith(("\t", "=")))
second = b"".join(bytes.fromhex(l.strip()) for l in body if l.startswith("\t"))
client, server = (first, second) if node0.endswith(":" + cport) else (second, first)
big = bytes((ord("a") + i % 26) for i in range(100000))
want_c = b"".join(b"ping %d\n" % i for i in range(5)) + big
want_s = b"".join(b"pong %d\n" % i for i in range(5)) + b"got 100000\n"
assert client == want_c, (len(client), client[:80])
assert server == want_s, (len(server), server[:80])
PY
# no packet is malformed in Wireshark's eyes
tshark -r "$TMP/t.pcapng" -Y '_ws.malformed || _ws.expert.severity >= "error"' >"$TMP/bad" 2>"$TMP/terr" ||
	fail "tshark could not filter the capture: $(cat "$TMP/terr")"
[ -s "$TMP/bad" ] && { cat "$TMP/bad" >&2; fail "Wireshark finds malformed packets"; }
exit 0
