#!/bin/bash
# Analysis benchmark (DESIGN.md, "Performance"):
#   - decode at least 5 million events per second on one core,
#   - analyse a 10-million-event bundle in under 10 s and 2 GiB of memory,
# side by side with `perf script` decoding the same kind of events
# (raw_syscalls enter/exit recorded by `perf record`) in the same run.
#
# Figures are printed, never asserted (timings on a shared machine are
# noisy).  Environment: BUILD (default build), FLIGHTREC, ANALYZE_EVENTS
# (default 10000000), KEEP=1 keeps the generated bundle.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
FLIGHTREC=${FLIGHTREC:-$BUILD/flightrec}
N=${ANALYZE_EVENTS:-10000000}
TMP=$(mktemp -d /tmp/frbench-analyze.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$TMP"' EXIT

say() { printf 'analyze: %s\n' "$*"; }
die() { printf 'analyze: %s\n' "$*" >&2; exit 1; }

[ -x "$FLIGHTREC" ] || die "no $FLIGHTREC (run make first)"
for lib in "$BUILD/lib/libfr_analyze.a" "$BUILD/lib/libfr_formats.a"; do
	[ -f "$lib" ] || die "no $lib (run make first)"
done
PKGS="libarchive libzstd jansson zlib"
# shellcheck disable=SC2046
cc -std=gnu11 -O2 -g -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -I. $(pkg-config --cflags $PKGS) \
	-o "$TMP/analyze_gen" tests/bench/analyze_gen.c "$BUILD/lib/libfr_analyze.a" \
	"$BUILD/lib/libfr_formats.a" $(pkg-config --libs $PKGS) -lm || die "building analyze_gen failed"

get() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

say "generating a bundle of $N events"
"$TMP/analyze_gen" write "$TMP/big.frb" "$N" > "$TMP/gen.out" || die "generation failed"
events=$(get events "$TMP/gen.out")
size=$(stat -c %s "$TMP/big.frb")
say "bundle: $events events, $((size / 1048576)) MiB ($((size / events)) bytes/event)"

# 1. decode only (reader + codec), one core
taskset -c 0 "$TMP/analyze_gen" decode "$TMP/big.frb" > "$TMP/dec.out" || die "decode failed"
dec_rate=$(get decode_mev_per_s "$TMP/dec.out")
say "decode: $(get decode_seconds "$TMP/dec.out") s, $dec_rate M events/s (target >= 5)"

# 2. model only
taskset -c 0 "$TMP/analyze_gen" model "$TMP/big.frb" > "$TMP/model.out" || die "model failed"
say "model build: $(get model_seconds "$TMP/model.out") s, $(get model_mev_per_s "$TMP/model.out") M events/s"

# 3. the whole analysis, as users run it
# wall time and the child's peak RSS, measured by python3 (in .ci/deps.sh)
python3 - "$TMP/time.out" "$TMP/report.json" taskset -c 0 "$FLIGHTREC" analyze -q --json "$TMP/big.frb" <<'PY' ||
import resource, subprocess, sys, time
out, report, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
t0 = time.monotonic()
with open(report, "w") as f:
    rc = subprocess.run(cmd, stdout=f).returncode
secs = time.monotonic() - t0
with open(out, "w") as f:
    f.write("%.2f %d\n" % (secs, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(rc)
PY
	die "flightrec analyze failed"
read -r secs rss_kb < "$TMP/time.out"
incidents=$(grep -c '"duration_ns"' "$TMP/report.json")
say "flightrec analyze: $secs s, max RSS $((rss_kb / 1024)) MiB, $incidents incidents (targets: < 10 s, < 2048 MiB)"

# 4. perf script on raw_syscalls events recorded by perf, same run
if command -v perf >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	tracefs_was_mounted=$(grep -c ' /sys/kernel/tracing ' /proc/mounts)
	if perf record -q -m 4096 -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -o "$TMP/perf.data" -- \
		dd if=/dev/zero of=/dev/null bs=64 count=300000 status=none 2> "$TMP/perf.err"; then
		start=$(date +%s.%N)
		taskset -c 0 perf script -i "$TMP/perf.data" > "$TMP/perf.txt" 2> /dev/null
		end=$(date +%s.%N)
		pev=$(wc -l < "$TMP/perf.txt")
		awk -v pev="$pev" -v s="$start" -v e="$end" -v dec="$dec_rate" -v ev="$events" -v secs="$secs" 'BEGIN {
			prate = pev / (e - s) / 1e6
			printf "analyze: perf script: %d events in %.2f s, %.3f M events/s\n", pev, e - s, prate
			printf "analyze: ratio: flightrec decode is %.1fx perf script; whole analysis %.1fx (events/s)\n",
				dec / prate, ev / secs / 1e6 / prate
		}'
	else
		say "perf record failed (skipped the comparison): $(tail -1 "$TMP/perf.err")"
	fi
	# perf mounts tracefs to find tracepoints: leave the machine as found
	if [ "$tracefs_was_mounted" = 0 ] && grep -q ' /sys/kernel/tracing ' /proc/mounts; then
		umount /sys/kernel/tracing 2>/dev/null || true
	fi
else
	say "perf not available or not root: no perf script comparison"
fi
