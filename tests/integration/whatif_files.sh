#!/bin/bash
# A program whose new path reads a file the recording never saw gets a
# reported error, not the real file; a file the recording saw is read
# as it was recorded, even after it changed on disk.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay_lib.inc"
. "$(dirname "$0")/whatif_lib.inc"
need_bpf
need_ptrace
need_cmd python3

printf 'alpha\n' > "$TMP/a.txt"
printf 'bravo, a file longer than sixty-four bytes, so that it takes two reads\n' > "$TMP/b.txt"
printf 'SECRET, never recorded\n' > "$TMP/secret.txt"
record "$TMP/f.frb" "$PROGS/wi_file" "$TMP/a.txt" "$TMP/b.txt"
expect_eq "$RECORDED_RC" 0 "recorded wi_file: exit status"

replay "$TMP/f.frb" --set-arg "1=$TMP/secret.txt"
expect_eq "$REPLAY_RC" 3 "an unrecorded file: exit status"
expect_no_grep "SECRET" "$TMP/f.frb.rep" "an unrecorded file: its content is not read"
expect_no_grep "SECRET" "$TMP/f.frb.err" "an unrecorded file: its content is not read (stderr)"
expect_grep "^wi_file: $TMP/secret.txt: No such file or directory" "$TMP/f.frb.err" \
	"an unrecorded file: the program's own error"
expect_grep "UNANSWERED: the recording never opened $TMP/secret.txt" "$TMP/f.frb.err" \
	"report: the open is reported"
expect_grep "summary: .*openat\(AT_FDCWD, \"$TMP/secret.txt\", O_RDONLY\|O_CLOEXEC\) cannot be answered from the recording: it fails with ENOENT.*exit 1 instead of 0" \
	"$TMP/f.frb.err" "report: the summary"
"$FLIGHTREC" replay --json "$TMP/f.frb" --set-arg "1=$TMP/secret.txt" > "$TMP/f.json" \
	2> /dev/null < /dev/null
json_check "$TMP/f.json" '
w = r["what_if"]
assert w["unanswered"] == 1, w
u = [e for e in w["events"] if e["how"] == "unanswered"]
assert u[0]["syscall"] == "openat" and "ENOENT" in u[0]["call"], u
assert w["outcome"]["replayed_exit"] == 1, w["outcome"]
'

# The recording's b.txt, not the one on disk now.
printf 'CHANGED since the recording\n' > "$TMP/b.txt"
replay "$TMP/f.frb" --set-arg "1=$TMP/b.txt"
expect_eq "$REPLAY_RC" 3 "b.txt twice: exit status"
expect_no_grep "CHANGED" "$TMP/f.frb.rep" "b.txt twice: not the file on disk"
expect_eq "$(grep -c '^bravo, a file longer' "$TMP/f.frb.rep")" 2 "b.txt twice: the recorded content, twice"
expect_grep "bytes of $TMP/b.txt at offset 64 as recorded" "$TMP/f.frb.err" "report: where the bytes come from"
expect_grep "summary: .*exit 0, as recorded" "$TMP/f.frb.err" "b.txt twice: the summary"

# One more file than recorded: its name is new, so it is not read either.
replay "$TMP/f.frb" --set-arg "3=$TMP/secret.txt"
expect_eq "$REPLAY_RC" 3 "an added argument: exit status"
expect_eq "$(grep -c '^== ' "$TMP/f.frb.rep")" 2 "an added argument: the two recorded files"
expect_grep "^wi_file: $TMP/secret.txt: No such file or directory" "$TMP/f.frb.err" \
	"an added argument: the error for the third"
exit 0
