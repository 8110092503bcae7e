#!/bin/bash
# Message calls (tests/progs/cap_msg.c over UDP on loopback): sendmsg and
# recvmsg with two iovecs (data flattened in iovec order, the addresses,
# the msghdr itself), sendmmsg and recvmmsg of three datagrams (per message
# its data and address, and the array of headers).
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

rec "$TMP/t.frb" "$PROGS/cap_msg" || fail "record exited $? ($(cat "$TMP/rec.err"))"
read -r _ pa pb <"$TMP/rec.out"
expect_grep '^recvmsg 11 hello world$' "$TMP/rec.out" "the program's result"
events_json "$TMP/t.frb"
manifest "$TMP/t.frb"
expect_no_losses

# parts: 3i data, 3i+1 name, 255 the structure itself (bpf/fr_events.h)
item() { # NAME KIND PART -> data of the payload item (JSON)
	jq -s -c --arg n "$1" --arg k "$2" --argjson p "$3" \
		'map(select(.type == "syscall" and .name == $n))[0].payloads | map(select(.kind == $k and .part == $p))[0].data' \
		"$TMP/ev.json"
}
expect_eq "$(item sendmsg in 0)" '"hello world"' "sendmsg data, both iovecs"
expect_eq "$(item recvmsg out 0)" '"hello world"' "recvmsg data, both iovecs"
jqe 'map(select(.type == "syscall" and .name == "sendmsg"))[0].payloads | map(select(.kind == "in" and .part == 255))[0].len == 56' \
	"$TMP/ev.json" "sendmsg's msghdr itself"
jqe "map(select(.type == \"syscall\" and .name == \"recvmsg\"))[0].decoded[1] | test(\"htons\\\\($pa\\\\)\")" \
	"$TMP/ev.json" "recvmsg's sender address"
jqe 'map(select(.type == "syscall" and .name == "sendmmsg"))[0] | .ret == 3 and (.payloads | map(select(.kind == "in" and .part == 255))[0].len == 192)' \
	"$TMP/ev.json" "sendmmsg's array of 3 headers"
i=0
for w in one two! three; do
	expect_eq "$(item sendmmsg in $((3 * i)))" "\"$w\"" "sendmmsg message $i"
	expect_eq "$(item recvmmsg out $((3 * i)))" "\"$w\"" "recvmmsg message $i"
	jqe "map(select(.type == \"syscall\" and .name == \"recvmmsg\"))[0].payloads | map(select(.kind == \"out\" and .part == $((3 * i + 1))))[0].len == 16" \
		"$TMP/ev.json" "recvmmsg message $i's sender address"
	i=$((i + 1))
done
jqe 'map(select(.type == "syscall" and .name == "recvmmsg"))[0] | .ret == 3 and (.payloads | map(select(.kind == "out" and .part == 255))[0].len == 192) and (.payloads | map(select(.part == 9)) | length == 0)' \
	"$TMP/ev.json" "recvmmsg: 3 headers, no fourth message"
jqe "map(select(.type == \"syscall\" and .name == \"recvmmsg\"))[0].details | test(\"htons\\\\($pa\\\\)\") and test(\"three\")" \
	"$TMP/ev.json" "the text line shows the messages"
exit 0
