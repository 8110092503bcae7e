# Helpers for the record_*.sh and capture_*.sh tests (sourced after lib.sh;
# not a test itself: run-integration.sh runs *.sh only).
#
#   rec OUT CMD...      flightrec record -q -o OUT -- CMD..., stdout and
#                       stderr of the run in $TMP/rec.out / $TMP/rec.err;
#                       returns the recorder's exit status
#   events_json FILE    the bundle's events as JSON lines in $TMP/ev.json
#   manifest FILE       inspect --json in $TMP/insp.json
#   proctab FILE        the process table member, decompressed, in $TMP/proc.json
#   jqe EXPR FILE       jq -e, failing the test with EXPR when it is false/null
#   expect_no_losses    $TMP/insp.json reports no loss of any cause
need_cmd jq tar zstd

rec() {
	local out=$1
	shift
	"$FLIGHTREC" record -q -o "$out" -- "$@" >"$TMP/rec.out" 2>"$TMP/rec.err"
}

events_json() {
	"$FLIGHTREC" events --json "$1" >"$TMP/ev.json" || fail "events --json $1 failed"
}

manifest() {
	"$FLIGHTREC" inspect --json "$1" >"$TMP/insp.json" || fail "inspect --json $1 failed"
}

proctab() {
	tar -xOf "$1" processes.json.zst | zstd -dc >"$TMP/proc.json" ||
		fail "cannot read the process table of $1"
}

# jqe EXPR FILE [WHAT]: the jq expression must be true on FILE (slurped
# when it holds JSON lines).
jqe() {
	local expr=$1 file=$2 what=${3:-$1} slurp=
	case $file in *ev.json) slurp=-s ;; esac
	jq -e $slurp "$expr" "$file" >/dev/null ||
		fail "$what (jq: $expr on $(basename "$file"))"
}

expect_no_losses() {
	jqe '[.losses[]] | all(. == 0)' "$TMP/insp.json" "no losses at default settings: $(jq -c .losses "$TMP/insp.json")"
}
