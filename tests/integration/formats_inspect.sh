#!/bin/bash
# `flightrec inspect` on a committed fixture: the whole text output, and the
# JSON form's key fields.
. "$(dirname "$0")/lib.sh"

cd tests/fixtures || fail "no tests/fixtures"
"$FLIGHTREC" inspect basic.frb >"$TMP/out" 2>"$TMP/err" || { cat "$TMP/err"; fail "inspect failed"; }
if ! diff -u ../expected/inspect-basic.txt "$TMP/out"; then
	fail "inspect output differs from tests/expected/inspect-basic.txt"
fi
"$FLIGHTREC" inspect --json basic.frb >"$TMP/json" || fail "inspect --json failed"
python3 - "$TMP/json" <<'PY' || fail "inspect --json content"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["intact"] is True, j["intact"]
assert j["events"]["total"] == 24, j["events"]
assert j["events"]["by_type"]["syscall"] == 4
assert j["losses"]["ring_full"] == 3
assert j["host"]["hostname"] == "fixture-host"
assert j["window"]["start_utc"].startswith("2026-11-18T11:06:40")
assert [p["pid"] for p in j["processes"]["top"]][:2] == [100, 102]
assert j["processes"]["top"][0]["argv"] == ["/bin/sh", "-c", "echo hello | cat"]
names = [m["name"] for m in j["members"]]
assert names[-1] == "manifest.json" and "events/index.zst" in names, names
assert all(m["checksum"] in ("ok", None) for m in j["members"])
PY
exit 0
