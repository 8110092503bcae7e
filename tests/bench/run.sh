#!/bin/bash
# Run every benchmark script in tests/bench (or those named), one after the
# other.  Each prints its own figures as ratios against a baseline measured
# in the same run; timings are never asserted.
set -u
cd "$(dirname "$0")/../.."
export FLIGHTREC="${FLIGHTREC:-build/flightrec}" BUILD="${BUILD:-build}" PROGS="${PROGS:-build/progs}"
[ $# -eq 0 ] && set -- tests/bench/*.sh
status=0
for b in "$@"; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "== $b"
	bash "$b" || { echo "bench: $b failed" >&2; status=1; }
done
exit $status
