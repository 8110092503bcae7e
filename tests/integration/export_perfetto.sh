#!/bin/bash
# `flightrec export --perfetto` on the recorded TCP scenario
# (tests/fixtures/analyze/tcp.frb: an_client sends 20 requests to an_server
# over loopback, one of them answered 300 ms late): valid JSON; a named
# track for each of the two threads with their read/write slices and state
# slices, nested on every track; data-flow arrows from each side's writes
# to the other side's reads, both ends inside the right slices.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.."
need_cmd python3
B=tests/fixtures/analyze/tcp.frb
[ -f "$B" ] || skip "no $B"

"$FLIGHTREC" export "$B" --perfetto "$TMP/t.json" 2>"$TMP/err" || fail "export failed: $(cat "$TMP/err")"
expect_grep '^flightrec: export: 2 thread tracks, [0-9]+ system calls, [0-9]+ state slices, [0-9]+ wakeup and [0-9]+ data-flow arrows' \
	"$TMP/err" "summary"
python3 - "$TMP/t.json" <<'PY' || fail "the trace is not what the recording holds"
import collections, json, sys
d = json.load(open(sys.argv[1]))
ev = d["traceEvents"]
ns = lambda v: round((v - 0.0004) * 1000)
names = {e["tid"]: e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
client = [t for t, n in names.items() if n == "an_client"]
server = [t for t, n in names.items() if n == "an_server"]
assert len(client) == 1 and len(server) == 1, names
client, server = client[0], server[0]
assert (client, server) == (20833, 20835), (client, server)

x = collections.defaultdict(list)
for e in ev:
    if e["ph"] == "X":
        x[e["tid"]].append((ns(e["ts"]), ns(e["ts"]) + ns(e["dur"]), e["name"], e.get("cat")))
for tid in (client, server):
    calls = collections.Counter(n for s, e, n, c in x[tid] if c == "syscall")
    states = collections.Counter(n for s, e, n, c in x[tid] if c == "state")
    assert calls["read"] >= 20 and (calls["write"] + calls["sendto"]) >= 20, (tid, calls)
    assert states["running"] and states["blocked"], (tid, states)
    # nested: sorted by start (longest first), each slice ends inside the
    # one open around it
    stack = []
    for s, e, n, c in sorted(x[tid], key=lambda v: (v[0], -(v[1] - v[0]))):
        while stack and stack[-1] <= s:
            stack.pop()
        assert not stack or e <= stack[-1], (tid, n, s, e, stack[-1])
        stack.append(e)

def inside(tid, t):
    best = None
    for s, e, n, c in x[tid]:
        if s <= t < e and (best is None or s >= best[0]):
            best = (s, n, c)
    return best

# the 300 ms answer: the client's longest read
slow = max((e - s, s) for s, e, n, c in x[client] if n == "read")
assert slow[0] > 250_000_000, slow

flows = {}
for e in ev:
    if e["ph"] in "sf":
        flows.setdefault(e["id"], {})[e["ph"]] = e
pairs = collections.Counter()
for fid, f in flows.items():
    assert set(f) == {"s", "f"}, f
    s, t = f["s"], f["f"]
    assert s["cat"] == t["cat"] and s["name"] == t["name"] and t.get("bp") == "e"
    if s["cat"] != "data":
        continue
    pairs[(s["tid"], t["tid"])] += 1
    # the write's end inside a write of the writer, the read's inside a read
    w, r = inside(s["tid"], ns(s["ts"])), inside(t["tid"], ns(t["ts"]))
    assert w is not None and r is not None, (s, t)
for (a, b), n in pairs.items():
    assert {a, b} == {client, server}, pairs
assert pairs[(client, server)] >= 20 and pairs[(server, client)] >= 20, pairs
PY

# to stdout, and the usage errors
"$FLIGHTREC" export -q "$B" --perfetto - | python3 -c 'import json,sys; json.load(sys.stdin)' ||
	fail "--perfetto - is not JSON on stdout"
"$FLIGHTREC" export "$B" --perfetto "$TMP/a.json" --pcapng "$TMP/b" >/dev/null 2>&1
expect_eq $? 2 "two formats at once"
"$FLIGHTREC" export "$B" --perfetto /nonexistent-dir/x.json 2>/dev/null
expect_eq $? 1 "export to an unwritable place"
"$FLIGHTREC" export /nonexistent.frb --perfetto "$TMP/c.json" 2>/dev/null
expect_eq $? 1 "a missing bundle"
[ -e "$TMP/c.json" ] && fail "output left behind for a missing bundle"
exit 0
