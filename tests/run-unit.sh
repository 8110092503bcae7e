#!/bin/sh
# Run Check unit-test binaries; fail when any fails.
status=0
for t in "$@"; do
	if ! "$t"; then
		echo "FAIL: $t" >&2
		status=1
	fi
done
exit $status
