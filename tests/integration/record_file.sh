#!/bin/bash
# A file written, then read with read() and mmap() (tests/progs/cap_file.c):
# paths of open, the bytes written and read, the descriptors resolved to the
# file's inode with their positions, and the mapping in the process table.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

f="$TMP/data.bin"
rec "$TMP/t.frb" "$PROGS/cap_file" "$f" || fail "record exited $? ($(cat "$TMP/rec.err"))"
sum=$(awk '{print $4}' "$TMP/rec.out")
expect_eq "$sum" "$(od -An -v -tu1 "$f" | tr -s ' ' '\n' | awk 'NF {s += $1} END {print s}')" "sum printed"
events_json "$TMP/t.frb"
manifest "$TMP/t.frb"
expect_no_losses
ino=$(stat -c %i "$f")

jqe "map(select(.type == \"syscall\" and .name == \"openat\" and (.payloads | any(.kind == \"in\" and .data == \"$f\")))) | length == 2" \
	"$TMP/ev.json" "two opens of $f with the path"
jqe "map(select(.type == \"syscall\" and .name == \"write\" and .ret == 12388))[0] | (.payloads | map(select(.kind == \"fdinfo\"))[0].fdinfo | .type == \"file\" and .ino == $ino and .pos == 0)" \
	"$TMP/ev.json" "the write on the file's inode at position 0"
head -c 5000 "$f" >"$TMP/expect"
jq -s -j "map(select(.type == \"syscall\" and .name == \"read\" and .ret == 5000 and (.payloads | any(.kind == \"fdinfo\" and .fdinfo.ino == $ino))))[0].payloads | map(select(.kind == \"out\"))[0].data" \
	"$TMP/ev.json" >"$TMP/got"
cmp -s "$TMP/expect" "$TMP/got" || fail "the bytes of read() differ from the file"
jqe "map(select(.type == \"syscall\" and .name == \"mmap\" and .args[1] == 12388))[0] | .ret > 0 and (.payloads | any(.kind == \"fdinfo\" and .fdinfo.ino == $ino and .fdinfo.pos == 5000))" \
	"$TMP/ev.json" "mmap of the file (fd resolved, position after the read)"
jqe 'map(select(.type == "syscall" and .name == "munmap" and .args[1] == 12388)) | length == 1' "$TMP/ev.json" "munmap"
exit 0
