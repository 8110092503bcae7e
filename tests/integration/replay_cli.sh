#!/bin/bash
# `flightrec replay` command line: help, usage errors, unreadable bundles,
# and a divergence on the synthetic fixture (no eBPF needed).
. "$(dirname "$0")/lib.sh"
need_ptrace
FIXTURES=$(realpath "$(dirname "$0")/../fixtures")

"$FLIGHTREC" replay --help > "$TMP/help" 2>&1
expect_eq "$?" 0 "--help exit status"
expect_grep "usage: flightrec replay FILE" "$TMP/help" "--help text"
expect_grep "--inject" "$TMP/help" "--help mentions --inject"

"$FLIGHTREC" replay > /dev/null 2> "$TMP/err"
expect_eq "$?" 2 "no bundle: exit status"
expect_grep "^flightrec: replay: " "$TMP/err" "no bundle: message"

"$FLIGHTREC" replay "$FIXTURES/echo.frb" --inject=read:error=ENOTANERROR > /dev/null 2> "$TMP/err"
expect_eq "$?" 2 "bad --inject: exit status"
expect_grep "unknown error 'ENOTANERROR'" "$TMP/err" "bad --inject: message"

"$FLIGHTREC" replay "$FIXTURES/echo.frb" --inject=read > /dev/null 2> "$TMP/err"
expect_eq "$?" 2 "--inject without an action: exit status"

"$FLIGHTREC" replay "$FIXTURES/echo.frb" --pid nope > /dev/null 2> "$TMP/err"
expect_eq "$?" 2 "bad --pid: exit status"

"$FLIGHTREC" replay "$TMP/nonexistent.frb" > /dev/null 2> "$TMP/err"
expect_eq "$?" 1 "missing bundle: exit status"
expect_grep "^flightrec: replay: " "$TMP/err" "missing bundle: message"

head -c 3000 /dev/urandom > "$TMP/garbage.frb"
"$FLIGHTREC" replay "$TMP/garbage.frb" > /dev/null 2> "$TMP/err"
expect_eq "$?" 1 "garbage bundle: exit status"

# basic.frb's processes were not recorded from their exec.
"$FLIGHTREC" replay "$FIXTURES/basic.frb" --pid 102 > /dev/null 2> "$TMP/err"
expect_eq "$?" 1 "not replayable: exit status"
expect_grep "not recorded from its start" "$TMP/err" "not replayable: message"

# echo.frb is a hand-made recording of /usr/bin/echo with only its write:
# the real echo starts with the dynamic loader's calls, a divergence.
if [ -x /usr/bin/echo ]; then
	"$FLIGHTREC" replay "$FIXTURES/echo.frb" > "$TMP/out" 2> "$TMP/err"
	expect_eq "$?" 3 "echo.frb: exit status"
	expect_grep "replay diverged from the recording \(syscall\)" "$TMP/err" "echo.frb: report"
	expect_grep "expected: write\(1, \"hello" "$TMP/err" "echo.frb: expected call"
	"$FLIGHTREC" replay --json "$FIXTURES/echo.frb" > "$TMP/json" 2> /dev/null
	expect_eq "$?" 3 "echo.frb --json: exit status"
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["completed"] is False and r["divergences"] == 1
assert r["first_divergence"]["kind"] == "syscall"
assert r["first_divergence"]["thread_syscall_index"] == 1
assert r["recorded_exit"] == 0 and r["syscalls_recorded"] == 2
' "$TMP/json" || fail "echo.frb --json content"
fi
exit 0
