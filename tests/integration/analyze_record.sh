#!/bin/bash
# Record each analysis scenario of tests/fixtures/analyze/scenarios.txt for
# real with `flightrec record` and check the analysis: the top root cause's
# category and culprit, with --focus on the victim and without help.
# UPDATE_FIXTURES=1 also stores the bundles in tests/fixtures/analyze.
# SCENARIOS="cpu lock" limits the run.
. "$(dirname "$0")/lib.sh"
need_bpf
need_cmd python3
cd "$(dirname "$0")/../.."
DIR=tests/fixtures/analyze
CHECK=tests/integration/analyze_check.py
CGROUP=""

cleanup_cgroup() {
	[ -n "$CGROUP" ] && [ -d "$CGROUP" ] && rmdir "$CGROUP" 2>/dev/null
	CGROUP=""
}
trap 'cleanup_cgroup; rm -rf "$TMP"' EXIT

# A memory cgroup limited to 64 MiB: cgroup v2 when its memory controller
# is enabled, else the v1 memory hierarchy.
make_cgroup() {
	local base
	for base in /sys/fs/cgroup/unified /sys/fs/cgroup /sys/fs/cgroup/memory; do
		if [ -f "$base/cgroup.subtree_control" ] && grep -qw memory "$base/cgroup.subtree_control" 2>/dev/null; then
			CGROUP=$base/frtest-analyze.$$
			mkdir "$CGROUP" && echo $((64 << 20)) > "$CGROUP/memory.max" && return 0
			cleanup_cgroup
		elif [ -f "$base/memory.limit_in_bytes" ]; then
			CGROUP=$base/frtest-analyze.$$
			mkdir "$CGROUP" && echo $((64 << 20)) > "$CGROUP/memory.limit_in_bytes" && return 0
			cleanup_cgroup
		fi
	done
	return 1
}

# Record scenario $1 (try $2) and check it; returns 1 when the top root
# cause is not the expected one, fails the test on anything else.
record_and_check() {
	local name=$1 try=$2 a=$args
	if [[ "$a" == *@CGROUP* ]]; then
		make_cgroup || skip_or_fail REQUIRE_BPF "$name: cannot create a memory cgroup with a limit"
		a=${a//@CGROUP/$CGROUP}
	fi
	mkdir -p "$TMP/scratch"
	a=${a//@DIR/$TMP/scratch}
	# payloads are cut at 4 KiB: the analysis needs paths, fdinfo and structs,
	# not the megabytes the memory scenario writes (the recorder would spend
	# CPU on them next to the victim)
	# shellcheck disable=SC2086
	timeout 300 "$FLIGHTREC" record --snaplen 4K -o "$TMP/$name.frb" -- "$PROGS/$prog" $a > "$TMP/$name.out" 2> "$TMP/$name.err" ||
		fail "$name: flightrec record failed: $(tail -5 "$TMP/$name.err")"
	cleanup_cgroup
	"$FLIGHTREC" analyze --json --focus "comm:$victim" "$TMP/$name.frb" > "$TMP/$name.focus.json" ||
		fail "$name: analyze --focus failed"
	"$FLIGHTREC" analyze --json --top 20 "$TMP/$name.frb" > "$TMP/$name.auto.json" || fail "$name: analyze failed"
	# a scenario that may need several tries must still, whatever the
	# timing, never blame time of its category on another culprit
	if [ "$tries" -gt 1 ]; then
		python3 "$CHECK" blame "$TMP/$name.focus.json" "$victim" "$category" "$culprit" ||
			fail "$name: $category time blamed on the wrong culprit"
	fi
	python3 "$CHECK" focus "$TMP/$name.focus.json" "$category" "$culprit" 2> "$TMP/$name.why" || return 1
	python3 "$CHECK" any "$TMP/$name.auto.json" "$victim" "$category" "$culprit" 2> "$TMP/$name.why" || return 1
	return 0
}

ran=0
while read -r name victim category culprit tries prog args; do
	case "$name" in ''|'#'*) continue ;; esac
	if [ -n "${SCENARIOS:-}" ] && ! [[ " $SCENARIOS " == *" $name "* ]]; then
		continue
	fi
	ok=0
	for try in $(seq 1 "$tries"); do
		if record_and_check "$name" "$try"; then
			ok=1
			break
		fi
		echo "$name: try $try of $tries: $(cat "$TMP/$name.out") $(cat "$TMP/$name.why")" >&2
	done
	[ $ok = 1 ] || fail "$name ($(cat "$TMP/$name.out")): the top root cause is not $category / $culprit: $(cat "$TMP/$name.why")"
	if [ "${UPDATE_FIXTURES:-0}" = 1 ]; then
		cp "$TMP/$name.frb" "$DIR/$name.frb" || fail "$name: cannot store the fixture"
	fi
	ran=$((ran + 1))
done < "$DIR/scenarios.txt"
[ "$ran" -gt 0 ] || fail "no scenario ran"
exit 0
