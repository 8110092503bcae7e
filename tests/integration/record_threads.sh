#!/bin/bash
# A multi-threaded program (tests/progs/cap_threads.c: 4 threads passing a
# token through a mutex and condition variable): thread creation, each
# thread's own syscalls and name, futex waits and wakes between threads,
# and the threads in the process table.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

rec "$TMP/t.frb" "$PROGS/cap_threads" 4 || fail "record exited $? ($(cat "$TMP/rec.err"))"
expect_grep '^done 80$' "$TMP/rec.out" "the program's result"
events_json "$TMP/t.frb"
manifest "$TMP/t.frb"
expect_no_losses
proctab "$TMP/t.frb"

pid=$(jq -s -r 'map(select(.type == "exec"))[0].pid' "$TMP/ev.json")
jqe "map(select(.type == \"fork\" and .pid == $pid and .thread and .child_pid == $pid)) | length == 4" \
	"$TMP/ev.json" "four thread creations"
for i in 0 1 2 3; do
	tid=$(awk -v i=$i '$1 == "thread" && $2 == i {print $4}' "$TMP/rec.out")
	[ -n "$tid" ] || fail "thread $i did not print its tid"
	jqe "map(select(.type == \"fork\" and .child_tid == $tid)) | length == 1" "$TMP/ev.json" "creation of thread $tid"
	jqe "map(select(.type == \"syscall\" and .tid == $tid and .pid == $pid and .name == \"write\"))[0].payloads | map(select(.kind == \"in\"))[0].data == \"thread $i tid $tid\n\"" \
		"$TMP/ev.json" "write of thread $tid"
	jqe "map(select(.type == \"comm\" and .tid == $tid))[0].new_comm == \"worker-$i\"" "$TMP/ev.json" \
		"thread $tid renamed worker-$i"
	jqe ".processes | map(select(.pid == $pid))[0].threads | map(select(.tid == $tid))[0].comm == \"worker-$i\"" \
		"$TMP/proc.json" "thread $tid in the process table"
	# the clone return in the new thread is recorded without its entry
	jqe "map(select(.type == \"syscall\" and .tid == $tid))[0] | .no_enter and .ret == 0" "$TMP/ev.json" \
		"thread $tid starts with the return of clone"
done
jqe "map(select(.type == \"syscall\" and .pid == $pid and .name == \"futex\")) | length >= 4" "$TMP/ev.json" \
	"futex calls between the threads"
# a futex wake by one thread wakes another: the waker is a task of the process
jqe "map(select(.type == \"sched_wakeup\" and .pid == $pid and .target_pid == $pid and .tid != .target_tid and .ctx == \"task\" and .waking)) | length >= 1" \
	"$TMP/ev.json" "a thread woken by another thread"
exit 0
