#!/bin/bash
# Divergences: a changed executable, and an injection that changes the
# program's path, end strict replay with exit status 3 and a report that
# names the system call.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay_lib.inc"
need_bpf
need_ptrace
need_cmd cc cat

cat > "$TMP/hello.c" <<'C'
#include <stdio.h>
int main(void) { puts("version one"); return 0; }
C
cc -o "$TMP/hello" "$TMP/hello.c" || fail "compiling"
record "$TMP/hello.frb" "$TMP/hello"
sed -i 's/version one/version two, longer/' "$TMP/hello.c"
cc -o "$TMP/hello" "$TMP/hello.c" || fail "recompiling"
replay "$TMP/hello.frb"
expect_eq "$REPLAY_RC" 3 "changed executable: exit status"
expect_grep "replay diverged" "$TMP/hello.frb.err" "changed executable: report"
expect_grep "expected: write\(1[^,]*, \"version one" "$TMP/hello.frb.err" "report: the recorded write"
expect_grep "actual: +write\(1, \"version two, longer" "$TMP/hello.frb.err" "report: the new write"
expect_grep "is not the file that was recorded" "$TMP/hello.frb.err" "report: the build-id warning"
expect_grep "^version two, longer" "$TMP/hello.frb.rep" "the new program's output is shown"

# An injected write error: cat goes on to report it (looking up its message
# catalog first), which the recording never did.
echo "some text" > "$TMP/in.txt"
record "$TMP/cat.frb" cat "$TMP/in.txt"
replay "$TMP/cat.frb" --inject=write:error=ENOSPC
expect_eq "$REPLAY_RC" 3 "injected ENOSPC: exit status"
expect_grep "replay diverged from the recording \(syscall\)" "$TMP/cat.frb.err" "report"
expect_grep "expected: read\(3" "$TMP/cat.frb.err" "report: the recorded next call"
expect_grep "actual: +[a-z0-9_]+\(" "$TMP/cat.frb.err" "report names the program's call"
expect_grep "after the injection write:error=ENOSPC \(invocation 1 of write\)" "$TMP/cat.frb.err" \
	"report names the injection"
[ -s "$TMP/cat.frb.rep" ] && fail "the failed write must not be shown"

# The same injection on an invocation that does not exist changes nothing.
replay "$TMP/cat.frb" --inject=write:error=ENOSPC:when=50
expect_identical "$TMP/cat.frb" "an injection that never fires"
exit 0
