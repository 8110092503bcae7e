#!/bin/bash
# Bundle library throughput on one core: write, full decode, filtered scan,
# and bytes per event (tests/bench/bench_formats.c).
set -eu
n=${FORMATS_BENCH_EVENTS:-5000000}
exec taskset -c 0 "$BUILD/bench/bench_formats" "$n" "${TMPDIR:-/tmp}"
