#!/bin/bash
# What-if replay of process trees and threads: a shell pipeline whose
# command line changes runs its new commands (fork, exec, a pipe between
# them, wait) on the model, and its reader reads what its writer writes
# now, even when the recorded read was served before the writer changed;
# a child made with vfork writes into the pipe it was given; a threaded
# program with more workers than recorded passes its turns around on the
# model's futexes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay_lib.inc"
need_bpf
need_ptrace
need_cmd sh tr sed

record "$TMP/sh.frb" sh -c 'echo hello world | tr a-z A-Z; echo second | sed s/^/line:/'
expect_eq "$RECORDED_RC" 0 "sh exit status"
replay "$TMP/sh.frb" --set-arg '2=echo bye now | tr a-z A-Z; echo second | sed s/^/line:/'
expect_eq "$REPLAY_RC" 3 "changed pipeline: exit status"
expect_eq "$(cat "$TMP/sh.frb.rep")" "BYE NOW
line:second" "changed pipeline: the new output"
expect_grep "execve\(\"/usr/bin/tr\"" "$TMP/sh.frb.err" "report: tr runs"
expect_grep "wait4\(-1, .*\) = [0-9]+" "$TMP/sh.frb.err" "report: the shell waits for its children"
expect_grep "summary: .*it prints \"BYE NOW\" on stdout; exit 0, as recorded" "$TMP/sh.frb.err" \
	"changed pipeline: the summary"
expect_no_grep "UNANSWERED" "$TMP/sh.frb.err" "changed pipeline: every call answered"

# The reader blocks before the writer writes: strict replay serves its
# read at its entry with the recorded bytes, before the writer diverges;
# at the divergence that read is made again, and gets the new bytes.
record "$TMP/late.frb" sh -c '(sleep 0.2; echo hello world) | tr a-z A-Z'
expect_eq "$(cat "$TMP/late.frb.out")" "HELLO WORLD" "late writer: recorded output"
replay "$TMP/late.frb" --set-arg '2=(sleep 0.2; echo bye now) | tr a-z A-Z' -v
expect_eq "$REPLAY_RC" 3 "late writer: exit status"
expect_eq "$(cat "$TMP/late.frb.rep")" "BYE NOW" "late writer: the reader reads the new bytes"
expect_grep "what-if: [0-9]+ makes its read again" "$TMP/late.frb.err" "late writer: the read made again"

# A child made with vfork points its stdout at a pipe before its creator's
# vfork returns (the recording has its calls first), and writes into the
# pipe later.  Strict replay keeps the recorded order through the vfork
# (the creator is waited for, not overtaken); what-if replay gives the
# child the table it started with, its own dup2 kept, so the changed
# message goes into the pipe the parent reads.
export MSG=hello
record "$TMP/vf.frb" "$PROGS/wi_vfork"
unset MSG
expect_eq "$(cat "$TMP/vf.frb.out")" "got: hello" "vfork: recorded output"
replay "$TMP/vf.frb" -v
expect_identical "$TMP/vf.frb" "vfork: strict replay"
expect_no_grep "recorded order relaxed" "$TMP/vf.frb.err" "vfork: strict replay keeps the recorded order"
replay "$TMP/vf.frb" --set-env MSG=changed
expect_eq "$REPLAY_RC" 3 "vfork, changed message: exit status"
expect_eq "$(cat "$TMP/vf.frb.rep")" "got: changed" "vfork: the child writes into its pipe"

record "$TMP/thr.frb" "$PROGS/rp_threads" 4 10
expect_eq "$RECORDED_RC" 0 "rp_threads exit status"
replay "$TMP/thr.frb" --set-arg 1=6
expect_eq "$REPLAY_RC" 3 "six workers: exit status"
expect_eq "$(wc -l < "$TMP/thr.frb.rep")" 61 "six workers: 60 turns and a total"
expect_grep "^total [0-9]+ over 60 turns" "$TMP/thr.frb.rep" "six workers: the total"
for w in 0 1 2 3 4 5; do
	expect_eq "$(grep -c "^worker $w round" "$TMP/thr.frb.rep")" 10 "six workers: worker $w's turns"
done
expect_grep "summary: .*exit 0, as recorded" "$TMP/thr.frb.err" "six workers: the summary"
exit 0
