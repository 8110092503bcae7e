#!/bin/bash
# --redact: a process sends "Authorization: Bearer <token>" and a form with
# "password=<pw>" through a pipe, with both secrets (and a third, unused one)
# in its environment.  With payload:Authorization:, payload:/password=([^&]*)/
# and env:FR_TEST_*, no secret is anywhere in the written bundle (every
# member decompressed and searched), the masked bytes are in place of the
# values (same lengths), the variables are listed with [REDACTED], and the
# manifest lists the rules.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/daemon.bash"

bearer=s3cr3t-bearer-$$-token pw=opensesame$$ other=hunter2-$$
start_daemon --pre 2s --post 1s --snaplen 1K --comm dm_secret \
	--redact 'payload:Authorization:' --redact 'payload:/password=([^&]*)/' \
	--redact 'env:FR_TEST_*'
FR_TEST_BEARER=$bearer FR_TEST_PASSWORD=$pw FR_TEST_OTHER=$other bg "$PROGS/dm_secret" 6 >"$TMP/s.out"
sleep 2
p=$(head -1 "$TMP/s.out")
[ -n "$p" ] || fail "dm_secret did not start"
"$FLIGHTREC" trigger --socket "$SOCK" >/dev/null || fail "trigger failed"
b=$(bundle_path 1)
manifest "$b"
events_json "$b"
proctab "$b"

# every member, decompressed
mkdir "$TMP/members"
tar -tf "$b" >"$TMP/members.txt" || fail "tar -t"
n=0
while read -r m; do
	n=$((n + 1))
	case $m in
	*.zst) tar -xOf "$b" "$m" | zstd -dc >"$TMP/members/$n" ;;
	*) tar -xOf "$b" "$m" >"$TMP/members/$n" ;;
	esac || fail "cannot read member $m"
done <"$TMP/members.txt"
[ "$n" -ge 4 ] || fail "expected at least 4 members, got $n"
for s in "$bearer" "$pw" "$other"; do
	if grep -rlaF -- "$s" "$TMP/members" "$TMP/ev.json" >/dev/null; then
		fail "secret '$s' found in the bundle: $(grep -rlaF -- "$s" "$TMP/members" "$TMP/ev.json" | head -3)"
	fi
done
# the writes are there, masked in place
stars() { printf '%*s' "$1" '' | tr ' ' '*'; }
mb=$(stars ${#bearer}) mp=$(stars ${#pw})
jqe "map(select(.type == \"syscall\" and .pid == $p and .name == \"write\" and (.payloads | map(select(.kind == \"in\"))[0].data | tostring | contains(\"Authorization: *******$mb\\r\\n\") and contains(\"password=$mp&remember=1\")))) | length >= 20" \
	"$TMP/ev.json" "writes with the header value and the password masked"
jqe "map(select(.type == \"syscall\" and .pid == $p and .name == \"read\" and (.payloads | map(select(.kind == \"out\"))[0].data | tostring | contains(\"Authorization: *******$mb\")))) | length >= 20" \
	"$TMP/ev.json" "reads masked too"
jqe ".processes | map(select(.pid == $p))[0].env | (index(\"FR_TEST_BEARER=[REDACTED]\") != null) and (index(\"FR_TEST_PASSWORD=[REDACTED]\") != null) and (index(\"FR_TEST_OTHER=[REDACTED]\") != null) and (map(select(startswith(\"PATH=\"))) | length == 1)" \
	"$TMP/proc.json" "the variables' values replaced, the others kept"
tar -xOf "$b" manifest.json >"$TMP/manifest.json" || fail "cannot read manifest.json"
jqe '.redaction | map(.rule) == ["payload:Authorization:", "payload:/password=([^&]*)/", "env:FR_TEST_*"]' \
	"$TMP/manifest.json" "the rules in the manifest"
jqe '.redaction | all(.masked_since_start > 0)' "$TMP/manifest.json" "each rule masked something"
"$FLIGHTREC" inspect --json "$b" >"$TMP/inspect.json" || fail "inspect --json failed"
jqe '.redaction | map(.rule) == ["payload:Authorization:", "payload:/password=([^&]*)/", "env:FR_TEST_*"]' \
	"$TMP/inspect.json" "inspect --json shows the rules"
"$FLIGHTREC" inspect "$b" >"$TMP/inspect.txt" || fail "inspect failed"
expect_grep '^redaction .*payload:Authorization:, .*env:FR_TEST_\*' "$TMP/inspect.txt" "inspect shows the rules"
stop_daemon
exit 0
