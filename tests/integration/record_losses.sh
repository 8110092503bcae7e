#!/bin/bash
# Nothing is lost silently.  At default settings a burst of 200000 writes
# is recorded completely (every call, every payload).  With a deliberately
# tiny ring buffer records are dropped: the manifest counts them (by CPU
# too), LOST events at their place in time add up to that count, and the
# summary says so.  A --snaplen cut is flagged on each payload and counted.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

# default settings: complete
rec "$TMP/full.frb" "$PROGS/cap_storm" 200000 64 || fail "record exited $? ($(cat "$TMP/rec.err"))"
manifest "$TMP/full.frb"
expect_no_losses
jqe '.events.by_type.lost == null' "$TMP/insp.json" "no LOST events"
# one line per write recorded with a complete 64-byte payload: its first 8
# bytes (cap_storm puts the iteration number there, so all must differ)
"$FLIGHTREC" events --type syscall --json "$TMP/full.frb" |
	jq -r 'select(.name == "write" and .args[0] == 3 and .ret == 64) | .payloads[]
		| select(.kind == "in" and .len == 64 and .full_len == 64) | .data
		| if type == "object" then .hex[0:16] else (.[0:8] | @json) end' >"$TMP/keys"
expect_eq "$(wc -l <"$TMP/keys")" 200000 "every write recorded with its 64-byte payload"
expect_eq "$(sort -u "$TMP/keys" | wc -l)" 200000 "200000 distinct payloads"

# a tiny ring: drops, counted and placed
"$FLIGHTREC" record -o "$TMP/tiny.frb" --ring-size 8K -- "$PROGS/cap_storm" 20000 64 >/dev/null 2>"$TMP/err" ||
	fail "record with a tiny ring exited $?"
manifest "$TMP/tiny.frb"
lost=$(jq '.losses.ring_full' "$TMP/insp.json")
[ "$lost" -gt 0 ] || fail "an 8 KiB ring lost nothing during a storm?"
expect_grep "^flightrec: record: .*, $lost records lost \(ring buffer full\)$" "$TMP/err" "summary reports the loss"
jqe "(.capture.agent.losses_per_cpu | map(.ring_full) | add) == $lost" "$TMP/insp.json" "losses by CPU add up"
"$FLIGHTREC" events --json "$TMP/tiny.frb" >"$TMP/ev.json"
jqe "map(select(.type == \"lost\" and .cause == \"ring_full\") | .count) | add == $lost" "$TMP/ev.json" \
	"LOST events add up to the manifest's count"
writes=$(jq -s 'map(select(.type == "syscall" and .name == "write" and .args[0] == 3)) | length' "$TMP/ev.json")
[ "$writes" -lt 20000 ] || fail "all writes recorded although records were dropped"
[ $((writes + lost)) -ge 20000 ] || fail "$writes writes recorded + $lost dropped < 20000: drops not all counted"
expect_eq "$(jq '.capture.ring_bytes' "$TMP/insp.json")" 8192 "ring size in the manifest"

# snaplen
"$FLIGHTREC" record -q --snaplen 16 -o "$TMP/snap.frb" -- "$PROGS/cap_storm" 10 100 >/dev/null ||
	fail "record --snaplen failed"
"$FLIGHTREC" events --json "$TMP/snap.frb" >"$TMP/ev.json"
manifest "$TMP/snap.frb"
jqe 'map(select(.type == "syscall" and .name == "write" and .args[0] == 3)) | length == 10 and all(.payload_cut and (.payloads | map(select(.kind == "in"))[0] | .len == 16 and .full_len == 100 and .truncated))' \
	"$TMP/ev.json" "writes cut to 16 of 100 bytes and flagged"
cut=$(jq -s 'map(select(.type == "syscall") | .payloads[] | select(.truncated)) | length' "$TMP/ev.json")
jqe ".losses.payload_truncated == $cut and .capture.snaplen == 16 and .losses.ring_full == 0" "$TMP/insp.json" \
	"truncations counted in the manifest"
exit 0
