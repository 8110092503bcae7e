#!/bin/bash
# `flightrec events` on committed fixtures: the exact text (decoded
# arguments, escaping, filters, UTC times) and the JSON lines' key fields.
. "$(dirname "$0")/lib.sh"

cd tests/fixtures || fail "no tests/fixtures"
check_text() { # EXPECTED ARGS...
	local exp=$1; shift
	"$FLIGHTREC" events "$@" >"$TMP/out" 2>"$TMP/err" || { cat "$TMP/err"; fail "events $* failed"; }
	diff -u "../expected/$exp" "$TMP/out" || fail "events $* differs from tests/expected/$exp"
}
check_text events-basic.txt basic.frb
check_text events-tcp-utc.txt --utc -s 8 --pid 200,300 tcp.frb
check_text events-basic-filtered.txt --type syscall --since 5us --until 13us basic.frb

"$FLIGHTREC" events --json basic.frb >"$TMP/json" || fail "events --json failed"
python3 - "$TMP/json" <<'PY' || fail "events --json content"
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
assert len(evs) == 24, len(evs)
assert [e["ts_ns"] for e in evs] == sorted(e["ts_ns"] for e in evs)
w = [e for e in evs if e.get("name") == "write"][0]
assert w["ret"] == 6 and w["args"][0] == 1, w
assert [p["data"] for p in w["payloads"] if p["kind"] == "in"] == ["hello\n"]
r = [e for e in evs if e.get("name") == "read" and e["ret"] < 0][0]
assert r["errno"] == "EAGAIN", r
ex = [e for e in evs if e["type"] == "exit"]
assert len(ex) == 2
PY
# filters compose and an empty result is not an error
"$FLIGHTREC" events --tid 999 basic.frb >"$TMP/none" || fail "no-match filter failed"
[ ! -s "$TMP/none" ] || fail "--tid 999 printed events"
exit 0
