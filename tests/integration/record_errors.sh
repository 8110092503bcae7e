#!/bin/bash
# What the user is told when something the recorder needs is missing: no
# privileges (as nobody, and as root without capabilities), no BTF, no ring
# buffer, no bpf_loop, no syscall tracepoint, no ptrace.  The missing
# features are simulated with FLIGHTREC_HIDE_FEATURES, which makes the
# probes of capture/compat.c report them missing on a kernel that has them.
. "$(dirname "$0")/lib.sh"
need_bpf
need_cmd setpriv

# expect_fail WHAT PATTERN CMD...: exit 1, one line on stderr matching PATTERN
expect_fail() {
	local what=$1 pat=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	local rc=$?
	[ "$rc" = 1 ] || fail "$what: exit status $rc, expected 1 ($(cat "$TMP/err"))"
	expect_grep "$pat" "$TMP/err" "$what"
	[ -s "$TMP/out" ] && fail "$what: the command ran: $(cat "$TMP/out")"
	[ -e "$TMP/x.frb" ] && fail "$what: a bundle was written"
	return 0
}

cd "$TMP" || fail "cd"
chmod 755 "$TMP"
priv='^flightrec: record: loading the eBPF recorder needs privileges this process does not have: CAP_BPF and CAP_PERFMON \(or CAP_SYS_ADMIN\); run it as root'
expect_fail "as nobody" "$priv" \
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$FLIGHTREC" record -o "$TMP/x.frb" -- /bin/echo ran
expect_fail "as root without capabilities" "$priv" \
	setpriv --inh-caps=-all --bounding-set=-all "$FLIGHTREC" record -o "$TMP/x.frb" -- /bin/echo ran

hide() {
	FLIGHTREC_HIDE_FEATURES=$1 "$FLIGHTREC" record -o "$TMP/x.frb" -- /bin/echo ran
}
expect_fail "no BTF" '^flightrec: record: this kernel has no BTF type information \(/sys/kernel/btf/vmlinux' hide btf
expect_fail "no ring buffer" '^flightrec: record: this kernel has no BPF ring buffer \(BPF_MAP_TYPE_RINGBUF, Linux 5.8\+\)' hide ringbuf
expect_fail "no bpf_loop" '^flightrec: record: this kernel has no bpf_loop helper' hide bpf_loop
expect_fail "no sys_enter" '^flightrec: record: this kernel has no tracepoint sys_enter, which a recording cannot do without' \
	hide tp:sys_enter
expect_fail "no sched_process_exec" '^flightrec: record: this kernel has no tracepoint sched_process_exec' \
	hide tp:sched_process_exec

# an optional tracepoint missing: recorded without it, and the manifest says so
FLIGHTREC_HIDE_FEATURES=tp:sched_switch "$FLIGHTREC" record -q -o "$TMP/y.frb" -- /bin/echo ran >"$TMP/out" 2>"$TMP/err" ||
	fail "recording without sched_switch failed: $(cat "$TMP/err")"
expect_eq "$(cat "$TMP/out")" ran "the command ran"
"$FLIGHTREC" inspect --json "$TMP/y.frb" >"$TMP/insp.json" || fail "inspect"
jq -e '.features.tracepoints.sched_switch | (.used | not) and .detail == "tracepoint not in this kernel"' \
	"$TMP/insp.json" >/dev/null || fail "features do not say sched_switch was missing"
jq -e '.features.hidden_for_test == "tp:sched_switch"' "$TMP/insp.json" >/dev/null ||
	fail "the manifest does not say features were hidden for a test"
[ "$("$FLIGHTREC" events --type sched_switch "$TMP/y.frb" | wc -l)" = 0 ] || fail "sched_switch events without the tracepoint"

# no ptrace: recorded all the same, with a warning; the vDSO is not patched
FLIGHTREC_HIDE_FEATURES=ptrace "$FLIGHTREC" record -q -o "$TMP/z.frb" -- "$PROGS/cap_clock" 10 >"$TMP/out" 2>"$TMP/err" ||
	fail "recording without ptrace failed: $(cat "$TMP/err")"
expect_grep '^flightrec: record: cannot ptrace the command \(.*\): time read through the vDSO will not be recorded' \
	"$TMP/err" "warning without ptrace"
"$FLIGHTREC" inspect --json "$TMP/z.frb" >"$TMP/insp.json" || fail "inspect"
jq -e '.capture.vdso.patched == false' "$TMP/insp.json" >/dev/null || fail "the manifest claims a patched vDSO"
[ "$("$FLIGHTREC" events "$TMP/z.frb" | grep -c clock_gettime)" = 0 ] ||
	fail "clock_gettime recorded although the vDSO was not patched?"
"$FLIGHTREC" events --type exit --json "$TMP/z.frb" | jq -e 'select(.group_dead) | .exit_code == 0' >/dev/null ||
	fail "the exit is still recorded"
exit 0
