#!/bin/bash
# Major page faults (tests/progs/cap_majfault.c: a file dropped from the page
# cache, mapped without readahead, every 4th page touched): each fault that
# read its page from the disk is recorded as a major user fault, with its
# address in the mapping and the time it blocked; their number matches the
# process's own major fault count.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

dir=$TMP
if [ "$(stat -f -c %T "$TMP")" = tmpfs ]; then
	# page cache of tmpfs cannot be dropped: use the build tree's disk
	dir=$(mktemp -d "$PROGS/../majfault.XXXXXX") || fail "mktemp"
	trap 'rm -rf "$TMP" "$dir"' EXIT
fi
rec "$TMP/t.frb" "$PROGS/cap_majfault" "$dir/data.bin" 256 || fail "record exited $? ($(cat "$TMP/rec.err"))"
majflt=$(awk '$1 == "majflt" {print $2}' "$TMP/rec.out")
[ "$majflt" -ge 16 ] || skip "the kernel reported only $majflt major faults (the file stayed cached?)"
events_json "$TMP/t.frb"
manifest "$TMP/t.frb"
expect_no_losses
pid=$(jq -s -r 'map(select(.type == "exec"))[0].pid' "$TMP/ev.json")
mm=$(jq -s -r "map(select(.type == \"syscall\" and .pid == $pid and .name == \"mmap\" and .args[1] == 1048576))[0].ret" "$TMP/ev.json")
[ -n "$mm" ] && [ "$mm" != null ] || fail "the mmap of the file is not recorded"

n=$(jq -s "map(select(.type == \"page_fault\" and .pid == $pid and .major and .user and .address >= $mm and .address < $mm + 1048576)) | length" "$TMP/ev.json")
# every major fault in the mapping is recorded; a fault the kernel counts as
# major without blocking is recorded too (with no duration), so the counts match
[ "$n" -eq "$majflt" ] || fail "$n major faults recorded in the mapping, the process counted $majflt"
jqe "map(select(.type == \"page_fault\" and .pid == $pid and .address >= $mm and .address < $mm + 1048576)) | map(select(.duration_ns > 0)) | length >= $((majflt / 2))" \
	"$TMP/ev.json" "most faults blocked for a measurable time"
jqe "map(select(.type == \"page_fault\" and .pid == $pid and .address >= $mm and .address < $mm + 1048576)) | all((.address - $mm) % 16384 < 4096 and (.write | not))" \
	"$TMP/ev.json" "faults on every 4th page, reads"
# the disk reads behind them, charged to the process
jqe "map(select(.type == \"block_complete\" and .pid == $pid)) | length >= $((majflt / 2))" "$TMP/ev.json" \
	"block I/O completions charged to the faulting process"
exit 0
