#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Traffic through gif0 (IPv4 outer) and gif6 (IPv6 outer) between two namespaces: pings for every
# combination both ways, 10 MiB TCP transfers, RX counters, tcpdump on gif0, the outer headers on
# the wire (dissect.py), `show -j`, an idempotent `tunnel set`, and re-addressing.
source "$(dirname "$0")/lib.sh"

test_ping() {
	local c from to
	for c in $COMBOS; do
		for from in 1 2; do
			to=$((3 - from))
			ping_ok "$(side $from)" "$(addr "$c" $to)"
			log_test "ping $c ${SIDES[$from]}->${SIDES[$to]} (${VIA[$c]})" $?
		done
	done
}

test_xfer() {
	local c
	for c in 4in4 6in6; do
		xfer $c
		log_test "10 MiB TCP A->B over $c, sha256 verified" $?
	done
}

# rx_moves COMBO: B's RX packet counter of the carrying gif grows by the 3 pings at least
rx_moves() {
	local dev=${VIA[$1]} before after
	before=$(rx_packets "$B" "$dev")
	ping_ok "$A" "$(addr "$1" 2)" || return 1
	after=$(rx_packets "$B" "$dev")
	[ $((after - before)) -ge 3 ] && return 0
	note "$dev rx_packets in B: $before -> $after, want +3 at least"
	return 1
}

test_counters() {
	local c
	for c in 4in4 6in6; do
		rx_moves $c
		log_test "${VIA[$c]} RX counter in B moves ($c ping)" $?
	done
}

test_tcpdump_gif() {
	local rc=1 pcap=$TMPD/gif0.pcap
	if capture_start "$B" gif0 "$pcap" icmp; then
		ping_ok "$A" "$(addr 4in4 2)"
		capture_stop
		tcpdump -n -r "$pcap" 2>/dev/null >"$pcap.txt"
		grep -q '198.19.0.1 > 198.19.0.2: ICMP echo request' "$pcap.txt" && rc=0
		[ $rc -eq 0 ] || note "tcpdump -i gif0 in B saw: $(head -5 "$pcap.txt")"
	fi
	log_test "tcpdump -i gif0 in B sees the inner echo request" $rc
}

# wire_ok COMBO: B's packets to A (captured on ub) carry the right outer header
wire_ok() {
	local c=$1 gif=${VIA[$1]} fam=4 proto=4 iproto=1 df=df=true
	[ "$gif" = gif6 ] && fam=6 df=
	[[ $c == 6* ]] && proto=41 iproto=58
	jwant 3+ inner_src="$(addr "$c" 2)" inner_dst="$(addr "$c" 1)" -- family=$fam \
		src="${OUTER[$gif]}2" dst="${OUTER[$gif]}1" proto=$proto ttl=64 dscp=46 \
		inner_dscp=46 inner_proto=$iproto csum_ok=true len_ok=true $df <"$TMPD/ub.json"
}

# Only B's own transmissions show on ub: XDP takes the arriving ones before any tap.
test_wire() {
	local c
	capture_start "$B" ub "$TMPD/ub.pcap" \
		'ip proto 4 or ip proto 41 or ip6 proto 4 or ip6 proto 41' || fatal "capture on ub"
	for c in $COMBOS; do
		ping_ok "$B" -Q 0xb8 -t 33 "$(addr "$c" 1)" || note "(checking the capture anyway)"
	done
	capture_stop
	"$PY" "$E2E/dissect.py" "$TMPD/ub.pcap" >"$TMPD/ub.json"
	for c in $COMBOS; do
		wire_ok "$c"
		log_test "wire $c: outer addrs, proto, ttl 64, DSCP, DF, csum, len" $?
	done
}

test_show() {
	step ns_gifctl "$A" -j show gif0 &&
		jwant 1 name=gif0 -- src=198.18.0.1 dst=198.18.0.2 mtu=1480 'underlays=["ua"]' \
			peer=gif0-gp <<<"$OUT"
	log_test "show -j gif0: name, src, dst, mtu 1480, underlays, peer" $?
	step ns_gifctl "$B" -j show gif6 &&
		jwant 1 name=gif6 -- src=2001:db8:ff::2 dst=2001:db8:ff::1 mtu=1460 \
			'underlays=["ub"]' peer=gif6-gp <<<"$OUT" &&
		ip -j -n "$B" link show gif6 | jwant 1 ifname=gif6 -- mtu=1460
	log_test "show -j gif6 (IPv6 outer): mtu 1460 on show and device" $?
}

# snapshot NS GIF: show -j without counters, plus ifindex and MTU of GIF and its peer
snapshot() {
	ns_gifctl "$1" -j show "$2" | jeval doc \
		'[{k: v for k, v in o.items() if not re.search("stat|packet|byte|drop|err", k)}
		  for o in j]'
	ip -j -n "$1" link show | jeval doc \
		"[(l['ifname'], l['ifindex'], l['mtu']) for l in j
		  if l['ifname'] in ('$2', '$2-gp')]"
}

test_same_pair() {
	local before
	before=$(snapshot "$A" gif0)
	step ns_gifctl "$A" tunnel set gif0 198.18.0.1 198.18.0.2 &&
		eq "show -j gif0 and links after it" "$(snapshot "$A" gif0)" "$before"
	log_test "tunnel set with the same pair: exit 0, nothing changes" $?
}

# injected OSRC ODST: of 20 crafted 198.19.0.1->.2 echo requests in OSRC->ODST IPv4 sent from
# A's ua, how many gif0 in B receives
injected() {
	local mac before
	mac=$(ip -j -n "$B" link show ub | jeval doc 'j[0]["address"]')
	before=$(rx_packets "$B" gif0)
	timeout 20 ip netns exec "$A" "$PY" "$E2E/tools.py" inject ua "$mac" "$1" "$2" \
		198.19.0.1 198.19.0.2 20 >/dev/null
	busywait 1000 eval '[ $(($(rx_packets "$B" gif0) - before)) -ge 20 ]'
	echo $(($(rx_packets "$B" gif0) - before))
}

test_readdress() {
	local n rc=0
	n=$(injected 198.18.0.1 198.18.0.2)
	[ "$n" -ge 20 ] || { note "with the configured pair: $n of 20 received"; rc=1; }
	log_test "crafted 4in4 from scapy is decapsulated into gif0" $rc

	rc=0
	step ip -n "$A" addr add 198.18.0.11/24 dev ua &&
		step ip -n "$B" addr add 198.18.0.12/24 dev ub &&
		step ns_gifctl "$A" tunnel set gif0 198.18.0.11 198.18.0.12 &&
		step ns_gifctl "$B" tunnel set gif0 198.18.0.12 198.18.0.11 || rc=1
	ping_ok "$A" "$(addr 4in4 2)" && ping_ok "$B" "$(addr 4in4 1)" &&
		ping_ok "$A" "$(addr 6in4 2)" || rc=1
	ns_gifctl "$A" -j show gif0 | jwant 1 name=gif0 -- src=198.18.0.11 dst=198.18.0.12 || rc=1
	log_test "re-addressing gif0 to a new pair: pings pass, show has it" $rc

	n=$(injected 198.18.0.1 198.18.0.2)
	[ "$n" -lt 20 ] || note "crafted packets with the old pair: $n of 20 still received"
	log_test "old pair no longer decapsulates after re-addressing" $((n >= 20))
}

# Inner multicast: an all-nodes echo request leaves through gif0 (link-local source, multicast
# Ethernet destination before encapsulation) and B answers from its gif0 link-local address.
test_multicast() {
	local rc=0
	expect 0 ip netns exec "$A" ping -6 -c 2 -W 2 -i 0.3 -I gif0 ff02::1 &&
		grep -q 'from fe80::.* icmp_seq=' <<<"$OUT" || { note "no reply to ff02::1%gif0: $OUT"; rc=1; }
	log_test "inner IPv6 multicast (ff02::1 on gif0) is carried and answered" $rc
}

rig_up
test_ping
test_multicast
test_xfer
test_counters
test_tcpdump_gif
test_wire
test_show
test_same_pair
test_readdress
tests_done
