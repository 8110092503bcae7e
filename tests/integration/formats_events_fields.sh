#!/bin/bash
# `flightrec events` on the committed fixtures: every event type decoded,
# exact lines for the syscalls, valid JSON with the documented fields.
. "$(dirname "$0")/lib.sh"
need_cmd python3

FIX=$(dirname "$0")/../fixtures
out=$TMP/basic.txt

"$FLIGHTREC" events "$FIX/basic.frb" >"$out" 2>"$TMP/err" || fail "events basic.frb: exit $?: $(cat "$TMP/err")"
[ -s "$TMP/err" ] && fail "events wrote to stderr: $(cat "$TMP/err")"
expect_eq "$(wc -l <"$out")" 24 "lines for basic.frb"

# exact lines: decoded arguments, fd annotation, errno, duration
expect_line() {
	grep -qxF -- "$1" "$out" || { cat "$out" >&2; fail "missing line: $1"; }
}
expect_line '     0.000000000 sh 100/100 [000] exec: "/bin/sh" ["/bin/sh", "-c", "echo hello | cat"]'
expect_line '     0.000005000 sh 100/100 [001] openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC) = 3 <0.000004900>'
expect_line '     0.000008500 sh 100/100 [001] write(1<pipe:[777]>, "hello\n", 6) = 6 <0.000001990>'
expect_line '     0.000012500 sh 102/102 [001] read(0, "hello\n", 65536) = 6 <0.000003990>'
expect_line '     0.000013400 sh 102/102 [001] read(5, 0x7ffd2000, 100000) = -1 EAGAIN (Resource temporarily unavailable) <0.000000890>'
expect_line '     0.000394700 cat 102/102 [001] exit: killed by SIGPIPE [process]'

# every event type prints its decoded form, none the raw fallback
for t in sched_switch sched_wakeup sched_migrate fork comm page_fault reclaim oom_kill \
	tcp_state tcp_retransmit tcp_reset block_issue block_complete signal_generate \
	signal_deliver lost mark exit; do
	expect_grep " $t: [^ ]" "$out" "$t line"
done
expect_no_grep 'syscall_[0-9]|type [0-9]' "$out" "undecoded events"

# -s limits strings; --utc prints absolute times
"$FLIGHTREC" events -s 2 --type syscall "$FIX/basic.frb" >"$TMP/s2" || fail "events -s 2"
expect_grep 'write\(1<pipe:\[777\]>, "he"\.\.\., 6\) = 6' "$TMP/s2" "strsize 2"
"$FLIGHTREC" events --utc --type exit "$FIX/echo.frb" >"$TMP/utc" || fail "events --utc"
expect_grep '^2026-11-18T[0-9:]{8}\.[0-9]{9}Z echo 4242/4242 \[000\] exit: exit 0 \[process\]$' "$TMP/utc" "utc line"
"$FLIGHTREC" events "$FIX/echo.frb" >"$TMP/echo" || fail "events echo.frb"
expect_grep '^ +0\.000004000 echo 4242/4242 \[001\] exit_group\(0\) = \?$' "$TMP/echo" "exit_group = ?"

# JSON: one valid object per line, with the documented members
"$FLIGHTREC" events --json "$FIX/basic.frb" >"$TMP/json" || fail "events --json"
python3 - "$TMP/json" <<'PY' || fail "JSON check failed"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 24, len(lines)
evs = [json.loads(l) for l in lines]
for e in evs:
    for k in ("ts_ns", "rel_ns", "utc", "pid", "tid", "cpu", "type", "details"):
        assert k in e, (k, e)
sc = [e for e in evs if e["type"] == "syscall"]
w = [e for e in sc if e["name"] == "write"][0]
assert w["args"] == [1, 0x7ffd1000, 6], w["args"]
assert w["ret"] == 6 and w["duration_ns"] == 1990, w
assert w["decoded"] == ["1<pipe:[777]>", '"hello\\n"', "6"], w["decoded"]
pl = {p["kind"]: p for p in w["payloads"]}
assert pl["in"]["data"] == "hello\n" and pl["in"]["arg"] == 1, pl
assert pl["fdinfo"]["fdinfo"]["type"] == "pipe" and pl["fdinfo"]["fdinfo"]["ino"] == 777, pl
r = [e for e in sc if e["name"] == "read" and e["ret"] < 0][0]
assert r["errno"] == "EAGAIN" and r["result"].startswith("-1 EAGAIN"), r
ex = [e for e in evs if e["type"] == "exit"][0]
assert ex["signal"] == "SIGPIPE" and ex["group_dead"] is True, ex
ev = [e for e in evs if e["type"] == "exec"][0]
assert ev["filename"] == "/bin/sh" and ev["argv"] == ["/bin/sh", "-c", "echo hello | cat"], ev
PY
exit 0
