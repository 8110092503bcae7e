#!/bin/bash
# A program sleeping under CPU contention (tests/progs/cap_contend.c: a
# sleeper and two CPU hogs on CPU 0): context switches with the state of
# the task switched out (S when it sleeps, R+ when preempted), wakeups of
# the sleeper by a timer (nanosleep) while a hog was running, and by a task
# (a hog writing into the pipe the sleeper waits on), with the waker's
# identity and context.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

rec "$TMP/t.frb" "$PROGS/cap_contend" 10 || fail "record exited $? ($(cat "$TMP/rec.err"))"
read -r _ hog1 hog2 _ rounds <"$TMP/rec.out"
expect_eq "$rounds" 10 "the program ran"
events_json "$TMP/t.frb"
manifest "$TMP/t.frb"
expect_no_losses
pid=$(jq -s -r 'map(select(.type == "exec"))[0].pid' "$TMP/ev.json")

jqe "map(select(.type == \"syscall\" and .pid == $pid and (.name == \"clock_nanosleep\" or .name == \"nanosleep\"))) | length == 10" \
	"$TMP/ev.json" "ten sleeps"
jqe "map(select(.type == \"sched_switch\" and .prev_tid == $pid and (.prev_state_text | startswith(\"S\")))) | length >= 10" \
	"$TMP/ev.json" "the sleeper switched out sleeping (S) at least ten times"
jqe "map(select(.type == \"sched_switch\" and (.prev_tid == $hog1 or .prev_tid == $hog2) and .prev_state_text == \"R+\")) | length >= 5" \
	"$TMP/ev.json" "the hogs were preempted (R+)"
# (other tasks of the machine share CPU 0 too: at least once, not every time)
jqe "map(select(.type == \"sched_switch\" and (.prev_tid == $hog1 or .prev_tid == $hog2) and .next_tid == $pid)) | length >= 1" \
	"$TMP/ev.json" "a hog gave the CPU to the sleeper"
jqe "map(select(.type == \"sched_wakeup\" and .waking and .target_tid == $pid and .ctx == \"timer\")) | length >= 10" \
	"$TMP/ev.json" "the sleeper woken by its timer"
jqe "map(select(.type == \"sched_wakeup\" and .waking and .target_tid == $pid and .ctx == \"timer\" and (.tid == $hog1 or .tid == $hog2))) | length >= 1" \
	"$TMP/ev.json" "a timer wakeup that interrupted a hog"
jqe "map(select(.type == \"sched_wakeup\" and .waking and .target_tid == $pid and .ctx == \"task\" and .tid == $hog1)) | length >= 1" \
	"$TMP/ev.json" "the sleeper woken by hog $hog1 writing to the pipe"
# waking precedes the switch to the woken task; the sleep's duration covers
# the time spent waiting for the CPU behind the hogs
jqe "map(select(.type == \"syscall\" and .pid == $pid and .name == \"clock_nanosleep\")) | all(.duration_ns >= 2000000)" \
	"$TMP/ev.json" "each sleep lasts at least its 2 ms"
if [ "$(nproc)" -gt 1 ]; then
	jqe "map(select(.type == \"sched_migrate\" and .target_tid == $pid and .dest_cpu == 0)) | length >= 1" \
		"$TMP/ev.json" "the sleeper migrated to CPU 0 (it pinned itself there after CPU 1)"
fi
exit 0
