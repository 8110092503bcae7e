#!/bin/bash
# A pipe between two processes (tests/progs/cap_pipe.c: 200000 bytes in
# 10000-byte writes, read in up to 65536-byte reads): both ends resolve to
# the same pipe inode, and the bytes written are the bytes read, complete
# (reads larger than a record travel in pieces).  Also: a shell pipeline
# `echo | cat`.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

rec "$TMP/t.frb" "$PROGS/cap_pipe" 200000 || fail "record exited $? ($(cat "$TMP/rec.err"))"
expect_eq "$(cat "$TMP/rec.out")" "pipe 200000 ok" "the program's result"
events_json "$TMP/t.frb"
manifest "$TMP/t.frb"
expect_no_losses

wpid=$(jq -s -r 'map(select(.type == "exec"))[0].pid' "$TMP/ev.json")
rpid=$(jq -s -r "map(select(.type == \"fork\" and .pid == $wpid))[0].child_pid" "$TMP/ev.json")
[ "$rpid" != null ] || fail "no fork of the reader"
# the pipe, as the writer sees it (the reader also reads one byte from a
# second pipe that tells it to start)
ino=$(jq -s -r "map(select(.type == \"syscall\" and .name == \"write\" and .pid == $wpid and .args[2] == 10000))[0].payloads | map(select(.kind == \"fdinfo\"))[0].fdinfo | select(.type == \"pipe\") | .ino" "$TMP/ev.json")
[ -n "$ino" ] && [ "$ino" != null ] || fail "the writer's fd is not resolved to a pipe"
jqe "map(select(.type == \"syscall\" and .name == \"read\" and .pid == $rpid and .ret > 1)) | length > 0 and all(.payloads | any(.kind == \"fdinfo\" and .fdinfo.type == \"pipe\" and .fdinfo.ino == $ino))" \
	"$TMP/ev.json" "the reader reads the same pipe (inode $ino)"
side() {
	jq -s -r --argjson pid "$1" --arg name "$2" --arg kind "$3" --argjson ino "$ino" '
		map(select(.type == "syscall" and .name == $name and .pid == $pid and .ret > 0 and
			(.payloads | any(.kind == "fdinfo" and .fdinfo.ino == $ino))))
		| map(.payloads | map(select(.kind == $kind and .arg == 1))[0].data) | join("")' "$TMP/ev.json"
}
side "$wpid" write in >"$TMP/w"
side "$rpid" read out >"$TMP/r"
expect_eq "$(wc -c <"$TMP/w")" 200001 "bytes written (plus jq's newline)"
cmp -s "$TMP/w" "$TMP/r" || fail "the bytes read differ from the bytes written"
# the pattern of cap_pipe.c
expect_eq "$(head -c 46 "$TMP/w")" "ABCDEFGHIJKLMNOPQRSTUVWABCDEFGHIJKLMNOPQRSTUVW" "data pattern"
jqe 'map(select(.type == "syscall" and .name == "read" and .ret > 32768)) | length > 0' "$TMP/ev.json" \
	"some reads larger than a piece"

# a shell pipeline
rec "$TMP/sh.frb" sh -c 'echo hello pipe | cat' || fail "record of a shell pipeline failed"
expect_eq "$(cat "$TMP/rec.out")" "hello pipe" "pipeline output"
events_json "$TMP/sh.frb"
jqe 'map(select(.type == "exec")) | map(.argv[0]) | contains(["sh", "cat"])' "$TMP/ev.json" "sh and cat exec'd"
jqe 'map(select(.type == "syscall" and .name == "read" and (.payloads | any(.kind == "out" and .data == "hello pipe\n")))) | length == 1' \
	"$TMP/ev.json" "cat reads what echo wrote"
exit 0
