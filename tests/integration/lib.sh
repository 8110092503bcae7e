# Shared helpers for integration tests.  Source it first:
#   . "$(dirname "$0")/lib.sh"
# Then: need_bpf / need_ptrace / need_root / need_cmd at the top, and
# fail "message", check/expect helpers below.  Each test gets a fresh
# $TMP directory, removed on exit.
set -u
FLIGHTREC=${FLIGHTREC:-$(realpath build/flightrec)}
PROGS=${PROGS:-$(realpath -m build/progs)}
TMP=$(mktemp -d /tmp/frtest.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Skip, or fail when the matching REQUIRE_* variable is set (CI).
skip_or_fail() {
	local req=$1; shift
	if [ -n "${!req:-}" ] && [ "${!req}" != 0 ]; then
		fail "$* (and $req is set)"
	fi
	skip "$*"
}

need_root() {
	[ "$(id -u)" = 0 ] || skip_or_fail REQUIRE_BPF "needs root"
}

need_bpf() {
	[ "$(id -u)" = 0 ] || skip_or_fail REQUIRE_BPF "eBPF tests need root"
	[ -r /sys/kernel/btf/vmlinux ] || skip_or_fail REQUIRE_BPF "kernel has no BTF (/sys/kernel/btf/vmlinux)"
	"$FLIGHTREC" record --help >/dev/null 2>&1 || skip_or_fail REQUIRE_BPF "this flightrec was built without eBPF support"
}

need_ptrace() {
	local scope
	scope=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)
	if [ "$scope" = 3 ]; then
		skip_or_fail REQUIRE_PTRACE "ptrace is disabled (kernel.yama.ptrace_scope=3)"
	fi
	if [ -r /proc/self/status ] && grep -q '^TracerPid:[[:space:]]*[1-9]' /proc/self/status; then
		skip_or_fail REQUIRE_PTRACE "already running under a tracer"
	fi
}

need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "needs $c"
	done
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# expect_grep PATTERN FILE WHAT
expect_grep() {
	grep -qE -- "$1" "$2" || { echo "--- $2:" >&2; head -50 "$2" >&2; fail "$3: no line matches /$1/"; }
}

# expect_no_grep PATTERN FILE WHAT
expect_no_grep() {
	if grep -qE -- "$1" "$2"; then
		grep -E -- "$1" "$2" | head -5 >&2
		fail "$3: unexpected /$1/"
	fi
}
