#!/bin/bash
# `flightrec export --pcapng`: tshark reads the capture and reassembles
# exactly the bytes the programs sent, in both directions.
. "$(dirname "$0")/lib.sh"
need_cmd tshark python3

"$FLIGHTREC" export tests/fixtures/tcp.frb --pcapng "$TMP/tcp.pcapng" 2>"$TMP/err" ||
	{ cat "$TMP/err"; fail "export failed"; }
expect_grep "6 packets, 87 payload bytes, 1 flows" "$TMP/err" "export summary"
tshark -r "$TMP/tcp.pcapng" -q -z follow,tcp,raw,0 >"$TMP/follow" 2>/dev/null ||
	fail "tshark could not read the capture"
python3 - "$TMP/follow" <<'PY' || fail "reassembled stream differs"
import sys
lines = [l.rstrip("\n") for l in open(sys.argv[1])]
body = lines[lines.index("Node 1: 127.0.0.1:8080") + 1:]
client = b"".join(bytes.fromhex(l) for l in body if l and not l.startswith(("\t", "=")))
server = b"".join(bytes.fromhex(l.strip()) for l in body if l.startswith("\t"))
assert client == b"GET /orders/42 HTTP/1.1\r\nHost: db\r\n\r\n", client
assert server == b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world", server
PY
# Wireshark's own dissection agrees: one HTTP request and its response
tshark -r "$TMP/tcp.pcapng" -Y http -T fields -e http.request.uri -e http.response.code \
	2>/dev/null >"$TMP/http"
expect_grep "^/orders/42" "$TMP/http" "HTTP request"
expect_grep "200" "$TMP/http" "HTTP response"

# no partial output on failure, and the usual usage errors
# it holds the bundle's payloads: private, whatever the umask
expect_eq "$(stat -c %a "$TMP/tcp.pcapng")" 600 "the pcapng's mode"
"$FLIGHTREC" export tests/fixtures/tcp.frb --pcapng /nonexistent-dir/x.pcapng 2>/dev/null
expect_eq $? 1 "export to an unwritable place"
"$FLIGHTREC" export tests/fixtures/tcp.frb >/dev/null 2>&1
expect_eq $? 2 "export without a format"
exit 0
