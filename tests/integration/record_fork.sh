#!/bin/bash
# A process tree (tests/progs/cap_forktree.c: 2 children, 2 grandchildren
# each): every descendant is recorded, with its fork event, its writes, its
# exit status, and its place in the process table.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

rec "$TMP/t.frb" "$PROGS/cap_forktree" 2 2 || fail "record exited $? ($(cat "$TMP/rec.err"))"
expect_eq "$(wc -l <"$TMP/rec.out")" 7 "seven nodes printed"
events_json "$TMP/t.frb"
manifest "$TMP/t.frb"
expect_no_losses
proctab "$TMP/t.frb"

root=$(awk '$2 == 0 {print $5}' "$TMP/rec.out")
# the pids the program printed are the recorded ones
for pid in $(awk '{print $5}' "$TMP/rec.out"); do
	ppid=$(awk -v p="$pid" '$5 == p {print $7}' "$TMP/rec.out")
	level=$(awk -v p="$pid" '$5 == p {print $2}' "$TMP/rec.out")
	jqe "map(select(.type == \"syscall\" and .name == \"write\" and .pid == $pid and (.payloads | map(select(.kind == \"in\"))[0].data | startswith(\"node $level \")))) | length == 1" \
		"$TMP/ev.json" "write of process $pid"
	if [ "$pid" != "$root" ]; then
		jqe "map(select(.type == \"fork\" and .child_pid == $pid and .pid == $ppid and (.thread | not))) | length == 1" \
			"$TMP/ev.json" "fork of $pid by $ppid"
		jqe "map(select(.type == \"exit\" and .pid == $pid and .group_dead))[0].exit_code == $((10 + level))" \
			"$TMP/ev.json" "exit status of $pid"
		jqe ".processes | map(select(.pid == $pid))[0] | .ppid == $ppid and .exit_status == $(((10 + level) * 256)) and (.root | not) and .start_ns > 0" \
			"$TMP/proc.json" "process table entry of $pid"
	fi
done
jqe "map(select(.type == \"exit\" and .pid == $root and .group_dead))[0].exit_code == 0" "$TMP/ev.json" "root exit 0"
jqe '.processes | length == 7' "$TMP/proc.json" "seven processes in the table"
jqe ".processes | map(select(.root)) | map(.pid) == [$root]" "$TMP/proc.json" "the root is flagged"
# children start after their parents' fork event and the tree's processes
# all wait for theirs: wait4 calls returned each child's pid
jqe "map(select(.type == \"syscall\" and .name == \"wait4\" and .ret > 0)) | length == 6" "$TMP/ev.json" \
	"six successful wait4"
exit 0
