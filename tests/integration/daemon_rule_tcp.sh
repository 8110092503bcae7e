#!/bin/bash
# --trigger-on tcp-retransmits>5/s: two network namespaces joined by a veth
# pair (addresses private to them: nothing leaves this machine), 8 TCP
# connections streaming from one to the other, then nftables drops the
# segments on the receiving side: the senders retransmit and the rule fires;
# the bundle holds the retransmits of those connections.
. "$(dirname "$0")/lib.sh"
need_bpf
need_cmd ip nft
. "$(dirname "$0")/daemon.bash"

a=frtA$$ b=frtB$$ va=frva$$ vb=frvb$$ port=5599
ip netns add $a && ip netns add $b || fail "cannot create network namespaces"
trap 'cleanup_daemon; ip netns del $a 2>/dev/null; ip netns del $b 2>/dev/null' EXIT
ip link add $va type veth peer name $vb || fail "cannot create a veth pair"
ip link set $va netns $a && ip link set $vb netns $b || fail "cannot move the veth ends"
ip -n $a addr add 10.213.7.1/24 dev $va && ip -n $b addr add 10.213.7.2/24 dev $vb || fail "addresses"
ip -n $a link set $va up && ip -n $b link set $vb up && ip -n $a link set lo up && ip -n $b link set lo up ||
	fail "links up"

start_daemon --pre 2s --post 1s --cooldown 0 --no-socket --trigger-on 'tcp-retransmits>5/s'
bg ip netns exec $b "$PROGS/dm_tcp" server 10.213.7.2 $port >"$TMP/srv.out"
for i in $(seq 50); do grep -q listening "$TMP/srv.out" && break; sleep 0.1; done
bg ip netns exec $a "$PROGS/dm_tcp" client 10.213.7.2 $port 8 8 >"$TMP/cli.out"
for i in $(seq 50); do grep -q connected "$TMP/cli.out" && break; sleep 0.1; done
grep -q connected "$TMP/cli.out" || fail "the client could not connect"
sleep 0.5
expect_eq "$(wc -l <"$TMP/d.out")" 0 "no bundle while nothing is dropped"
ip netns exec $b nft -f - <<NFT || fail "nft rule"
table inet frtest {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp dport $port drop
	}
}
NFT
rule_bundle 20
t=$(trig_ns)
jqe '.trigger.reason | test("^tcp-retransmits>5/s: 6 TCP retransmissions within")' "$TMP/insp.json" \
	"reason: $(jq -r .trigger.reason "$TMP/insp.json")"
jqe "map(select(.type == \"tcp_retransmit\" and .tuple.remote == \"10.213.7.2:$port\" and .ts_ns <= $t and .ts_ns > $t - 1000000000)) | length >= 6" \
	"$TMP/ev.json" "six retransmits of the test connections within the second before the trigger"
jqe "map(select(.type == \"tcp_retransmit\" and .ts_ns == $t)) | length >= 1" "$TMP/ev.json" \
	"a retransmit at the trigger time"
stop_daemon
exit 0
