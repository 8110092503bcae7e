#!/bin/bash
# flightrec record returns the command's exit status (128+N when a signal
# killed it), writes flightrec-<comm>-<UTC time>.frb by default, reports a
# command that cannot run like a shell does (127/126), and uses 2 for usage
# errors.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

cd "$TMP" || fail "cd"

rec "$TMP/a.frb" sh -c 'exit 3'
expect_eq "$?" 3 "exit status of 'exit 3'"
events_json "$TMP/a.frb"
jqe 'map(select(.type == "exit" and .group_dead))[0].exit_code == 3' "$TMP/ev.json" "exit 3 recorded"

rec "$TMP/b.frb" sh -c 'kill -TERM $$'
expect_eq "$?" 143 "exit status of a shell killed by SIGTERM"
events_json "$TMP/b.frb"
jqe 'map(select(.type == "exit" and .group_dead))[0].signal == "SIGTERM"' "$TMP/ev.json" "killed by SIGTERM recorded"
jqe 'map(select(.type == "signal_generate" and .signal == "SIGTERM")) | length >= 1' "$TMP/ev.json" \
	"signal_generate of SIGTERM"

# SIGTERM sent to the recorder goes to the command; the bundle is written
"$FLIGHTREC" record -q -o "$TMP/t.frb" -- sleep 30 &
rp=$!
for _ in $(seq 50); do
	pgrep -P "$rp" -x sleep >/dev/null && break
	sleep 0.1
done
sleep 0.2
kill -TERM "$rp"
wait "$rp"
expect_eq "$?" 143 "exit status when the recorder is sent SIGTERM"
events_json "$TMP/t.frb"
jqe 'map(select(.type == "exit" and .group_dead))[0].signal == "SIGTERM"' "$TMP/ev.json" \
	"the command got the SIGTERM"

# default name, in the current directory
"$FLIGHTREC" record -q -- /bin/true || fail "record /bin/true failed"
n=$(ls "$TMP" | grep -cE '^flightrec-true-[0-9]{8}T[0-9]{6}Z\.frb$')
expect_eq "$n" 1 "default output name flightrec-true-<UTC>.frb"

# summary line on stderr without -q
"$FLIGHTREC" record -o "$TMP/c.frb" -- /bin/true 2>"$TMP/err" || fail "record failed"
expect_grep "^flightrec: record: $TMP/c.frb: [0-9]+ events, .* of payload, nothing lost$" "$TMP/err" "summary line"

# a command that cannot run: like a shell, 127, a clear message, no bundle
"$FLIGHTREC" record -o "$TMP/d.frb" -- /nonexistent/cmd 2>"$TMP/err"
expect_eq "$?" 127 "exit status for a missing command"
expect_grep "^flightrec: record: cannot run '/nonexistent/cmd': No such file or directory$" "$TMP/err" "message"
[ -e "$TMP/d.frb" ] && fail "a bundle was written for a command that never ran"
"$FLIGHTREC" record -o "$TMP/e.frb" -- /etc/passwd 2>"$TMP/err"
expect_eq "$?" 126 "exit status for a command that is not executable"

# usage
"$FLIGHTREC" record 2>"$TMP/err"
expect_eq "$?" 2 "no command: usage error"
expect_grep '^flightrec: record: no command to run' "$TMP/err" "message for no command"
"$FLIGHTREC" record --snaplen xyz -- /bin/true 2>"$TMP/err"
expect_eq "$?" 2 "bad --snaplen: usage error"
"$FLIGHTREC" record --bogus -- /bin/true 2>/dev/null
expect_eq "$?" 2 "unknown option: usage error"
"$FLIGHTREC" record --help >"$TMP/help" || fail "--help failed"
expect_grep '^usage: flightrec record' "$TMP/help" "--help"
expect_grep '^ +--snaplen N' "$TMP/help" "--help lists --snaplen"

# an unwritable output: a clear message before anything runs
"$FLIGHTREC" record -o /nonexistent/dir/x.frb -- /bin/echo should-not-run >"$TMP/out" 2>"$TMP/err"
expect_eq "$?" 1 "unwritable output"
expect_grep '^flightrec: record: /nonexistent/dir/x.frb: ' "$TMP/err" "message for the output"
[ -s "$TMP/out" ] && fail "the command ran although the output could not be created"
exit 0
