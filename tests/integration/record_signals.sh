#!/bin/bash
# Signals (tests/progs/cap_signal.c): a signal sent to itself and handled,
# and a child killed by SIGTERM: generation (sender, target, code, result),
# delivery (handler), and the child's exit by signal.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

rec "$TMP/t.frb" "$PROGS/cap_signal" || fail "record exited $? ($(cat "$TMP/rec.err"))"
read -r _ handled _ child <"$TMP/rec.out"
expect_eq "$handled" 1 "handler ran"
events_json "$TMP/t.frb"
manifest "$TMP/t.frb"
expect_no_losses
pid=$(jq -s -r 'map(select(.type == "exec"))[0].pid' "$TMP/ev.json")
jqe "map(select(.type == \"signal_generate\" and .signal == \"SIGUSR1\" and .pid == $pid and .target_pid == $pid and .code_name == \"SI_USER\")) | length == 1" \
	"$TMP/ev.json" "SIGUSR1 sent to itself"
jqe "map(select(.type == \"signal_deliver\" and .signal == \"SIGUSR1\" and .pid == $pid and .sa_handler > 1)) | length == 1" \
	"$TMP/ev.json" "SIGUSR1 delivered to its handler"
jqe "map(select(.type == \"signal_generate\" and .signal == \"SIGTERM\" and .pid == $pid and .target_pid == $child)) | length == 1" \
	"$TMP/ev.json" "SIGTERM sent to the child"
jqe "map(select(.type == \"signal_deliver\" and .signal == \"SIGTERM\" and .pid == $child)) | length == 1" \
	"$TMP/ev.json" "SIGTERM delivered to the child"
jqe "map(select(.type == \"exit\" and .pid == $child and .group_dead))[0].signal == \"SIGTERM\"" "$TMP/ev.json" \
	"the child's exit by SIGTERM"
jqe "map(select(.type == \"syscall\" and .pid == $pid and .name == \"rt_sigaction\" and .args[0] == 10)) | length >= 1" \
	"$TMP/ev.json" "the sigaction call"
jqe "map(select(.type == \"syscall\" and .pid == $child and .name == \"pause\")) | length == 1 and all(.ret == -514)" \
	"$TMP/ev.json" "pause interrupted (ERESTARTNOHAND) in the child"
exit 0
