#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The two decapsulation paths (README "Device model"): gifctl's own choice on a veth underlay is
# TC ingress; every combination pings and carries TCP both at TC ingress and in XDP; switching
# between them under traffic loses no packet (make-before-break); `check` sees gifctl's TC filter
# deleted behind its back and `check --repair` attaches it again, a foreign filter put in its place
# is reported and never replaced; detach removes gifctl's.
source "$(dirname "$0")/lib.sh"

RIG_DECAP=	# gifctl's choice
XDP_PASS_OBJ=${XDP_PASS_OBJ:-$ROOT/build/tests/xdp_pass.bpf.o}

# modes NS: the underlay modes `show -j` reports in NS, one per tunnel ("tc tc", ...)
modes() {
	ns_gifctl "$1" -j show | jeval doc '" ".join(m for o in j for m in o["underlay_modes"])'
}

# tc_ingress NS DEV: the name of the BPF program of DEV's TC-ingress filter, empty when none
tc_ingress() {
	ip netns exec "$1" tc -j filter show dev "$2" ingress | jeval doc \
		'" ".join(f["options"]["prog"]["name"] for f in j if "prog" in f.get("options", {}))'
}

test_auto() {
	local rc=0
	eq "modes in A" "$(modes "$A")" "tc tc" && eq "modes in B" "$(modes "$B")" "tc tc" || rc=1
	eq "TC ingress of ua" "$(tc_ingress "$A" ua)" gif_tc_rx && eq "XDP on ua" "$(xdp_id "$A" ua)" "" ||
		rc=1
	step ns_gifctl "$A" show && [[ $OUT == *"underlays ua (tc)"* ]] ||
		{ note "show: $OUT"; rc=1; }
	expect 0 ns_gifctl "$A" attach ua && [[ $OUT == "ua: already attached (TC ingress)" ]] ||
		{ note "attach again: $OUT"; rc=1; }
	log_test "attach on veth: TC ingress (gifctl's choice), shown, attach again a no-op" $rc
}

# traffic_both MODE: every combination pings both ways; 4 MiB of TCP over 4in4 and 6in6; B's gif
# counters moved
traffic_both() {
	local c from rc=0
	stats_mark "$B"
	for c in $COMBOS; do
		for from in 1 2; do
			ping_ok "$(side $from)" "$(addr "$c" $((3 - from)))" || rc=1
		done
	done
	for c in 4in4 6in6; do
		xfer $c $((4 << 20)) || rc=1
	done
	counters_are gif0:rx_packets=6+ gif6:rx_packets=6+ gif0:rx_error=0 gif6:rx_error=0 || rc=1
	log_test "$1: ping 4in4, 6in4, 4in6, 6in6 both ways; TCP 4in4, 6in6; counters" $rc
}

# tcp_ext NS NAME: the TcpExt counter NAME of namespace NS (/proc/net/netstat)
tcp_ext() {
	ip netns exec "$1" awk -v name="$2" '$1 == "TcpExt:" {
		if (!col) { for (i = 2; i <= NF; i++) if ($i == name) col = i } else print $col }' \
		/proc/net/netstat
}

# Decapsulation leaves the payload where the sender's segments had it (bpf/decap.bpf.h
# pull_linear): a receiver that reads late merges the segments that arrive meanwhile into its
# queue (TCPRcvCoalesce), as over a bare underlay. Payload pulled into the linear part would
# stop that (TCP over 4in4 at TC ingress merged none).
test_payload_kept() {
	local c before n rc=0
	for c in $COMBOS; do
		before=$(tcp_ext "$B" TCPRcvCoalesce)
		xfer "$c" $((1 << 20)) 0.5 || rc=1
		n=$(($(tcp_ext "$B" TCPRcvCoalesce) - before))
		[ "$n" -ge 50 ] || { note "$c: the receiver merged $n segments (50 expected)"; rc=1; }
	done
	log_test "$1: TCP segments waiting for a late reader are merged (TCPRcvCoalesce), all combos" $rc
}

# set_mode MODE: both underlays switched to MODE
set_mode() {
	attach_both "$1" && eq "modes in A" "$(modes "$A")" "$1 $1" && check_clean "$A" && check_clean "$B"
}

# Echo requests every 10 ms over 4in4 and 6in6 while both sides switch back and forth: every
# request answered.
test_switch_under_traffic() {
	local rc=0 p4 p6 i
	spawn ip netns exec "$A" ping -i 0.01 -c 400 -W 2 "$(addr 4in4 2)" >"$TMPD/p4" 2>&1
	p4=$BGPID
	spawn ip netns exec "$A" ping -i 0.01 -c 400 -W 2 "$(addr 6in6 2)" >"$TMPD/p6" 2>&1
	p6=$BGPID
	sleep 0.3
	for i in 1 2; do
		set_mode tc && sleep 0.4 && set_mode xdp && sleep 0.4 || rc=1
	done
	wait "$p4"
	wait "$p6"
	grep -q ' 400 received, 0% packet loss' "$TMPD/p4" ||
		{ note "4in4: $(grep transmitted "$TMPD/p4")"; rc=1; }
	grep -q ' 400 received, 0% packet loss' "$TMPD/p6" ||
		{ note "6in6: $(grep transmitted "$TMPD/p6")"; rc=1; }
	log_test "mode switched 4 times on both sides under 2 x 400 echo requests: none lost" $rc
}

test_filter_deleted() {
	local rc=0
	set_mode tc || rc=1
	step ip netns exec "$A" tc filter del dev ua ingress || rc=1
	expect 1 ns_gifctl "$A" check &&
		[[ $OUT == "ua: gifctl's TC program was removed behind gifctl's back"* ]] ||
		{ note "check: $OUT $ERR"; rc=1; }
	ping_fails "$A" "$(addr 4in4 2)" || rc=1
	log_test "tc filter del behind gifctl's back: check reports it, replies lost" $rc

	rc=0
	step ns_gifctl "$A" check --repair && [[ $OUT == *"(repaired)" ]] && check_clean "$A" &&
		maps_state "$A" @ua && eq "decapsulation on ua" "$STATE" "@ua=gif-tc" &&
		ping_ok "$A" "$(addr 4in4 2)" || rc=1
	log_test "check --repair attaches gifctl's TC program again; traffic flows" $rc
}

# A foreign program (loaded by tc as a filter: a TC program returning 2, TC_ACT_SHOT) put at
# gifctl's handle and priority: reported, --repair forgets the attachment, attach refuses.
test_filter_replaced() {
	local rc=0 id
	if [ ! -f "$XDP_PASS_OBJ" ]; then
		skip_test "TC filter replaced by a foreign one" "$XDP_PASS_OBJ not built"
		return
	fi
	step ip netns exec "$A" tc filter replace dev ua ingress pref 1 handle 0x6966 bpf da \
		obj "$XDP_PASS_OBJ" sec xdp || return 1
	id=$(ip netns exec "$A" tc -j filter show dev ua ingress | jeval doc \
		'"".join(str(f["options"]["prog"]["id"]) for f in j if "prog" in f.get("options", {}))')
	expect 1 ns_gifctl "$A" check &&
		[[ $OUT == "ua: gifctl's TC program was replaced by program $id behind gifctl's back"* ]] ||
		{ note "check: $OUT $ERR"; rc=1; }
	step ns_gifctl "$A" check --repair && check_clean "$A" || rc=1
	expect 1 ns_gifctl "$A" attach ua mode tc && one_err_line "gifctl: attach ua: has a TC" || rc=1
	eq "TC ingress of ua" "$(tc_ingress "$A" ua)" foreign_pass || rc=1
	step ip netns exec "$A" tc filter del dev ua ingress pref 1 && step ns_gifctl "$A" attach ua &&
		ping_ok "$A" "$(addr 4in4 2)" || rc=1
	log_test "foreign filter at gifctl's place: reported, forgotten, never replaced" $rc
}

test_detach() {
	local rc=0
	step ns_gifctl "$A" detach ua && eq "TC ingress of ua" "$(tc_ingress "$A" ua)" "" &&
		eq "modes in A" "$(modes "$A")" "" && check_clean "$A" || rc=1
	ping_fails "$A" "$(addr 4in4 2)" || rc=1
	step ns_gifctl "$A" attach ua mode tc && ping_ok "$A" "$(addr 6in4 2)" || rc=1
	log_test "detach at TC ingress removes gifctl's filter; attach mode tc again" $rc
}

rig_up
test_auto
traffic_both "TC ingress"
test_payload_kept "TC ingress"
set_mode xdp
log_test "switched to XDP on both sides, check clean" $?
traffic_both "XDP"
test_switch_under_traffic
test_filter_deleted
test_filter_replaced
test_detach
tests_done
