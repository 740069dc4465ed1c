#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make-before-break under bidirectional traffic: A re-addresses gif0 back and forth between
# P1 = 198.18.0.1 -> 198.18.0.2 and P2 = 198.18.0.11 -> 198.18.0.12 while pings flow both ways.
# B has one device per pair: gif0 (P1 reversed) and gifb (P2 reversed), both 198.19.0.2 with
# peer 198.19.0.1, rp_filter off; A's gif0 is 198.19.0.1 peer 198.19.0.2.
#   A -> B: ping -i 0.002 from A (the echo requests, and A's replies to B's requests).
#   B -> A: ping -I gif0 and ping -I gifb from B (-i 0.004 each): at any moment A decapsulates the
#           stream of its current pair (both during a switch); the other passes to A's stack
#           unclaimed (counted as rx_no_tunnel under key 0 of A's gif_stats).
# Each direction is captured on its sending side, leaving the underlay (tcpdump -Q out on ua and
# on ub: XDP on the receiving veth hides arriving packets from tcpdump), and counted from the raw
# bytes (lib.sh pcap_pairs). Asserted: every outer (src, dst) is exactly P1 or P2 (B -> A: their
# reverse), never mixed; B's gif0 received as many packets as left A with P1 and gifb as many as
# left with P2 (so none was lost or delivered to the wrong device); every packet gif0 encapsulated
# in A is on the wire (tx_no_tunnel, tx_error 0); every B -> A packet was delivered to A's gif0 or
# counted unclaimed; B saw no tunnel packet it could not match; check is clean after. And packet
# by packet (mbb_check): no echo request of B sent while A's decapsulation of its pair was
# installed (by gifctl's own timed steps) went unanswered.
#
# Environment: RECONFIG_N re-addressings (default 10000), RECONFIG_SECONDS the time budget of the
# loop (default 15: make check runs as many as fit in it, the bounded form; 0 = no budget).
# `make soak` runs all 10,000: RECONFIG_N=10000 RECONFIG_SECONDS=0.
# RECONFIG_SLACK: packets a count may differ by (default 2: a stray packet at capture start);
# MBB_GUARD_MS (default 20), see mbb_check; RECONFIG_KEEP=DIR keeps the captures and the
# loop's timeline there.
# RECONFIG_DECAP: the decapsulation path on both underlays, xdp (default) or tc
# (test_reconfig_tc.sh).
source "$(dirname "$0")/lib.sh"

N_WANT=${RECONFIG_N:-10000}
BUDGET=${RECONFIG_SECONDS:-15}
# The loop runs the test build (GIFCTL_FAULT_BIN, default build/gifctl-fault) for its timed steps.
FAULT=${GIFCTL_FAULT_BIN:-$ROOT/build/gifctl-fault}
SLACK=${RECONFIG_SLACK:-2}
DECAP=${RECONFIG_DECAP:-xdp}
P1="198.18.0.1>198.18.0.2"
P2="198.18.0.11>198.18.0.12"
R1="198.18.0.2>198.18.0.1"
R2="198.18.0.12>198.18.0.11"

reconfig_rig() {
	local ns
	preflight
	ns_new A gifA && ns_new B gifB &&
		step ip link add ua netns "$A" type veth peer name ub netns "$B" &&
		step ip -n "$A" -batch - <<-EOF &&
			addr add 198.18.0.1/24 dev ua
			addr add 198.18.0.11/24 dev ua
			link set ua up
		EOF
		step ip -n "$B" -batch - <<-EOF &&
			addr add 198.18.0.2/24 dev ub
			addr add 198.18.0.12/24 dev ub
			link set ub up
		EOF
		step ns_exec "$A" ethtool -K ua tx off && step ns_exec "$B" ethtool -K ub tx off &&
		attach_both "$DECAP" &&
		step ns_gifctl "$A" tunnel set gif0 198.18.0.1 198.18.0.2 &&
		step ns_gifctl "$B" tunnel set gif0 198.18.0.2 198.18.0.1 &&
		step ns_gifctl "$B" tunnel set gifb 198.18.0.12 198.18.0.11 &&
		step ip -n "$A" addr add 198.19.0.1 peer 198.19.0.2 dev gif0 &&
		step ip -n "$B" addr add 198.19.0.2 peer 198.19.0.1 dev gif0 &&
		step ip -n "$B" addr add 198.19.0.2 peer 198.19.0.1 dev gifb || fatal "rig setup"
	for ns in all default gif0 gifb; do
		step ns_exec "$B" sysctl -qw "net.ipv4.conf.$ns.rp_filter=0" || fatal "rig setup"
	done
	# Both pairs work before the test: A on P2 then back on P1.
	ping_ok "$A" 198.19.0.2 && step ns_gifctl "$A" tunnel set gif0 198.18.0.11 198.18.0.12 &&
		ping_ok "$B" -I gifb 198.19.0.1 &&
		step ns_gifctl "$A" tunnel set gif0 198.18.0.1 198.18.0.2 &&
		ping_ok "$B" -I gif0 198.19.0.1
	log_test "rig ($DECAP decapsulation): both pairs carry traffic both ways" $? || tests_done
}

# capture NS DEV FILE SECONDS TCPDUMP-ARGS...: lib.sh capture_start, for SECONDS at most
capture() { CAPTURE_SECONDS=$4 capture_start "${@:1:3}" "${@:5}"; }

# counters NS: "NAME=VALUE" words: rx packets of every gif device (ip -s link: delivered to the
# device), and gif_stats counters (gifctl -j stats) as DEV.COUNTER (DEV "none" for key 0)
counters() {
	local ns=$1
	ip -s -j -n "$ns" link show | jeval doc \
		'" ".join("%s=%d" % (l["ifname"], l["stats64"]["rx"]["packets"]) for l in j
		          if l["ifname"].startswith("gif") and not l["ifname"].endswith("-gp"))'
	ns_gifctl "$ns" -j stats | jeval doc \
		'" ".join("%s.%s=%d" % (o.get("name", "none"), k, v) for o in j
		          for k, v in o.items() if k not in ("name", "ifindex"))'
}

# delta NAME: counter NAME after minus before
delta() {
	local w b=0 a=0
	for w in $C0; do [ "${w%%=*}" = "$1" ] && b=${w#*=}; done
	for w in $C1; do [ "${w%%=*}" = "$1" ] && a=${w#*=}; done
	echo $((a - b))
}

# near WHAT GOT WANT: |GOT - WANT| <= SLACK
near() {
	local d=$(($2 - $3))
	[ ${d#-} -le "$SLACK" ] && return 0
	note "$1: $2, want $3 (+-$SLACK)"
	return 1
}

# mbb_check AB.PCAP BA.PCAP A_GIF0.PCAP TRACE: make-before-break on A's decapsulation, packet by
# packet. A's timeline is gifctl's own (TRACE: the loop's "set PAIR" lines and the test build's
# timed steps, GIFCTL_FAULT_TRACE=time): pair X's decapsulation is installed from the
# "pair-published" of the command that set X until the "device-switched" of the next one (which
# removes X only after that step). An echo request B sent with X at time t (BA) is "covered" when
# X was installed at t and still is MBB_GUARD_MS (default 20) later. A covered request must be
# answered (its echo reply, same ICMP id and sequence, is in AB) unless it waited in the veth's
# queue until X was gone: it is "proven" dropped with X installed when a later request of the same
# stream (the same queue, in order) was answered before X's removal began; else "late".
# A_GIF0.PCAP (the echo requests A's gif0 received) tells, for each, whether it got through the
# decapsulation. Prints JSON counts.
# (A timeline read from the outer pairs A sent is not enough: a switch away and back between two
# of A's packets is invisible there.)
mbb_check() {
	MBB_GUARD_MS=${MBB_GUARD_MS:-20} "$PY" - "$@" <<'PYEOF'
import bisect, json, os, socket, struct, sys

def pcap(path):
    """(time, frame) of every record of a pcap file"""
    with open(path, "rb") as f:
        head = f.read(24)
        endian = "<" if head[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
        nano = head[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
        while len(rec := f.read(16)) == 16:
            sec, frac, caplen, _ = struct.unpack(endian + "IIII", rec)
            yield sec + frac / (1e9 if nano else 1e6), f.read(caplen)

def packets(path):
    """(time, outer "SRC>DST", inner ICMP (type, id, seq) or None) of the tunnel packets"""
    for t, pkt in pcap(path):
        if pkt[12:14] != b"\x08\x00" or pkt[14] >> 4 != 4 or pkt[23] != 4:
            continue
        o = 14 + (pkt[14] & 15) * 4
        outer = socket.inet_ntoa(pkt[26:30]) + ">" + socket.inet_ntoa(pkt[30:34])
        icmp = None
        if len(pkt) >= o + 20 and pkt[o + 9] == 1:
            i = o + (pkt[o] & 15) * 4
            if len(pkt) >= i + 8:
                icmp = (pkt[i], pkt[i + 4:i + 6], pkt[i + 6:i + 8])
        yield t, outer, icmp

def windows(path):
    """{pair "SRC>DST": [(from, until)]}: when A's decapsulation of each pair was installed"""
    out, cur, since = {}, "198.18.0.1>198.18.0.2", float("-inf")	# the rig leaves A on P1
    target = published = None
    for line in open(path):
        w = line.split()
        if len(w) == 2 and w[0] == "set":
            target, published = w[1], None
        elif len(w) == 3 and w[:2] == ["fault-point", "pair-published"]:
            published = float(w[2])
        elif len(w) == 3 and w[:2] == ["fault-point", "device-switched"] and target:
            out.setdefault(cur, []).append((since, float(w[2])))
            cur, since, target = target, published or float(w[2]), None
    out.setdefault(cur, []).append((since, float("inf")))
    return out

def installed(wins, t):
    """the window of wins holding t, or None"""
    k = bisect.bisect_right(wins, (t, float("inf"))) - 1
    return wins[k] if k >= 0 and wins[k][0] <= t <= wins[k][1] else None

guard = int(os.environ["MBB_GUARD_MS"]) / 1000
rev = {"198.18.0.2>198.18.0.1": "198.18.0.1>198.18.0.2",
       "198.18.0.12>198.18.0.11": "198.18.0.11>198.18.0.12"}
ab = list(packets(sys.argv[1]))
wins = windows(sys.argv[4])

# ICMP sequence numbers wrap at 65536: a long run reuses (id, seq). A request sent at t is matched
# with the first packet of its (id, seq) at or after t, within WINDOW seconds (a lap of the
# fastest stream, 4 ms x 65536, is 262 s).
WINDOW, EPS = 30.0, 0.001

def index(events):
    out = {}
    for t, key in events:
        out.setdefault(key, []).append(t)
    for v in out.values():
        v.sort()
    return out

def first_after(idx, key, t):
    v = idx.get(key, [])
    k = bisect.bisect_left(v, t - EPS)
    return v[k] if k < len(v) and v[k] <= t + WINDOW else None

# the echo requests that arrived on A's gif0 (captured there, without an outer header)
arrived_ev = []
for t, pkt in pcap(sys.argv[3]):
    if pkt[12:14] == b"\x08\x00" and pkt[23] == 1:
        i = 14 + (pkt[14] & 15) * 4
        arrived_ev.append((t, (bytes(pkt[i + 4:i + 6]), bytes(pkt[i + 6:i + 8]))))
arrived = index(arrived_ev)
replies = index((t, (bytes(icmp[1]), bytes(icmp[2]))) for t, outer, icmp in ab
                if icmp and icmp[0] == 0)
# B's requests of each stream (ICMP id: one ping process, one queue of the veth), in order
reqs = [(t, outer, icmp) for t, outer, icmp in packets(sys.argv[2])
        if icmp and icmp[0] == 8 and outer in rev]
stream = {}
for n, (t, outer, icmp) in enumerate(reqs):
    stream.setdefault(icmp[1], []).append(n)
covered = answered = 0
proven, late = [], []
for ids in stream.values():
    for pos, n in enumerate(ids):
        t, outer, icmp = reqs[n]
        w = installed(wins.get(rev[outer], []), t)
        if w is None or t + guard > w[1]:
            continue
        covered += 1
        key = (bytes(icmp[1]), bytes(icmp[2]))
        if first_after(replies, key, t) is not None:
            answered += 1
            continue
        # A request of the same stream sent later, answered before the pair's removal began,
        # was handled with the pair installed; so was this one (a queue is in order): it was
        # dropped with its pair installed. Otherwise it may have waited in the queue until the
        # pair was gone (a busy machine): not a failure of make-before-break.
        later = float("inf")
        for x in ids[pos + 1:]:
            if reqs[x][0] > w[1]:
                break
            r = first_after(replies, (bytes(reqs[x][2][1]), bytes(reqs[x][2][2])), reqs[x][0])
            if r is not None:
                later = r
                break
        what = "%.6f %s seq %d: its pair installed from %.1f ms before to %.1f ms after; %s on A's gif0" % (
            t, outer, int.from_bytes(icmp[2], "big"), (t - w[0]) * 1000, (w[1] - t) * 1000,
            "arrived" if first_after(arrived, key, t) is not None else "never arrived")
        if later < w[1]:
            proven.append(what + "; a later request was answered %.1f ms before its removal began"
                          % ((w[1] - later) * 1000))
        else:
            late.append(what)
print(json.dumps({"covered": covered, "answered": answered, "proven": len(proven),
                  "late": len(late), "proven_missed": proven[:5], "late_missed": late[:5]}))
PYEOF
}

# pairs_count JSON PAIR: packets with outer PAIR
pairs_count() { jeval doc "j['pairs'].get('$2', 0)" <<<"$1"; }

test_reconfig() {
	local rc t0 t1 loop out n fails ms ab ba mixed_ab mixed_ba total_ab total_ba what
	local n1 n2 m1 m2 pinga pingb0 pingbb

	local dur=$((BUDGET > 0 ? BUDGET + 60 : 36000))
	capture "$A" ua "$TMPD/ab.pcap" $((dur + 60)) -s 128 -Q out 'ip proto 4 or ip proto 41' &&
		CAPA=$CAPPID && capture "$B" ub "$TMPD/ba.pcap" $((dur + 60)) -s 128 -Q out \
		'ip proto 4 or ip proto 41' && CAPB=$CAPPID &&
		capture "$A" gif0 "$TMPD/a_gif0.pcap" $((dur + 60)) -s 64 -Q in 'icmp[0] == 8' &&
		CAPG=$CAPPID || fatal "captures"
	C0A=$(counters "$A")
	C0B=$(counters "$B")
	spawn timeout $((dur + 10)) ip netns exec "$A" ping -q -i 0.002 -w $dur 198.19.0.2 \
		>"$TMPD/ping_a" 2>&1
	pinga=$BGPID
	spawn timeout $((dur + 10)) ip netns exec "$B" ping -q -I gif0 -i 0.004 -w $dur 198.19.0.1 \
		>"$TMPD/ping_b0" 2>&1
	pingb0=$BGPID
	spawn timeout $((dur + 10)) ip netns exec "$B" ping -q -I gifb -i 0.004 -w $dur 198.19.0.1 \
		>"$TMPD/ping_bb" 2>&1
	pingbb=$BGPID
	sleep 0.5

	# The loop: one gifctl per re-addressing, inside A; stops at N or when the budget is spent.
	# Its progress ("N FAILS LONGEST-MS") is in a file, should it have to be stopped.
	loop='
		n=0 fails=0 start=$SECONDS longest=0
		while [ $n -lt "$N" ]; do
			t=${EPOCHREALTIME/[.,]/}
			if [ $((n % 2)) -eq 0 ]; then
				echo "set 198.18.0.11>198.18.0.12" >&2
				"$FAULT" tunnel set gif0 198.18.0.11 198.18.0.12 || fails=$((fails + 1))
			else
				echo "set 198.18.0.1>198.18.0.2" >&2
				"$FAULT" tunnel set gif0 198.18.0.1 198.18.0.2 || fails=$((fails + 1))
			fi
			t=$(((${EPOCHREALTIME/[.,]/} - t) / 1000))
			[ $t -gt $longest ] && longest=$t
			n=$((n + 1))
			echo "$n $fails $longest" >"$PROGRESS"
			if [ "$BUDGET" -gt 0 ] && [ $((SECONDS - start)) -ge "$BUDGET" ]; then break; fi
		done'
	echo "0 0 0" >"$TMPD/progress"
	t0=$(now_ms)
	N=$N_WANT BUDGET=$BUDGET FAULT=$FAULT GIFCTL_FAULT_TRACE=time PROGRESS=$TMPD/progress timeout $((dur + 30)) \
		ip netns exec "$A" bash -c "$loop" 2>"$TMPD/loop.err"
	local loop_rc=$? longest
	t1=$(now_ms)
	read -r n fails longest <"$TMPD/progress"
	ms=$((t1 - t0))

	sleep 0.3
	kill -INT "$pinga" "$pingb0" "$pingbb" 2>/dev/null
	wait "$pinga" "$pingb0" "$pingbb" 2>/dev/null
	sleep 0.5	# the last replies
	C1A=$(counters "$A")
	C1B=$(counters "$B")
	CAPPID=$CAPA CAPFILE=$TMPD/ab.pcap capture_stop
	CAPPID=$CAPB CAPFILE=$TMPD/ba.pcap capture_stop
	CAPPID=$CAPG CAPFILE=$TMPD/a_gif0.pcap capture_stop

	rc=0
	[ "$loop_rc" -eq 0 ] || { note "the loop was stopped (exit $loop_rc): a tunnel set hung"; rc=1; }
	[ "$fails" = 0 ] || { note "$fails of $n tunnel set failed: $(grep -Ev '^(set|fault-point) ' "$TMPD/loop.err" | head -3)"; rc=1; }
	[ "$n" -ge 2 ] || { note "only $n re-addressings ran"; rc=1; }
	[ "$n" -ge "$N_WANT" ] || echo "        (time budget of ${BUDGET}s: $n of $N_WANT re-addressings)"
	log_test "$n re-addressings of gif0 in $((ms / 1000)) s ($((ms / (n > 0 ? n : 1))) ms each,\
 longest $longest ms)" $rc

	ab=$(pcap_pairs "$TMPD/ab.pcap")
	ba=$(pcap_pairs "$TMPD/ba.pcap")
	n1=$(pairs_count "$ab" "$P1") n2=$(pairs_count "$ab" "$P2")
	m1=$(pairs_count "$ba" "$R1") m2=$(pairs_count "$ba" "$R2")
	total_ab=$(jeval doc 'sum(j["pairs"].values())' <<<"$ab")
	total_ba=$(jeval doc 'sum(j["pairs"].values())' <<<"$ba")
	mixed_ab=$((total_ab - n1 - n2))
	mixed_ba=$((total_ba - m1 - m2))
	echo "        N=$n, $((ms / 1000)) s; A->B: $n1 with P1, $n2 with P2; B->A: $m1 with P1 reversed,\
 $m2 with P2 reversed; mixed pairs: $mixed_ab A->B, $mixed_ba B->A"
	for w in ping_a ping_b0 ping_bb; do
		echo "        $w: $(grep -h 'transmitted' "$TMPD/$w")"
	done
	grep -h 'dropped by kernel' "$TMPD/ab.pcap.log" "$TMPD/ba.pcap.log" | sed 's/^/        tcpdump: /'

	rc=0
	eq "A->B packets with another outer pair" "$mixed_ab" 0 || rc=1
	[ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] || { note "A->B: no traffic on one of the pairs"; rc=1; }
	[ "$mixed_ab" -eq 0 ] || note "A->B pairs: $ab"
	log_test "A->B: $total_ab tunnel packets, outer pair exactly P1 or P2" $rc

	rc=0
	eq "B->A packets with another outer pair" "$mixed_ba" 0 || rc=1
	[ "$m1" -gt 0 ] && [ "$m2" -gt 0 ] || { note "B->A: no traffic on one of the pairs"; rc=1; }
	[ "$mixed_ba" -eq 0 ] || note "B->A pairs: $ba"
	log_test "B->A: $total_ba tunnel packets, outer pair exactly P1 or P2 reversed" $rc

	rc=0
	jcheck 'j["bad_inner"] == 0 and all(p in ("198.19.0.1>198.19.0.2", "198.19.0.2>198.19.0.1")
		for p in j["inner"] if "." in p)' <<<"$ab" || rc=1
	jcheck 'j["bad_inner"] == 0 and all(p in ("198.19.0.1>198.19.0.2", "198.19.0.2>198.19.0.1")
		for p in j["inner"] if "." in p)' <<<"$ba" || rc=1
	log_test "inner headers: protocol matches, only 198.19.0.1 <-> 198.19.0.2" $rc

	C0=$C0A C1=$C1A
	echo "        A: gif0 received $(delta gif0) (decapsulated by $DECAP: $(delta gif0.rx_packets)),\
 unclaimed $(delta none.rx_no_tunnel), of $total_ba B->A"
	C0=$C0B C1=$C1B
	rc=0
	near "B gif0 rx (P1 packets from A: $n1)" "$(delta gif0)" "$n1" || rc=1
	near "B gifb rx (P2 packets from A: $n2)" "$(delta gifb)" "$n2" || rc=1
	eq "B unclaimed tunnel packets (rx_no_tunnel)" "$(delta none.rx_no_tunnel)" 0 || rc=1
	for w in rx_inner_mismatch rx_malformed; do
		eq "B gif0 $w" "$(delta "gif0.$w")" 0 && eq "B gifb $w" "$(delta "gifb.$w")" 0 || rc=1
	done
	log_test "B: P1 packets arrived on gif0, P2 on gifb, none lost or unclaimed" $rc

	C0=$C0A C1=$C1A
	rc=0
	near "A gif0 tx_packets (on the wire: $((n1 + n2)))" "$(delta gif0.tx_packets)" \
		$((n1 + n2)) || rc=1
	for w in tx_no_tunnel tx_error tx_no_route; do
		eq "A gif0 $w" "$(delta "gif0.$w")" 0 || rc=1
	done
	eq "A tx_no_tunnel (key 0)" "$(delta none.tx_no_tunnel)" 0 || rc=1
	log_test "A: every packet gif0 sent was encapsulated and left (no tx_no_tunnel)" $rc

	rc=0
	near "A gif0 rx + unclaimed (B->A packets: $total_ba)" \
		$(($(delta gif0) + $(delta none.rx_no_tunnel))) "$total_ba" || rc=1
	[ "$(delta gif0)" -gt 0 ] || { note "A's gif0 received nothing"; rc=1; }
	for w in rx_inner_mismatch rx_malformed; do
		eq "A gif0 $w" "$(delta "gif0.$w")" 0 || rc=1
	done
	note "A gif0 rx $(delta gif0), unclaimed $(delta none.rx_no_tunnel)"
	log_test "A: each B->A packet delivered to gif0 or unclaimed, none lost" $rc

	if [ -n "${RECONFIG_KEEP:-}" ]; then
		mkdir -p "$RECONFIG_KEEP" && cp "$TMPD"/*.pcap "$TMPD/loop.err" "$RECONFIG_KEEP"/
	fi
	rc=0
	out=$(mbb_check "$TMPD/ab.pcap" "$TMPD/ba.pcap" "$TMPD/a_gif0.pcap" "$TMPD/loop.err")
	note "$out"
	jcheck 'j["covered"] >= 100 and j["proven"] == 0' <<<"$out" || rc=1
	[ "$rc" = 0 ] || echo "        dropped with their pair installed: $(jeval doc 'j["proven_missed"]' <<<"$out")"
	log_test "make-before-break at A: $(jeval doc 'j["covered"]' <<<"$out" 2>/dev/null) requests\
 of B while A's pair for them was installed, $(jeval doc 'j["proven"]' <<<"$out" 2>/dev/null) of\
 them dropped" $rc
	rc=0
	note "$out"
	jcheck 'j["late"] <= max(2, j["covered"] // 100)' <<<"$out" || rc=1
	[ "$(jeval doc 'j["late"]' <<<"$out" 2>&1)" = 0 ] ||
		echo "        unanswered, maybe handled too late: $(jeval doc 'j["late_missed"]' <<<"$out")"
	log_test "A: $(jeval doc 'j["late"]' <<<"$out" 2>/dev/null) unanswered that may have been handled\
 after their pair went (at most 1%)" $rc

	check_clean "$A" && check_clean "$B" && maps_consistent "$A" && maps_consistent "$B" &&
		ns_gifctl "$A" -j show gif0 | jcheck \
			"j[0]['src'] == '198.18.0.$((n % 2 ? 11 : 1))' and len(j) == 1"
	log_test "after the re-addressings: check clean, maps consistent, gif0 on its last pair" $?
}

snapshot_bin GIFCTL && snapshot_bin FAULT || fatal "cannot copy the gifctl binaries"
reconfig_rig
test_reconfig
tests_done
