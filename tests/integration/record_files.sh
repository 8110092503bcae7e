#!/bin/bash
# --with-files stores the executable and the libraries it mapped, by
# build-id, byte for byte; without it, no file is stored.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

exe=$(readlink -f /bin/echo)
"$FLIGHTREC" record -q --with-files -o "$TMP/w.frb" -- /bin/echo hi >/dev/null 2>"$TMP/err" ||
	fail "record --with-files failed: $(cat "$TMP/err")"
proctab "$TMP/w.frb"
pid=$(jq -r '.processes | map(select(.root))[0].pid' "$TMP/proc.json")
bid=$(jq -r ".processes | map(select(.pid == $pid))[0].exe_build_id" "$TMP/proc.json")
[ -n "$bid" ] && [ "$bid" != null ] || fail "no build-id for $exe"
tar -xOf "$TMP/w.frb" manifest.json >"$TMP/manifest.json" || fail "no manifest"
jq -e --arg b "$bid" --arg p "$exe" '.files | map(select(.build_id == $b and .path == $p)) | length == 1' \
	"$TMP/manifest.json" >/dev/null || fail "the executable is not listed in the manifest's files"
tar -xOf "$TMP/w.frb" "files/$bid.zst" | zstd -dc >"$TMP/exe" || fail "files/$bid.zst missing"
cmp -s "$TMP/exe" "$exe" || fail "the stored executable differs from $exe"
# every mapped file with a build-id is stored, once
jq -r ".processes | map(select(.pid == $pid))[0].maps | map(select(.build_id != null) | .build_id) | unique | .[]" \
	"$TMP/proc.json" >"$TMP/bids"
[ "$(wc -l <"$TMP/bids")" -ge 2 ] || fail "fewer than 2 mapped files with a build-id (exe, libc)"
while read -r b; do
	tar -tf "$TMP/w.frb" | grep -qx "files/$b.zst" || fail "mapped file $b not stored"
done <"$TMP/bids"
libc=$(jq -r ".processes | map(select(.pid == $pid))[0].maps | map(select(.path != null and (.path | test(\"/libc\\\\.so\")))) | .[0].path" "$TMP/proc.json")
lbid=$(jq -r ".processes | map(select(.pid == $pid))[0].maps | map(select(.path == \"$libc\")) | .[0].build_id" "$TMP/proc.json")
tar -xOf "$TMP/w.frb" "files/$lbid.zst" | zstd -dc | cmp -s - "$libc" || fail "the stored libc differs from $libc"

"$FLIGHTREC" record -q -o "$TMP/n.frb" -- /bin/echo hi >/dev/null || fail "record failed"
tar -tf "$TMP/n.frb" | grep -q '^files/' && fail "files stored without --with-files"
exit 0
