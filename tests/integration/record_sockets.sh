#!/bin/bash
# Socket descriptors resolved to their 4-tuple, IPv4 and IPv6: a TCP
# connection over loopback inside one process (tests/progs/cap_sockstorm.c),
# N writes on one end and N reads on the other.  Every write and read has an
# fdinfo of type socket whose tuple names the loopback address of its family
# on both sides and the ports of its own end (the writer's local port is the
# reader's remote port and the other way round), and the bytes each read
# returned are the bytes the matching write passed (each buffer starts with
# its iteration number).
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

N=20
for fam in 4 6; do
	if [ $fam = 6 ]; then
		addr='::1' family=AF_INET6
		if ! "$PROGS/cap_sockstorm" 1 64 6 >/dev/null 2>&1; then
			echo "note: no IPv6 loopback here, IPv6 not checked" >&2
			continue
		fi
	else
		addr=127.0.0.1 family=AF_INET
	fi
	rec "$TMP/s$fam.frb" "$PROGS/cap_sockstorm" $N 64 $fam || fail "record exited $? ($(cat "$TMP/rec.err"))"
	grep -q "^storm $((2 * N)) 64 " "$TMP/rec.out" || fail "cap_sockstorm: $(cat "$TMP/rec.out")"
	events_json "$TMP/s$fam.frb"
	manifest "$TMP/s$fam.frb"
	expect_no_losses
	# the loop's calls: 64-byte writes and reads on sockets
	jq -c -s 'map(select(.type == "syscall" and (.name == "write" or .name == "read") and .ret == 64
		and (.payloads | any(.kind == "fdinfo" and .fdinfo.type == "socket"))))' "$TMP/ev.json" >"$TMP/calls.json"
	jqe "map(select(.name == \"write\")) | length == $N" "$TMP/calls.json" "IPv$fam: $N writes recorded on a socket"
	jqe "map(select(.name == \"read\")) | length == $N" "$TMP/calls.json" "IPv$fam: $N reads recorded on a socket"
	jqe "map(.payloads[] | select(.kind == \"fdinfo\") | .fdinfo.tuple) |
		all(.family == \"$family\" and .protocol == 6 and .sport > 0 and .dport > 0 and
		    (.local | startswith(\"$( [ $fam = 6 ] && echo '[::1]' || echo 127.0.0.1):\")) and
		    (.remote | startswith(\"$( [ $fam = 6 ] && echo '[::1]' || echo 127.0.0.1):\")))" \
		"$TMP/calls.json" "IPv$fam: every tuple is $addr on both sides"
	# the two ends: one tuple for all writes, its mirror for all reads
	jqe 'def t(n): map(select(.name == n) | .payloads[] | select(.kind == "fdinfo") | .fdinfo.tuple | [.sport, .dport]) | unique;
		(t("write") | length == 1) and (t("read") | length == 1) and t("write")[0] == (t("read")[0] | reverse)' \
		"$TMP/calls.json" "IPv$fam: the reader's ports mirror the writer's"
	# the bytes: write i passed, read i returned, i in the first 8 bytes
	jq -r 'map(select(.name == "write") | .payloads[] | select(.kind == "in") | .data.hex) | .[]' \
		"$TMP/calls.json" >"$TMP/w.hex"
	jq -r 'map(select(.name == "read") | .payloads[] | select(.kind == "out") | .data.hex) | .[]' \
		"$TMP/calls.json" >"$TMP/r.hex"
	cmp -s "$TMP/w.hex" "$TMP/r.hex" || fail "IPv$fam: the bytes read differ from the bytes written"
	[ "$(sed -n 6p "$TMP/w.hex" | cut -c1-16)" = 0500000000000000 ] ||
		fail "IPv$fam: write 5 did not carry its iteration number: $(sed -n 6p "$TMP/w.hex")"
	[ "$(sort -u "$TMP/w.hex" | wc -l)" = $N ] || fail "IPv$fam: the $N buffers are not distinct"
done
exit 0
