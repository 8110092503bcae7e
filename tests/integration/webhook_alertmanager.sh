#!/bin/bash
# flightrec capture --webhook: Alertmanager's notification, POSTed with
# curl as Alertmanager sends it (JSON, version 4, bearer token), writes a
# bundle whose trigger is the alert; without the token the answer is 401
# and nothing is written; during the cooldown the answer is 200
# "suppressed"; resolved-only notifications are ignored; other paths,
# methods, bodies and types are refused with their status and a message.
# The endpoint is on loopback when no host is given.
. "$(dirname "$0")/lib.sh"
need_bpf
need_cmd curl
. "$(dirname "$0")/daemon.bash"

printf 'tok-%s\n' "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$TMP/token"
chmod 600 "$TMP/token"
TOKEN=$(head -1 "$TMP/token")

# port 0: the kernel picks a free one; the daemon says which
start_daemon --pre 2s --post 500ms --cooldown 30s --comm dm_ticker \
	--webhook 0 --webhook-token "$TMP/token"
url=$(grep -o 'webhook http://[^ ]*' "$TMP/d.err" | head -1 | cut -d' ' -f2)
[ -n "$url" ] || fail "the start line does not say where the webhook listens: $(cat "$TMP/d.err")"
case $url in
http://127.0.0.1:[1-9]*/alertmanager) ;;
*) fail "--webhook PORT must listen on loopback, got $url" ;;
esac
grep -q '(bearer token)' "$TMP/d.err" || fail "the start line does not say a token is required"

bg "$PROGS/dm_ticker" dm-tick 50 100 >/dev/null

cat >"$TMP/firing.json" <<'EOF'
{"version":"4","groupKey":"{}:{alertname=\"CheckoutTimeouts\"}","truncatedAlerts":0,
 "status":"firing","receiver":"flightrec","groupLabels":{"alertname":"CheckoutTimeouts"},
 "commonLabels":{"alertname":"CheckoutTimeouts","severity":"page"},
 "commonAnnotations":{"summary":"checkout requests time out"},
 "externalURL":"http://alertmanager:9093",
 "alerts":[
  {"status":"firing","labels":{"alertname":"CheckoutTimeouts","instance":"shop-1"},
   "annotations":{"summary":"checkout p99 above 750 ms"},
   "startsAt":"2026-11-22T03:00:00Z","endsAt":"0001-01-01T00:00:00Z",
   "generatorURL":"http://prometheus:9090/graph","fingerprint":"a1"},
  {"status":"firing","labels":{"alertname":"CheckoutTimeouts","instance":"shop-2"},
   "annotations":{},"startsAt":"2026-11-22T03:00:00Z","endsAt":"0001-01-01T00:00:00Z",
   "generatorURL":"","fingerprint":"b2"}]}
EOF
sed 's/"firing"/"resolved"/g' "$TMP/firing.json" >"$TMP/resolved.json"

# post NAME [CURL ARGS...]: body in $TMP/NAME.body, status echoed
post() {
	local name=$1
	shift
	curl -sS -o "$TMP/$name.body" -w '%{http_code}' --max-time 10 "$@"
}
J='Content-Type: application/json'
A="Authorization: Bearer $TOKEN"

sleep 1
expect_eq "$(post notoken -H "$J" --data-binary @"$TMP/firing.json" "$url")" 401 "no token"
jqe '.error | test("bearer token")' "$TMP/notoken.body" "401 says a token is needed"
expect_eq "$(post badtoken -H "$J" -H "Authorization: Bearer ${TOKEN}x" \
	--data-binary @"$TMP/firing.json" "$url")" 401 "a wrong token"
sleep 1
expect_eq "$(wc -l <"$TMP/d.out")" 0 "no bundle without the token"
grep -q 'refused a POST from 127.0.0.1: no or a wrong bearer token' "$TMP/d.err" ||
	fail "the refusal is not logged"

expect_eq "$(post firing -H "$J" -H "$A" --data-binary @"$TMP/firing.json" "$url")" 202 "the alert"
jqe '.status == "accepted" and (.bundle | test("/flightrec-[0-9T.]+Z-webhook\\.frb$")) and .reason == "CheckoutTimeouts: checkout p99 above 750 ms (+1 more)"' \
	"$TMP/firing.body" "202 names the bundle and the reason"
# during the bundle (post window) and then the cooldown: suppressed, 200
expect_eq "$(post again -H "$J" -H "$A" --data-binary @"$TMP/firing.json" "$url")" 200 "a second alert"
jqe '.status == "suppressed" and (.why | length > 0)' "$TMP/again.body" "200 says why it was suppressed"

wait_bundles 1
b=$(bundle_path 1)
expect_eq "$b" "$(jq -r .bundle "$TMP/firing.body")" "the bundle announced is the one the 202 named"
expect_eq "$(stat -c %a "$b")" 600 "bundle mode"
manifest "$b"
events_json "$b"
jqe '.trigger.kind == "webhook" and .trigger.reason == "CheckoutTimeouts: checkout p99 above 750 ms (+1 more)"' \
	"$TMP/insp.json" "the manifest's trigger is the alert"
t=$(trig_ns)
jqe "map(select(.type == \"mark\" and .kind == \"trigger\" and .ts_ns == $t and .text == \"webhook: CheckoutTimeouts: checkout p99 above 750 ms (+1 more)\")) | length == 1" \
	"$TMP/ev.json" "a trigger mark with the alert at the trigger time"
jqe 'map(select(.type == "syscall" and .comm == "dm_ticker")) | length > 10' "$TMP/ev.json" \
	"the bundle holds what the daemon records"

expect_eq "$(post cooldown -H "$J" -H "$A" --data-binary @"$TMP/firing.json" "$url")" 200 "in the cooldown"
jqe '.status == "suppressed" and (.why | startswith("cooldown"))' "$TMP/cooldown.body" "cooldown"
expect_eq "$(post resolved -H "$J" -H "$A" --data-binary @"$TMP/resolved.json" "$url")" 200 "resolved"
jqe '.status == "ignored"' "$TMP/resolved.body" "resolved alerts are ignored"

expect_eq "$(post v3 -H "$J" -H "$A" --data-binary '{"version":"3","alerts":[]}' "$url")" 400 "version 3"
jqe '.error | test("version \"3\" is not supported")' "$TMP/v3.body" "400 says why"
expect_eq "$(post notjson -H "$J" -H "$A" --data-binary '{"version":' "$url")" 400 "not JSON"
expect_eq "$(post get -H "$A" "$url")" 405 "GET"
expect_eq "$(post path -H "$J" -H "$A" --data-binary @"$TMP/firing.json" "${url%/alertmanager}/trigger")" 404 "another path"
expect_eq "$(post form -H "$A" --data-binary @"$TMP/firing.json" "$url")" 415 "a form (what a browser page could send)"
head -c $((300 << 10)) /dev/zero | tr '\0' ' ' >"$TMP/big"
expect_eq "$(post big -H "$J" -H "$A" --data-binary @"$TMP/big" "$url")" 413 "a body over 256 KiB"

sleep 1
expect_eq "$(wc -l <"$TMP/d.out")" 1 "one bundle in all"
stop_daemon
grep -q '1 bundles written, 0 failed, 2 triggers suppressed' "$TMP/d.err" ||
	fail "summary: $(tail -1 "$TMP/d.err")"

# usage errors
"$FLIGHTREC" capture --webhook 127.0.0.1:99999 >/dev/null 2>"$TMP/u1.err"
expect_eq $? 2 "a bad port is a usage error"
grep -q 'flightrec: capture: --webhook .*port' "$TMP/u1.err" || fail "bad port message: $(cat "$TMP/u1.err")"
"$FLIGHTREC" capture --webhook-token "$TMP/token" >/dev/null 2>"$TMP/u2.err"
expect_eq $? 2 "--webhook-token alone"
"$FLIGHTREC" capture -o "$TMP/out2" --no-socket --comm dm_ticker --webhook 0 \
	--webhook-token "$TMP/missing" >/dev/null 2>"$TMP/u3.err"
expect_eq $? 1 "a missing token file stops the daemon"
grep -q "flightrec: capture: --webhook: $TMP/missing: No such file or directory" "$TMP/u3.err" ||
	fail "missing token message: $(cat "$TMP/u3.err")"
exit 0
