#!/bin/bash
# Every relative link in README.md and docs/*.md leads to a file of the
# repository, and a link to a section (file.md#section) to a heading of that
# file (GitHub's anchors: lower case, punctuation dropped, spaces as '-').
. "$(dirname "$0")/lib.sh"
need_cmd python3
cd "$(dirname "$0")/../.."
python3 - README.md docs/*.md <<'PY' || exit 1
import os, re, sys

def anchors(path):
    out = set()
    in_code = False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        title = line.lstrip("#").strip().lower()
        slug = re.sub(r"[^\w\- ]", "", title).replace(" ", "-")
        out.add(slug)
    return out

bad, n = [], 0
for md in sys.argv[1:]:
    text = open(md, encoding="utf-8").read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        n += 1
        path, _, frag = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(md), path)) if path else md
        if not os.path.exists(dest):
            bad.append(f"{md}: {target}: no such file")
        elif frag and dest.endswith(".md") and frag not in anchors(dest):
            bad.append(f"{md}: {target}: no such section in {dest}")
if n < 20:
    bad.append(f"only {n} links found: the parser is broken")
if bad:
    print("FAIL: " + "\n  ".join(bad), file=sys.stderr)
    sys.exit(1)
PY
exit 0
