#!/bin/bash
# Every subcommand's --help is in docs/commands.md, verbatim: the fenced
# block after the line "<!-- flightrec CMD --help -->" must be exactly what
# `flightrec CMD --help` prints (and the one after "<!-- flightrec --help
# -->" what `flightrec --help` prints).  Every subcommand flightrec lists
# has its block.  UPDATE_DOCS=1 rewrites the blocks from this build (then
# read the diff: the text around them may need changing too).
. "$(dirname "$0")/lib.sh"
need_cmd python3
cd "$(dirname "$0")/../.."
DOC=docs/commands.md
[ -f "$DOC" ] || fail "$DOC is missing"

"$FLIGHTREC" --help >"$TMP/main.help" || fail "flightrec --help failed"
cmds=$(sed -n 's/^  \([a-z]\+\) .*/\1/p' "$TMP/main.help")
[ -n "$cmds" ] || fail "flightrec --help lists no command"
: >"$TMP/list"
echo "main" >>"$TMP/list"
for c in $cmds; do
	echo "$c" >>"$TMP/list"
	"$FLIGHTREC" "$c" --help >"$TMP/$c.help" 2>"$TMP/$c.err"
	rc=$?
	if [ $rc != 0 ]; then
		# record and capture in a build without eBPF have no help to show
		if grep -q 'built without eBPF support' "$TMP/$c.err"; then
			echo "note: $c: this build has no eBPF part; its help is not compared" >&2
			sed -i "\$d" "$TMP/list"
			continue
		fi
		fail "flightrec $c --help exited $rc: $(cat "$TMP/$c.err")"
	fi
done

python3 - "$DOC" "$TMP" "${UPDATE_DOCS:-0}" <<'EOF' || exit 1
import re, sys
doc, tmp, update = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
names = open(f"{tmp}/list", encoding="utf-8").read().split()
if len(names) < 2:
    print("FAIL: no command to compare", file=sys.stderr)
    sys.exit(1)
text = open(doc, encoding="utf-8").read()
bad = []
for name in names:
    marker = "<!-- flightrec --help -->" if name == "main" else f"<!-- flightrec {name} --help -->"
    want = open(f"{tmp}/{name}.help", encoding="utf-8").read()
    m = re.search(re.escape(marker) + r"\n```text\n(.*?)```\n", text, re.S)
    if not m:
        bad.append(f"{doc} has no block for `{marker[5:-4]}` (a line '{marker}' then a ```text block)")
        continue
    if m.group(1) != want:
        if update:
            text = text[: m.start(1)] + want + text[m.end(1):]
            continue
        got = m.group(1).splitlines()
        exp = want.splitlines()
        for i in range(max(len(got), len(exp))):
            g = got[i] if i < len(got) else "<end>"
            e = exp[i] if i < len(exp) else "<end>"
            if g != e:
                bad.append(f"{marker[5:-4]}: line {i + 1} differs:\n  docs: {g}\n  help: {e}")
                break
if update:
    open(doc, "w", encoding="utf-8").write(text)
if bad:
    print("FAIL: " + "\n".join(bad) + "\n(UPDATE_DOCS=1 rewrites the blocks from this build)", file=sys.stderr)
    sys.exit(1)
EOF
exit 0
