#!/usr/bin/env python3
# analyze_check.py: assertions on `flightrec analyze --json` reports for the
# analysis integration tests.
#
#   analyze_check.py focus  REPORT CATEGORY CULPRIT
#       the first incident's top root cause has CATEGORY and its first
#       culprit's comm is CULPRIT
#   analyze_check.py any    REPORT VICTIM CATEGORY CULPRIT
#       some incident of a thread named VICTIM has that top root cause
#   analyze_check.py blame  REPORT VICTIM CATEGORY CULPRIT
#       every root cause of CATEGORY in VICTIM's incidents blames CULPRIT
#       (for 'running', the victim's own running time may blame the victim)
#   analyze_check.py schema REPORT
#       every incident has the fields DESIGN.md's schema names
# Exit 0 when the assertion holds, 1 (with the report summarised) when not.
import json
import sys


def top_cause(inc):
    rc = inc.get("root_causes") or []
    if not rc:
        return None, None
    c = rc[0]
    culprits = c.get("culprits") or []
    return c.get("category"), (culprits[0].get("comm") if culprits else None)


def summary(rep):
    out = []
    for i, inc in enumerate(rep.get("incidents", [])):
        cat, cul = top_cause(inc)
        out.append("  %d. %s on %s: top cause %s / %s: %s" % (
            i + 1, inc.get("kind"), inc.get("thread", {}).get("comm"), cat, cul,
            inc.get("summary", "")[:300]))
    return "\n".join(out) or "  (no incidents)"


def main():
    mode, path = sys.argv[1], sys.argv[2]
    with open(path) as f:
        rep = json.load(f)
    incs = rep.get("incidents", [])
    if mode == "focus":
        want = (sys.argv[3], sys.argv[4])
        ok = bool(incs) and top_cause(incs[0]) == want
    elif mode == "any":
        victim, want = sys.argv[3], (sys.argv[4], sys.argv[5])
        ok = any(i.get("thread", {}).get("comm") == victim and top_cause(i) == want for i in incs)
    elif mode == "blame":
        victim, cat, cul = sys.argv[3], sys.argv[4], sys.argv[5]
        want = "every %s root cause of %s blaming %s" % (cat, victim, cul)
        ok = True
        for i in incs:
            if i.get("thread", {}).get("comm") != victim:
                continue
            for c in i.get("root_causes", []):
                culprits = c.get("culprits") or []
                who = culprits[0].get("comm") if culprits else None
                # a thread's own running time is its own
                if c.get("category") == cat and who != cul and not (cat == "running" and who == victim):
                    ok = False
    elif mode == "schema":
        want = "the DESIGN.md fields"
        ok = True
        for inc in incs:
            for k, t in (("kind", str), ("thread", dict), ("start_ns", int), ("duration_ns", int),
                         ("summary", str), ("breakdown", list), ("root_causes", list),
                         ("critical_path", list)):
                ok = ok and isinstance(inc.get(k), t)
            for th in [inc.get("thread", {})] + [s for s in inc.get("critical_path", [])]:
                ok = ok and all(isinstance(th.get(k), t) for k, t in
                                (("pid", int), ("tid", int), ("comm", str)))
            for s in inc.get("critical_path", []):
                ok = ok and all(isinstance(s.get(k), t) for k, t in
                                (("state", str), ("start_ns", int), ("end_ns", int), ("via", str)))
            for c in inc.get("root_causes", []):
                ok = ok and isinstance(c.get("category"), str) and isinstance(c.get("ns"), int) \
                    and isinstance(c.get("share"), (int, float)) \
                    and isinstance(c.get("explanation"), str) and isinstance(c.get("culprits"), list)
    else:
        print("analyze_check.py: unknown mode %s" % mode, file=sys.stderr)
        return 2
    if not ok:
        print("expected %s; the report has:\n%s" % (want, summary(rep)), file=sys.stderr)
        return 1
    return 0


sys.exit(main())
