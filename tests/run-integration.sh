#!/bin/bash
# Run integration tests (tests/integration/*.sh, or the scripts given).
# Each script exits 0 (pass), 77 (skipped, with a reason on stderr) or
# anything else (fail).  Environment: FLIGHTREC (the binary), PROGS (test
# programs), REQUIRE_BPF / REQUIRE_PTRACE (turn skips of those tests into
# failures; see tests/integration/lib.sh).
set -u
cd "$(dirname "$0")/.."
export FLIGHTREC="${FLIGHTREC:-build/flightrec}"
export PROGS="${PROGS:-build/progs}"
FLIGHTREC=$(realpath "$FLIGHTREC"); export FLIGHTREC
PROGS=$(realpath -m "$PROGS"); export PROGS

if [ $# -eq 0 ]; then
	set -- tests/integration/*.sh
fi
pass=0 fail=0 skip=0 failed=""
for t in "$@"; do
	[ "$(basename "$t")" = lib.sh ] && continue
	start=$(date +%s)
	out=$(bash "$t" 2>&1)
	rc=$?
	dur=$(( $(date +%s) - start ))
	case $rc in
	0) pass=$((pass + 1)); printf '  PASS  %s (%ss)\n' "$t" "$dur" ;;
	77) skip=$((skip + 1)); printf '  SKIP  %s: %s\n' "$t" "$(printf '%s\n' "$out" | grep -m1 '^SKIP:' | sed 's/^SKIP: //')" ;;
	*) fail=$((fail + 1)); failed="$failed $t"
	   printf '  FAIL  %s (exit %s, %ss)\n' "$t" "$rc" "$dur"
	   printf '%s\n' "$out" | tail -n 40 | sed 's/^/        /' ;;
	esac
done
echo "integration: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
