#!/bin/bash
# Replay serves files from the recording: a file deleted, a directory
# changed, a file rewritten and stdin gone at replay time change nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay_lib.inc"
need_bpf
need_ptrace
need_cmd cat ls sha256sum tr

# cat of a file deleted before the replay
printf 'line one\nline two: %s\n' "$RANDOM$RANDOM" > "$TMP/data.txt"
record "$TMP/cat.frb" cat "$TMP/data.txt"
expect_eq "$RECORDED_RC" 0 "cat exit status"
rm "$TMP/data.txt"
replay "$TMP/cat.frb"
expect_identical "$TMP/cat.frb" "cat of a deleted file"
grep -q "line two" "$TMP/cat.frb.rep" || fail "cat: the file's content is not in the replay's output"

# ls -l of a directory changed before the replay
mkdir "$TMP/dir"
touch "$TMP/dir/alpha" "$TMP/dir/beta"
record "$TMP/ls.frb" ls -l "$TMP/dir"
rm "$TMP/dir/alpha"
touch "$TMP/dir/gamma"
chmod 600 "$TMP/dir/beta"
replay "$TMP/ls.frb"
expect_identical "$TMP/ls.frb" "ls -l of a changed directory"
expect_grep "alpha" "$TMP/ls.frb.rep" "ls: the removed file is listed as recorded"
expect_no_grep "gamma" "$TMP/ls.frb.rep" "ls: a file created after the recording"

# sha256sum of a file rewritten after the recording
seq 1 20000 > "$TMP/numbers"
record "$TMP/sha.frb" sha256sum "$TMP/numbers"
want=$(cut -d' ' -f1 "$TMP/sha.frb.out")
echo changed > "$TMP/numbers"
replay "$TMP/sha.frb"
expect_identical "$TMP/sha.frb" "sha256sum"
expect_eq "$(cut -d' ' -f1 "$TMP/sha.frb.rep")" "$want" "sha256sum: the recorded digest"

# a program reading stdin: the replay has none (/dev/null), the recording had it
printf 'hello stdin\nsecond line\n' | record "$TMP/tr.frb" tr a-z A-Z
replay "$TMP/tr.frb"
expect_identical "$TMP/tr.frb" "tr reading stdin"
expect_eq "$(head -1 "$TMP/tr.frb.rep")" "HELLO STDIN" "tr output"
# An executable gone at replay time: the copy stored with --with-files
# runs; without it, replay says what is missing.
need_cmd cc
printf '#include <stdio.h>\nint main(void) { puts("from a deleted program"); return 0; }\n' \
	> "$TMP/gone.c"
cc -o "$TMP/gone" "$TMP/gone.c" || fail "compiling"
"$FLIGHTREC" record -q --with-files -o "$TMP/gone.frb" -- "$TMP/gone" 2> "$TMP/gone.log" |
	cat > "$TMP/gone.frb.out"
"$FLIGHTREC" record -q -o "$TMP/gone2.frb" -- "$TMP/gone" 2> /dev/null | cat > /dev/null
rm "$TMP/gone"
replay "$TMP/gone.frb"
expect_identical "$TMP/gone.frb" "deleted executable, stored copy"
replay "$TMP/gone2.frb"
expect_eq "$REPLAY_RC" 1 "deleted executable, no copy: exit status"
expect_grep "^flightrec: replay: .*cannot execute $TMP/gone: .*--with-files" "$TMP/gone2.frb.err" \
	"deleted executable, no copy: message"
exit 0
