#!/bin/bash
# The deployment manifests: deploy/flightrec.service passes systemd-analyze
# verify without a word, deploy/kubernetes/daemonset.yaml parses as YAML and
# has what the recorder needs (privileged, hostPID, the host's BTF and
# cgroups, a hostPath for bundles, the token from a Secret, time to finish a
# bundle on shutdown), and the `flightrec capture` arguments of both are
# accepted by this flightrec.  The checker is shown to refuse broken copies.
. "$(dirname "$0")/lib.sh"
need_cmd python3 systemd-analyze
python3 -c 'import yaml' 2>/dev/null || skip "needs python3-yaml"
cd "$(dirname "$0")/../.."
CHECK=tests/integration/deploy_check.py
UNIT=deploy/flightrec.service
DS=deploy/kubernetes/daemonset.yaml

# the unit, with ExecStart pointing at this build (verify wants the binary)
sed "s|/usr/local/bin/flightrec|$FLIGHTREC|" "$UNIT" >"$TMP/flightrec.service"
systemd-analyze verify "$TMP/flightrec.service" >"$TMP/verify.out" 2>&1 ||
	fail "systemd-analyze verify failed: $(cat "$TMP/verify.out")"
[ ! -s "$TMP/verify.out" ] || fail "systemd-analyze verify complains: $(cat "$TMP/verify.out")"
python3 "$CHECK" unit "$UNIT" >"$TMP/unit.args" || fail "$UNIT"

python3 "$CHECK" daemonset "$DS" >"$TMP/ds.args" || fail "$DS"

# both command lines are valid for this flightrec (--help last: every
# option before it is parsed and checked, nothing runs)
for f in unit ds; do
	if "$FLIGHTREC" capture --help >/dev/null 2>&1; then
		mapfile -t args <"$TMP/$f.args"
		"$FLIGHTREC" "${args[@]}" --help >/dev/null 2>"$TMP/$f.err" ||
			fail "$f: flightrec refuses the arguments: $(cat "$TMP/$f.err")"
	fi
done

# the checks can fail: broken copies are refused, each for its reason
broken() {
	local what=$1 kind=$2 file=$3 sedexpr=$4 expect=$5
	sed "$sedexpr" "$file" >"$TMP/broken"
	cmp -s "$file" "$TMP/broken" && fail "self-test '$what': the edit changed nothing"
	if python3 "$CHECK" "$kind" "$TMP/broken" >/dev/null 2>"$TMP/broken.err"; then
		fail "self-test '$what': the checker accepted it"
	fi
	grep -q -- "$expect" "$TMP/broken.err" ||
		fail "self-test '$what': refused for another reason: $(cat "$TMP/broken.err")"
}
broken "no hostPID" daemonset "$DS" 's/hostPID: true/hostPID: false/' 'hostPID'
broken "not privileged" daemonset "$DS" 's/privileged: true/privileged: false/' 'privileged'
broken "no BTF" daemonset "$DS" 's|path: /sys/kernel/btf|path: /sys/kernel/debug|' '/sys/kernel/btf'
broken "bundles elsewhere" daemonset "$DS" 's|--out=/var/lib/flightrec|--out=/tmp/b|' 'nothing is mounted at /tmp/b'
broken "short grace" daemonset "$DS" 's/terminationGracePeriodSeconds: 60/terminationGracePeriodSeconds: 5/' 'terminationGracePeriodSeconds'
broken "open token" daemonset "$DS" 's/defaultMode: 0400/defaultMode: 0444/' 'readable by others'
broken "bad selector" daemonset "$DS" '0,/app.kubernetes.io\/name: flightrec/!{/matchLabels:/{n;s/flightrec/other/}}' 'selector'
broken "unquoted colon" daemonset "$DS" 's|"--redact=payload:Cookie:"|--redact=payload:Cookie:|' 'not a string'
broken "state mode" unit "$UNIT" 's/StateDirectoryMode=0700/StateDirectoryMode=0755/' 'StateDirectoryMode'
broken "quick stop" unit "$UNIT" 's/TimeoutStopSec=60s/TimeoutStopSec=5s/' 'TimeoutStopSec'
broken "not capture" unit "$UNIT" 's|flightrec capture|flightrec record|' 'not `flightrec capture`'
exit 0
