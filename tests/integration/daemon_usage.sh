#!/bin/bash
# Usage errors and the client's messages, without a daemon: flightrec
# trigger with nothing listening says so and exits 1; bad options of trigger
# and capture exit 2 with "flightrec: <what>: <why>"; --help exits 0.
. "$(dirname "$0")/lib.sh"

"$FLIGHTREC" trigger --help >"$TMP/h" || fail "trigger --help exited $?"
grep -q '^usage: flightrec trigger' "$TMP/h" || fail "trigger --help text"
"$FLIGHTREC" trigger --socket "$TMP/none.sock" >"$TMP/o" 2>"$TMP/e"
expect_eq $? 1 "trigger without a daemon"
grep -q "^flightrec: trigger: $TMP/none.sock: No such file or directory: is 'flightrec capture' running" "$TMP/e" ||
	fail "trigger without a daemon says so: $(cat "$TMP/e")"
[ ! -s "$TMP/o" ] || fail "nothing on stdout"
"$FLIGHTREC" trigger --timeout soon 2>"$TMP/e"
expect_eq $? 2 "bad --timeout"
grep -q "^flightrec: trigger: --timeout: 'soon' is not a duration" "$TMP/e" || fail "message: $(cat "$TMP/e")"
"$FLIGHTREC" trigger extra 2>"$TMP/e"
expect_eq $? 2 "stray argument"

# a socket file nobody listens on
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$TMP/dead.sock" 2>/dev/null &&
{
	"$FLIGHTREC" trigger --socket "$TMP/dead.sock" 2>"$TMP/e"
	expect_eq $? 1 "trigger on a dead socket"
	grep -q "Connection refused: is 'flightrec capture' running" "$TMP/e" || fail "message: $(cat "$TMP/e")"
}

# capture's options (only in a build with eBPF: otherwise capture says so)
if "$FLIGHTREC" record --help >/dev/null 2>&1; then
	"$FLIGHTREC" capture --help >"$TMP/h" || fail "capture --help exited $?"
	for w in --ring --pre --post --trigger-on --cooldown --max-bundles --max-disk --snaplen \
		--redact --socket 'default 256M' 'default 60s' 'default 10s' /var/lib/flightrec; do
		grep -q -- "$w" "$TMP/h" || fail "capture --help mentions $w"
	done
	check_usage() {
		local want=$1
		shift
		"$FLIGHTREC" capture "$@" >/dev/null 2>"$TMP/e"
		expect_eq $? 2 "capture $*"
		grep -q -- "$want" "$TMP/e" || fail "capture $*: expected /$want/ in: $(cat "$TMP/e")"
	}
	check_usage "^flightrec: capture: --trigger-on 'cpu>90%': unknown rule" --trigger-on 'cpu>90%'
	check_usage "^flightrec: capture: --trigger-on 'signal=SIGFOO': 'SIGFOO' is not a signal" --trigger-on signal=SIGFOO
	check_usage "^flightrec: capture: --redact 'Authorization:': a rule is env:GLOB" --redact Authorization:
	check_usage "^flightrec: capture: --redact 'payload:/(/': bad regular expression" --redact 'payload:/(/'
	check_usage "^flightrec: capture: --ring: '1' is not a size" --ring 1
	check_usage "^flightrec: capture: --pre: 'long' is not a duration" --pre long
	check_usage "^flightrec: capture: --comm: 'averyveryverylongname' is not a process name" --comm averyveryverylongname
	check_usage "^flightrec: capture: --cgroup /nonexistent-cg" --cgroup /nonexistent-cg
	check_usage "^flightrec: capture: unexpected argument 'now'" now
fi
exit 0
