#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Semantics of the per-tunnel options of `tunnel set GIF SRC DST [OPTIONS]` (ttl, dscp, ecn,
# pmtudisc, mtu, ingress-filter) and of the datapath's checks, observed from outside: `show`,
# refused options, the outer headers on the wire (dissect.py; IPv6 flow labels per inner flow),
# ECN on decapsulation (scapy-crafted packets, tcpdump -i gif), martian sources, the ingress filter
# over a second link, path MTU for local and forwarded traffic (a third namespace S routed through
# A; also after the underlay's MTU shrinks), routing loops, option changes under a ping flood, and
# `gifctl stats` with a counter moving for every drop reason.
# A is the side under test; B sends the crafted packets. Every test restores A's defaults.
# shellcheck disable=SC1010 # "ping -M do" is not a loop
source "$(dirname "$0")/lib.sh"

TUNNEL_FILTER='ip proto 4 or ip proto 41 or ip6 proto 4 or ip6 proto 41'
COUNTERS=$(sed -nE 's/^\s*X\([A-Z0-9_]+, ([a-z0-9_]+)\).*/\1/p' "$ROOT/include/gif_types.h")

# ---- helpers ---------------------------------------------------------------------------------

# set_opts GIF OPTION...: `tunnel set` GIF's own pair in A with OPTIONs; must succeed
set_opts() {
	local gif=$1
	shift
	step ns_gifctl "$A" tunnel set "$gif" "${OUTER[$gif]}1" "${OUTER[$gif]}2" "$@"
}

# both OPTION...: the options on gif0 and gif6
both() { set_opts gif0 "$@" && set_opts gif6 "$@"; }

# defaults GIF...: every option back to its default, the MTU to the underlay's
defaults() {
	local gif mtu
	for gif; do
		mtu=1480
		[ "$gif" = gif6 ] && mtu=1460
		set_opts "$gif" ttl 64 dscp inherit ecn normal pmtudisc on ingress-filter off \
			mtu $mtu || return 1
	done
}

# restore: defaults on gif0 and gif6 after a test; a failure is reported as a test of its own
restore() { defaults gif0 gif6 || log_test "defaults restored on gif0 / gif6" 1; }

# shows GIF K=V...: `-j show GIF` in A has K=V...
shows() {
	local gif=$1
	shift
	step ns_gifctl "$A" -j show "$gif" && jwant 1 name="$gif" -- "$@" <<<"$OUT"
}

# shows_text GIF TEXT: `show GIF` in A contains TEXT
shows_text() {
	step ns_gifctl "$A" show "$1" || return 1
	[[ $OUT == *"$2"* ]] && return 0
	note "show $1 lacks '$2': $OUT"
	return 1
}

# state: what a refused command must leave alone in A: every gif device, its MTU and options
state() { ns_gifctl "$A" -j show; }

# refused RC WORD ARGS...: `gifctl tunnel set ARGS` in A exits RC with one error line containing
# WORD, and A's state is still $BEFORE
refused() {
	local rc=$1 word=$2
	shift 2
	expect "$rc" ns_gifctl "$A" tunnel set "$@" && one_err_line "gifctl: tunnel set" || return 1
	[[ $ERR == *"$word"* ]] || { note "error does not name '$word': $ERR"; return 1; }
	eq "A's state after \`tunnel set $*\`" "$(state)" "$BEFORE"
}

# inject IFACE_B IFACE_A OSRC ODST ISRC IDST COUNT [tos=OUTER/INNER...]: COUNT crafted tunnel
# packets (ICMP echo requests ISRC->IDST in OSRC->ODST; for each tos= given) from B's IFACE_B to
# A's IFACE_A
declare -A MAC	# A's interfaces' MAC addresses
inject() {
	local ifb=$1 ifa=$2
	shift 2
	[ -n "${MAC[$ifa]:-}" ] || MAC[$ifa]=$(ip -br -n "$A" link show "$ifa" | awk '{ print $3 }')
	timeout 20 ip netns exec "$B" "$PY" "$E2E/tools.py" inject "$ifb" "${MAC[$ifa]}" "$@" \
		>/dev/null ||
		{ note "inject $ifb -> $ifa $* failed"; return 1; }
}

# inject_combo IFACE_B IFACE_A COMBO COUNT [tos=OUTER/INNER...]: COUNT echo requests B->A of COMBO
# in the pair of the gif carrying it, as B's end of the tunnel would send them
inject_combo() {
	local ifb=$1 ifa=$2 c=$3 n=$4 gif=${VIA[$3]}
	shift 4
	inject "$ifb" "$ifa" "${OUTER[$gif]}2" "${OUTER[$gif]}1" "$(addr "$c" 2)" "$(addr "$c" 1)" \
		"$n" "$@"
}

# ping_all NS SIDE ARGS...: from NS, ping SIDE's inner address of every combination at once
# (ping_ok's 3 echo requests each, with ARGS); all must be answered
ping_all() {
	local ns=$1 to=$2 c pids=() rc=0
	shift 2
	for c in $COMBOS; do
		timeout 20 ip netns exec "$ns" ping -c 3 -i 0.2 -w 5 -W 1 "$@" \
			"$(addr "$c" "$to")" >"$TMPD/ping-$c" 2>&1 &
		pids+=($!)
	done
	for c in $COMBOS; do
		wait "${pids[0]}" ||
			{ note "ping $* $(addr "$c" "$to"): $(tail -n 2 "$TMPD/ping-$c")"; rc=1; }
		pids=("${pids[@]:1}")
	done
	return $rc
}

# wire PING_ARGS...: capture A's tunnel packets on ua while A pings B over every combination, once
# for each PING_ARGS (ping arguments in one string); dissected into $TMPD/wire.json
wire() {
	local args rc=0
	capture_start "$A" ua "$TMPD/wire.pcap" "$TUNNEL_FILTER" || return 1
	for args; do
		# shellcheck disable=SC2086 # ping arguments, one a word
		ping_all "$A" 2 $args || rc=1
	done
	capture_stop
	"$PY" "$E2E/dissect.py" "$TMPD/wire.pcap" >"$TMPD/wire.json" && return $rc
}

# wire_has SELECT WANT [WANT_V4OUTER]: for every combination, A's packets in the capture that have
# the K=V words of SELECT (3 at least) have those of WANT, the IPv4-outer ones WANT_V4OUTER's too
wire_has() {
	local sel=$1 want=$2 want4=${3:-} c w checks=()
	for c in $COMBOS; do
		w=$want
		[ "${VIA[$c]}" = gif0 ] && w+=" $want4"
		# shellcheck disable=SC2206 # K=V words
		checks+=(++ 3+ inner_src="$(addr "$c" 1)" inner_dst="$(addr "$c" 2)" $sel -- $w)
	done
	jwant "${checks[@]:1}" <"$TMPD/wire.json"
}

# hdr COMBO: inner IP + ICMP header bytes of a ping of COMBO
hdr() { [[ $1 == 4* ]] && echo 28 || echo 48; }
# hdr_outer COMBO: bytes of COMBO's outer header
hdr_outer() { [[ $1 == *4 ]] && echo 20 || echo 40; }

# gif_mtu NS GIF
gif_mtu() { ip -o -n "$1" link show "$2" | sed -E 's/.* mtu ([0-9]+) .*/\1/'; }

# pmtu_local COMBO: from A, the largest DF ping that fits the gif carrying COMBO passes; one byte
# more fails locally with "message too long" and the gif's MTU
pmtu_local() {
	local c=$1 mtu fit
	mtu=$(gif_mtu "$A" "${VIA[$c]}")
	fit=$((mtu - $(hdr "$c")))
	ping_ok "$A" -M do -s $fit "$(addr "$c" 2)" || return 1
	run timeout 10 ip netns exec "$A" ping -c 1 -W 1 -M do -s $((fit + 1)) "$(addr "$c" 2)"
	[ "$RC" -ne 0 ] && grep -Eq "message too long, mtu(=|: )$mtu\$" <<<"$OUT"$'\n'"$ERR" &&
		return 0
	note "ping -M do -s $((fit + 1)) $(addr "$c" 2) over ${VIA[$c]} (mtu $mtu) exited $RC:"
	note "  $OUT $ERR"
	return 1
}

# ---- options: show, defaults, refusals ---------------------------------------------------------

DEFAULTS_TEXT="ttl 64 dscp inherit ecn normal pmtudisc on ingress-filter off"

test_defaults() {
	local gif rc=0
	for gif in gif0 gif6; do
		shows $gif ttl=64 dscp=inherit ecn=normal pmtudisc=true ingress_filter=false &&
			shows_text $gif "$DEFAULTS_TEXT" || rc=1
	done
	log_test "defaults: ttl 64, dscp inherit, ecn normal, pmtudisc on, filter off" $rc
}

# opts_shown "OPTIONS" "K=V..." "TEXT": OPTIONS set on gif0 and gif6 in A; `-j show` of each has
# the K=Vs (mtu=max: 1480 / 1460), `show` of each the TEXT and the MTU, and so has the device
opts_shown() {
	local gif mtu want
	for gif in gif0 gif6; do
		mtu=1480
		[ $gif = gif6 ] && mtu=1460
		# shellcheck disable=SC2086 # options, one a word
		set_opts $gif ${1//max/$mtu} || return 1
	done
	for gif in gif0 gif6; do
		mtu=1480
		[ $gif = gif6 ] && mtu=1460
		want=${2//max/$mtu}
		# shellcheck disable=SC2086 # K=V words
		shows $gif $want && shows_text $gif "$3" || return 1
		mtu=${want##*mtu=}
		shows_text $gif " mtu $mtu " &&
			eq "$gif device mtu" "$(gif_mtu "$A" $gif)" "$mtu" || return 1
	done
}

test_show_options() {
	opts_shown "ttl 17 dscp 10 ecn compat pmtudisc off ingress-filter on mtu 1400" \
		'ttl=17 dscp=10 ecn="compat" pmtudisc=false ingress_filter=true mtu=1400' \
		"ttl 17 dscp 10 ecn compat pmtudisc off ingress-filter on"
	log_test "show / -j show: ttl 17 dscp 10 ecn compat pmtudisc off filter on mtu 1400" $?
	opts_shown "ttl inherit dscp 0 ecn off pmtudisc on ingress-filter off mtu 1280" \
		'ttl="inherit" dscp=0 ecn="off" pmtudisc=true ingress_filter=false mtu=1280' \
		"ttl inherit dscp 0 ecn off pmtudisc on ingress-filter off"
	log_test "show / -j show: ttl inherit dscp 0 ecn off pmtudisc on filter off mtu 1280" $?
	opts_shown "ttl 255 dscp 63 ecn normal mtu max" \
		'ttl=255 dscp=63 ecn="normal" pmtudisc=true ingress_filter=false mtu=max' \
		"ttl 255 dscp 63 ecn normal pmtudisc on ingress-filter off"
	log_test "show / -j show: ttl 255 dscp 63 ecn normal mtu 1480 / 1460 (maximum)" $?
	opts_shown "ttl 1 dscp inherit" 'ttl=1 dscp="inherit" mtu=max' \
		"ttl 1 dscp inherit ecn normal"
	log_test "show / -j show: ttl 1 dscp inherit" $?
	restore
}

test_options_kept() {
	local rest=(ecn=compat pmtudisc=false ingress_filter=true mtu=1400)
	set_opts gif0 ttl 17 dscp 10 ecn compat pmtudisc off ingress-filter on mtu 1400 &&
		shows gif0 ttl=17 dscp=10 "${rest[@]}" && set_opts gif0 dscp 11 &&
		shows gif0 ttl=17 dscp=11 "${rest[@]}" && set_opts gif0 &&
		shows gif0 ttl=17 dscp=11 "${rest[@]}" src=198.18.0.1 dst=198.18.0.2
	log_test "all options at once; options not given keep their values" $?
	defaults gif0 && shows gif0 ttl=64 dscp='"inherit"' ecn='"normal"' pmtudisc=true \
		ingress_filter=false mtu=1480
	log_test "defaults restored by giving every option" $?
}

test_options_new_device() {
	step ns_gifctl "$A" tunnel set gifo 198.18.0.1 198.18.0.50 ttl 5 dscp 7 ecn off \
		pmtudisc off ingress-filter on mtu 1300 &&
		shows gifo ttl=5 dscp=7 ecn='"off"' pmtudisc=false ingress_filter=true mtu=1300 &&
		eq "gifo device mtu" "$(gif_mtu "$A" gifo)" 1300
	log_test "options given when the device is created" $?
	step ns_gifctl "$A" tunnel set gifo 198.18.0.1 198.18.0.51 &&
		shows gifo dst=198.18.0.51 ttl=5 dscp=7 ecn='"off"' pmtudisc=false \
			ingress_filter=true mtu=1300
	log_test "re-addressing without options keeps them (and the MTU)" $?
	step ns_gifctl "$A" tunnel set gifo 198.18.0.1 198.18.0.52 ttl 6 ecn compat &&
		shows gifo dst=198.18.0.52 ttl=6 dscp=7 ecn=compat pmtudisc=false \
			ingress_filter=true mtu=1300
	log_test "re-addressing with options: those given change, the others stay" $?
	step ns_gifctl "$A" destroy gifo
}

test_refused_values() {
	local args a
	BEFORE=$(state)
	# "OPTIONS|WORD": WORD must be in the error line
	for args in "ttl 0|ttl" "ttl 256|ttl" "ttl -1|ttl" "ttl 1x|ttl" "ttl Inherit|ttl" \
		"dscp 64|dscp" "dscp -1|dscp" "ecn maybe|ecn" "ecn Normal|ecn" \
		"pmtudisc yes|pmtudisc" "pmtudisc 1|pmtudisc" "ingress-filter yes|ingress-filter" \
		"mtu abc|mtu" "mtu 99999999999999999999|mtu" "bogus 1|bogus" \
		"ingress_filter on|ingress_filter" "TTL 5|TTL" "ttl 5 ttl 6|ttl" \
		"ttl 5 dscp 1 ttl 5|ttl" "ttl|ttl" "ttl 5 dscp|dscp"; do
		read -ra a <<<"${args%|*}"
		refused 2 "${args#*|}" gif0 198.18.0.1 198.18.0.2 "${a[@]}"
		log_test "refused (exit 2, one line, nothing changed): ${args%|*}" $?
	done
	refused 2 ttl gifz 198.18.0.1 198.18.0.77 ttl 0 && no_link "$A" gifz
	log_test "invalid option on a new device: exit 2, device not created" $?
}

test_refused_mtu() {
	BEFORE=$(state)
	refused 1 1481 gif0 198.18.0.1 198.18.0.2 mtu 1481
	log_test "gif0 (IPv4 outer, 1500 underlay) mtu 1481: exit 1, nothing changed" $?
	refused 1 1461 gif6 2001:db8:ff::1 2001:db8:ff::2 mtu 1461
	log_test "gif6 (IPv6 outer, 1500 underlay) mtu 1461: exit 1, nothing changed" $?
	refused 1 1279 gif0 198.18.0.1 198.18.0.2 mtu 1279 &&
		refused 1 1279 gif6 2001:db8:ff::1 2001:db8:ff::2 mtu 1279
	log_test "mtu 1279 (below 1280): exit 1, nothing changed" $?
	refused 1 1481 gif0 198.18.0.1 198.18.0.2 ttl 5 dscp 3 mtu 1481 && shows gif0 ttl=64
	log_test "mtu 1481 with other options: none of them applied" $?
	refused 1 1481 gifz 198.18.0.1 198.18.0.77 mtu 1481 && no_link "$A" gifz &&
		no_link "$A" gifz-gp
	log_test "mtu 1481 on a new device: exit 1, device not created" $?
}

# ---- the outer header on the wire ---------------------------------------------------------------

test_wire_ttl_dscp_df() {
	both ttl 17 && wire "-t 33" && wire_has "" ttl=17
	log_test "wire: ttl 17 -> outer TTL / hop limit 17 (ping -t 33)" $?
	both ttl inherit && wire "-t 33" && wire_has "" ttl=33
	log_test "wire: ttl inherit -> outer TTL / hop limit = inner (ping -t 33)" $?
	both ttl 64 dscp 10 && wire "-Q 0xb8" "-Q 0x02" &&
		wire_has inner_dscp=46 "ttl=64 dscp=10 ecn=0" &&
		wire_has inner_dscp=0 "dscp=10 ecn=2"
	log_test "wire: dscp 10 -> outer DSCP 10 for inner 46 and 0, ECN still copied" $?
	both dscp inherit pmtudisc off && wire "-Q 0xb8" && wire_has "" dscp=46 df=false
	log_test "wire: pmtudisc off -> no DF on the IPv4 outer" $?
	defaults gif0 gif6 && wire "-Q 0xb8 -t 33" &&
		wire_has "" "ttl=64 dscp=46 csum_ok=true len_ok=true" df=true
	log_test "wire: defaults again -> ttl 64, DSCP copied, DF" $?
	restore
}

test_wire_ecn() {
	wire "-Q 0x02" "-Q 0x01" && wire_has inner_ecn=2 ecn=2 && wire_has inner_ecn=1 ecn=1
	log_test "wire: ecn normal, inner ECT(0) / ECT(1) -> outer ECT(0) / ECT(1)" $?
	both ecn compat && wire "-Q 0xba" "-Q 0x01" &&
		wire_has inner_ecn=2 "ecn=0 dscp=46 inner_dscp=46" && wire_has inner_ecn=1 ecn=0
	log_test "wire: ecn compat, inner ECT(0) / ECT(1) -> outer Not-ECT, DSCP copied" $?
	restore
}

# ---- IPv6 flow label -------------------------------------------------------------------------

# udp_flows NS DST N: N UDP flows from NS to DST port 9, source ports 40001 to 40000+N, 3
# datagrams each (B's answers, ICMP, are B's tunnel packets, not A's)
udp_flows() {
	ip netns exec "$1" "$PY" - "$2" "$3" <<'EOF'
import socket, sys
dst, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    s = socket.socket(socket.AF_INET6 if ":" in dst else socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", 40001 + i))
    for _ in range(3):
        s.sendto(b"x" * 32, (dst, 9))
    s.close()
EOF
}

# RFC 6438: A's packets of one inner flow keep one outer flow label, and different flows get
# different labels (12 flows in 20 bits collide with a probability near 1e-4: one is allowed).
# 6in6 packets arrive with the socket's hash, 4in6 ones (unconnected IPv4 UDP) without one.
test_wire_flow_label() {
	local c labels rc
	for c in 4in6 6in6; do
		capture_start "$A" ua "$TMPD/flow.pcap" "$TUNNEL_FILTER" &&
			udp_flows "$A" "$(addr "$c" 2)" 12
		rc=$?
		capture_stop
		labels=$("$PY" "$E2E/dissect.py" "$TMPD/flow.pcap" | jeval lines "{p: sorted({r['flow']
			for r in j if r.get('inner_sport') == p and r['src'] == '${OUTER[gif6]}1'})
			for p in range(40001, 40013)}")
		note "labels by inner source port: $labels"
		[ $rc = 0 ] && "$PY" -c '
import ast, sys
d = ast.literal_eval(sys.argv[1])
sys.exit(0 if all(len(v) == 1 for v in d.values()) and len({v[0] for v in d.values()}) >= 11 else 1)
' "$labels"
		log_test "wire: $c, 12 UDP flows: one flow label each, 11 different at least" $?
	done
}

# gif_mtus UNDERLAY_MTU GIF0_MTU GIF6_MTU: both underlays' MTU and both sides' gif devices
# (through gifctl, the configured MTU), in the order that keeps every gif MTU within its route's:
# a raised underlay first, a lowered one last
gif_mtus() {
	local ns me raise=0
	[ "$1" -gt "$(ip -n "$A" -j link show ua | jeval doc 'j[0]["mtu"]')" ] && raise=1
	[ $raise = 0 ] || underlay_mtu "$1" || return 1
	for me in 1 2; do
		ns=$(side $me)
		step ns_gifctl "$ns" tunnel set gif0 "${OUTER[gif0]}$me" "${OUTER[gif0]}$((3 - me))" mtu "$2" &&
			step ns_gifctl "$ns" tunnel set gif6 "${OUTER[gif6]}$me" "${OUTER[gif6]}$((3 - me))" \
				mtu "$3" || return 1
	done
	[ $raise = 1 ] || underlay_mtu "$1"
}

# Inner headers outside the linear part (bpf/encap.bpf.h read_inner, inner_flow_hash): a packet
# socket sends 5000-byte UDP datagrams into gif with only their Ethernet header linear
# (tools.py send_paged). Each combination delivers all three intact; an IPv6 outer header carries
# one flow label for them, not zero (the kernel's flow dissector hashes them).
test_paged_headers() {
	local c gif srv rc labels got want what
	want="5000 $("$PY" -c 'import hashlib
print(hashlib.sha256((bytes(range(256)) * 20)[:5000]).hexdigest())')"	# tools.py send_paged's
	# A veth with XDP takes no MTU above a page: TC-ingress decapsulation for this test
	attach_both tc && gif_mtus 9000 8980 8960 ||
		{ log_test "paged inner headers: TC ingress, MTUs raised" 1; return; }
	for c in $COMBOS; do
		gif=${VIA[$c]} what=
		[[ $c == *in6 ]] && what=", one flow label, not 0"
		spawn timeout 15 ip netns exec "$B" "$PY" "$E2E/tools.py" recv_udp "$(addr "$c" 2)" 7000 3 \
			>"$TMPD/paged" 2>&1
		srv=$BGPID
		busywait 5000 grep -q ready "$TMPD/paged"
		capture_start "$A" ua "$TMPD/paged.pcap" "$TUNNEL_FILTER" &&
			run ip netns exec "$A" "$PY" "$E2E/tools.py" send_paged "$gif" "$(addr "$c" 1)" \
				"$(addr "$c" 2)" 7000 5000 3
		rc=$RC
		wait "$srv"
		capture_stop
		[ "$rc" = 0 ] || note "send_paged: $ERR"
		got=$(grep -v '^ready$' "$TMPD/paged" | sort | uniq -c | awk '{ print $1 " x " $2 " " $3 }')
		[ "$got" = "3 x $want" ] || { note "$c: received $got"; rc=1; }
		if [ -n "$what" ]; then
			labels=$("$PY" "$E2E/dissect.py" "$TMPD/paged.pcap" | jeval lines \
				"sorted({r['flow'] for r in j if r.get('inner_sport') == 40000})")
			[ "$labels" != "[]" ] && [ "$labels" != "[0]" ] && [[ $labels != *,* ]] ||
				{ note "$c: flow labels $labels"; rc=1; }
		fi
		log_test "paged inner headers, $c: three 5000-byte datagrams delivered intact$what" $rc
	done
	gif_mtus 1500 1480 1460 && attach_both "$RIG_DECAP" ||
		log_test "paged inner headers: rig restored" 1
}

# ---- ECN on decapsulation ------------------------------------------------------------------------

# Crafted B->A packets: "MODE OUTER_ECN INNER_ECN TAG RESULT", TAG the inner DSCP that tells the
# cases apart on gif, RESULT the inner ECN delivered or "drop" (rx_ecn_ce_not_ect).
ECN_CASES=(
	"normal 3 2 1 3"	# CE over ECT(0): CE
	"normal 1 2 2 1"	# ECT(1) over ECT(0): ECT(1)
	"normal 3 0 3 drop"	# CE over Not-ECT: dropped and counted
	"normal 1 0 4 0"	# ECT(1) over Not-ECT: unchanged, counted as rx_ecn_not_ect
	"normal 0 2 5 2"	# Not-ECT over ECT(0): unchanged
	"normal 3 3 6 3"	# CE over CE
	"off 3 0 7 0"		# ecn off: the outer ECN is ignored
	"off 3 2 8 2"
	"off 1 2 9 2"
)

# ecn_decap COMBO: every ECN case for COMBO, 5 packets each, gif captured in A
ecn_decap() {
	local c=$1 gif=${VIA[$1]} n=5 mode case m o i tag res tos wanted=() delivered=0 got
	stats_mark "$A"
	capture_start "$A" "$gif" "$TMPD/ecn.pcap" "src $(addr "$c" 2)" || return 1
	for mode in normal off; do
		tos=()
		for case in "${ECN_CASES[@]}"; do
			read -r m o i tag res <<<"$case"
			[ "$m" = $mode ] || continue
			tos+=("tos=$o/$((tag << 2 | i))")
			[ "$res" = drop ] && continue
			delivered=$((delivered + n))
			wanted+=("$tag:$res:$n")
		done
		# each mode's packets all handled before the next mode
		set_opts "$gif" ecn $mode && inject_combo ub ua "$c" $n "${tos[@]}" &&
			counters_are "$gif:rx_packets=$delivered" || break
	done
	sleep 0.3
	capture_stop
	set_opts "$gif" ecn normal || return 1
	# what arrived on gif: "TAG:ECN:COUNT" for every inner DSCP tag, headers checked
	got=$("$PY" "$E2E/dissect.py" --plain "$TMPD/ecn.pcap" | jeval lines '" ".join(
		f"{t}:{e}:{n}" for (t, e), n in sorted(__import__("collections").Counter(
			(o["tos"] >> 2, o["tos"] & 3)
			for o in j if o["csum_ok"] and o["len_ok"]).items()))')
	eq "tag:ECN:count received on $gif (tag 3, CE over Not-ECT: none)" "$got" "${wanted[*]}" &&
		counters_are "$gif:rx_packets=$delivered" "$gif:rx_ecn_ce_not_ect=$n" \
			"$gif:rx_ecn_not_ect=$n"
}

test_ecn_decap() {
	local c
	for c in $COMBOS; do
		ecn_decap "$c"
		log_test "ECN decap $c: RFC 6040 table, CE over Not-ECT dropped, ecn off" $?
	done
}

# ---- receive-side validation -------------------------------------------------------------------

# martians SRC,SRC... ODST ISRC IDST: 5 crafted packets from each martian source are counted as
# rx_martian in the "(no tunnel)" entry and reach no gif device
martians() {
	local n=$(($(tr -cd , <<<"$1" | wc -c) * 5 + 5))
	stats_mark "$A"
	inject ub ua "$@" 5 && counters_are 0:rx_martian=$n 0:rx_no_tunnel=0 gif0:rx_packets=0 \
		gif6:rx_packets=0
}

test_martian() {
	martians 127.0.0.1,224.0.0.1,0.0.0.0,255.255.255.255 198.18.0.1 198.19.0.2 198.19.0.1
	log_test "martian IPv4 outer sources (127.0.0.1, 224.0.0.1, 0.0.0.0, bcast)" $?
	martians ::1,::ffff:198.18.0.2,ff02::1,:: 2001:db8:ff::1 2001:db8:2::2 2001:db8:2::1
	log_test "martian IPv6 outer sources (::1, ::ffff:198.18.0.2, ff02::1, ::)" $?
}

test_rx_no_tunnel() {
	stats_mark "$A"
	inject ub ua 198.18.0.3 198.18.0.1 198.19.0.2 198.19.0.1 5 &&
		inject ub ua 2001:db8:ff::3 2001:db8:ff::1 2001:db8:2::2 2001:db8:2::1 5 &&
		counters_are 0:rx_no_tunnel=10 0:rx_martian=0 gif0:rx_packets=0 gif6:rx_packets=0
	log_test "unknown pair (IPv4 and IPv6 outer): not decapsulated, rx_no_tunnel" $?
}

# Packets of a tunnel's pair that cannot be decapsulated: counted by reason, delivered to no gif.
test_rx_refused() {
	local c
	for c in 4in4 6in6 6in4 4in6; do
		stats_mark "$A"
		inject_combo ub ua "$c" 3 frag && inject_combo ub ua "$c" 4 mismatch &&
			counters_are 0:rx_fragment=3 "${VIA[$c]}:rx_inner_mismatch=4" \
				gif0:rx_packets=0 gif6:rx_packets=0
		log_test "$c: 3 outer fragments rx_fragment, 4 wrong inner versions rx_inner_mismatch" $?
	done
	stats_mark "$A"
	inject_combo ub ua 4in4 5 badsum && counters_are 0:rx_malformed=5 gif0:rx_packets=0
	log_test "4in4 with a bad outer header checksum: rx_malformed, not decapsulated" $?
}

# second_link: veth ua2 (A) <-> ub2 (B), 198.18.2.0/24 and 2001:db8:f2::/64, gifctl on ua2
second_link() {
	step ip link add ua2 netns "$A" type veth peer name ub2 netns "$B" &&
		step ip -n "$A" addr add 198.18.2.1/24 dev ua2 &&
		step ip -n "$A" addr add 2001:db8:f2::1/64 dev ua2 nodad &&
		step ip -n "$B" addr add 198.18.2.2/24 dev ub2 &&
		step ip -n "$B" addr add 2001:db8:f2::2/64 dev ub2 nodad &&
		step ip -n "$A" link set ua2 up && step ip -n "$B" link set ub2 up &&
		step ns_gifctl "$A" attach ua2
}

# filtered COMBO IFACE_B IFACE_A COUNTER: 5 packets of COMBO's pair from IFACE_B to IFACE_A move
# COUNTER (rx_packets or rx_ingress_filter) of the gif by 5 and not the other one
filtered() {
	local c=$1 gif=${VIA[$1]} other=rx_packets
	[ "$4" = rx_packets ] && other=rx_ingress_filter
	stats_mark "$A"
	inject_combo "$2" "$3" "$c" 5 && counters_are "$gif:$4=5" "$gif:$other=0"
}

test_ingress_filter() {
	local c gif
	second_link || { log_test "second link ua2 <-> ub2 with gifctl on ua2" 1; return; }
	for c in 4in4 6in6; do
		gif=${VIA[$c]}
		set_opts "$gif" ingress-filter on && filtered "$c" ub2 ua2 rx_ingress_filter
		log_test "ingress-filter on: $gif's pair on ua2 (not the route back) dropped" $?
		filtered "$c" ub ua rx_packets
		log_test "ingress-filter on: $gif's pair on ua (the route back) decapsulated" $?
		set_opts "$gif" ingress-filter off && filtered "$c" ub2 ua2 rx_packets
		log_test "ingress-filter off: $gif's pair on ua2 decapsulated" $?
	done
	step ns_gifctl "$A" detach ua2 && step ip -n "$A" link del ua2
}

# ---- path MTU ------------------------------------------------------------------------------------

test_pmtu_local() {
	local c
	for c in $COMBOS; do
		pmtu_local "$c"
		log_test "local ping -M do $c: largest fits, +1 byte: message too long, mtu" $?
	done
	set_opts gif0 mtu 1400 && set_opts gif6 mtu 1300 ||
		{ log_test "gif0 mtu 1400, gif6 mtu 1300" 1; return; }
	for c in $COMBOS; do
		pmtu_local "$c"
		log_test "local ping -M do $c with gif0 mtu 1400, gif6 mtu 1300" $?
	done
	restore
}

# third_ns: namespace S behind A (veth sa <-> as, 198.18.3.0/24, 2001:db8:3::/64), A forwarding,
# B routing S's prefixes back through gif0 (IPv4) and gif6 (IPv6)
third_ns() {
	ns_new S gifS && step ip link add sa netns "$S" type veth peer name as netns "$A" &&
		step ip -n "$S" addr add 198.18.3.2/24 dev sa &&
		step ip -n "$S" addr add 2001:db8:3::2/64 dev sa nodad &&
		step ip -n "$A" addr add 198.18.3.1/24 dev as &&
		step ip -n "$A" addr add 2001:db8:3::1/64 dev as nodad &&
		step ip -n "$S" link set sa up && step ip -n "$A" link set as up &&
		step ip -n "$S" route add default via 198.18.3.1 &&
		step ip -n "$S" -6 route add default via 2001:db8:3::1 &&
		step ip netns exec "$A" sysctl -q net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1 &&
		step ip -n "$B" route add 198.18.3.0/24 dev gif0 &&
		step ip -n "$B" -6 route add 2001:db8:3::/64 dev gif6 &&
		ping_ok "$S" "$(addr 4in4 2)" && ping_ok "$S" "$(addr 6in6 2)"
}

# pmtu_forwarded COMBO ICMP_TEXT: from S, the largest DF ping that fits the gif passes; one byte
# more is answered by A with ICMP_TEXT (ping's rendering) and S's route to B learns the MTU
pmtu_forwarded() {
	local c=$1 want=$2 mtu fit dst
	mtu=$(gif_mtu "$A" "${VIA[$c]}")
	fit=$((mtu - $(hdr "$c")))
	dst=$(addr "$c" 2)
	ping_ok "$S" -M do -s $fit "$dst" || return 1
	run timeout 10 ip netns exec "$S" ping -c 1 -W 2 -M do -s $((fit + 1)) "$dst"
	if [ "$RC" -eq 0 ] || [[ $OUT != *"$want"* ]]; then
		note "ping -M do -s $((fit + 1)) $dst from S exited $RC, want '$want': $OUT $ERR"
		return 1
	fi
	run ip -n "$S" route get "$dst"
	[[ $OUT == *"mtu $mtu"* ]] && return 0
	note "S's route to $dst did not learn mtu $mtu: $OUT"
	return 1
}

test_pmtu_forwarded() {
	third_ns || { log_test "third namespace S routed through A into the tunnels" 1; return; }
	pmtu_forwarded 4in4 "Frag needed and DF set (mtu = 1480)"
	log_test "forwarded S->B via gif0: -s 1452 passes, 1453 gets Frag needed mtu 1480" $?
	pmtu_forwarded 6in6 "Packet too big: mtu=1460"
	log_test "forwarded S->B via gif6: -s 1412 passes, 1413 gets Packet too big 1460" $?
	ping_ok "$S" -M dont -s 3000 "$(addr 4in4 2)" && ping_ok "$S" -s 3000 "$(addr 6in6 2)"
	log_test "forwarded 3000-byte pings (fragmented, not dropped) pass" $?
}

# Counted for the whole path MTU section: the tunnels accepted nothing they then dropped for size.
test_no_silent_size_drop() {
	counters_are gif0:tx_too_big=0 gif6:tx_too_big=0
	log_test "no tx_too_big on gif0 / gif6 after all the path MTU pings" $?
}

# flush_pmtu NS...: forget the path MTUs NS learned
flush_pmtu() {
	local ns
	for ns in "$@"; do
		ip -n "$ns" route flush cache && ip -n "$ns" -6 route flush cache
	done
}

# told NS COMBO MTU: with the underlays' MTU lowered below what the gifs were set up for, a DF
# ping from NS that fits the gif but not the outer path any more is answered with the tunnel's
# MTU on that path (ICMP from the datapath, exactly one for the one packet, none dropped
# silently); NS's route learns it, and the largest ping that fits it then passes
told() {
	local ns=$1 c=$2 mtu=$3 dst
	dst=$(addr "$c" 2)
	stats_mark "$A"
	run timeout 10 ip netns exec "$ns" ping -c 1 -W 2 -M do -s $((mtu + 40 - $(hdr "$c"))) "$dst"
	if [ "$RC" -eq 0 ] || ! grep -Eq "mtu ?[=:]? ?$mtu\b" <<<"$OUT$ERR"; then
		note "ping -M do -s $((mtu + 40 - $(hdr "$c"))) $dst from $ns exited $RC, want mtu $mtu:"
		note "  $(grep -v '^$' <<<"$OUT$ERR" | tail -n 3 | xargs)"
		return 1
	fi
	counters_are "${VIA[$c]}:tx_too_big=1" "${VIA[$c]}:tx_ptb_sent=1" || return 1
	run ip -n "$ns" route get "$dst"
	[[ $OUT == *"mtu $mtu"* ]] || { note "$ns's route to $dst did not learn mtu $mtu: $OUT"; return 1; }
	ping_ok "$ns" -M do -s $((mtu - $(hdr "$c"))) "$dst"
}

# The underlays' MTU shrinks to 1400 after the tunnels were set up (gif0 stays 1480, gif6 1460).
test_underlay_shrinks() {
	local c
	[ -n "${S:-}" ] || { skip_test "underlay mtu lowered later" "no namespace S"; return; }
	underlay_mtu 1400 && flush_pmtu "$A" "$S" || { log_test "underlay mtu 1400" 1; return; }
	for c in 4in4 6in6; do
		told "$S" "$c" $((1400 - $(hdr_outer "$c")))
		log_test "underlay mtu 1400, forwarded $c: sender told mtu $((1400 - $(hdr_outer "$c"))), then fits" $?
	done
	flush_pmtu "$S"
	stats_mark "$A"
	# 1: dropped by A, S told; 2: its 1480-byte reply dropped by B, B told; 3, 4: fragmented
	run timeout 10 ip netns exec "$S" ping -c 4 -i 0.3 -W 2 -M dont -s 1452 "$(addr 4in4 2)"
	[[ $OUT == *" 2 received, +1 errors"* ]] || note "ping -M dont -s 1452 from S: $OUT"
	[[ $OUT == *" 2 received, +1 errors"* ]] && counters_are gif0:tx_too_big=1 gif0:tx_ptb_sent=1
	log_test "underlay mtu 1400, forwarded 4in4 without DF: told, then fragmented both ways" $?
	for c in $COMBOS; do
		told "$A" "$c" $((1400 - $(hdr_outer "$c")))
		log_test "underlay mtu 1400, local $c: sender told mtu $((1400 - $(hdr_outer "$c"))), then fits" $?
	done
	for c in 4in4 6in6; do
		flush_pmtu "$A"
		stats_mark "$A"
		xfer "$c" $((4 << 20)) && counters_are "${VIA[$c]}:tx_ptb_sent=1+"
		log_test "underlay mtu 1400: 4 MiB TCP A->B over $c (segmentation offload) learns it" $?
	done
	underlay_mtu 1500 && flush_pmtu "$A" "$S"
}

# ---- loops ---------------------------------------------------------------------------------------

# loop_set GIF SRC DST VIA: `tunnel set GIF SRC DST` whose DST is routed through VIA: exit 0
# (not 124: ns_gifctl's time limit), one warning line naming the loop and VIA
loop_set() {
	step ns_gifctl "$A" tunnel set "$1" "$2" "$3" || return 1
	one_err_line "gifctl: tunnel set $1: warning" || return 1
	[[ $ERR == *loop* && $ERR == *"$4"* ]] && return 0
	note "warning does not mention the loop through $4: $ERR"
	return 1
}

# loop_drops GIF INNER_PEER: pings into GIF are dropped and counted as tx_loop, nothing sent
loop_drops() {
	stats_mark "$A"
	ping_fails "$A" "$2" && [ "$MS" -lt 10000 ] &&
		counters_are "$1:tx_loop=2+" "$1:tx_packets=0"
}

test_loop() {
	step ip -n "$A" route add 198.18.9.2/32 dev gif6 && loop_set gifl 198.18.0.1 198.18.9.2 gif6
	log_test "tunnel set gifl, remote routed via gif6: exit 0, warning about the loop" $?
	step ip -n "$A" addr add 198.19.9.1 peer 198.19.9.2 dev gifl && loop_drops gifl 198.19.9.2
	log_test "traffic into gifl (loop through gif6): dropped, tx_loop, no hang" $?
	step ip -n "$A" route add 198.18.9.3/32 dev gifl &&
		loop_set gifl 198.18.0.1 198.18.9.3 gifl && loop_drops gifl 198.19.9.2
	log_test "gifl re-addressed to a remote routed via itself: warning, tx_loop" $?
	step ip -n "$A" -6 route add 2001:db8:9::2/128 dev gif0 &&
		loop_set gifm 2001:db8:ff::1 2001:db8:9::2 gif0 &&
		step ip -n "$A" addr add 198.19.9.5 peer 198.19.9.6 dev gifm &&
		loop_drops gifm 198.19.9.6
	log_test "IPv6-outer gifm, remote routed via gif0: warning, tx_loop" $?
	ping_ok "$A" "$(addr 4in4 2)" && ping_ok "$A" "$(addr 6in6 2)"
	log_test "gif0 / gif6 unaffected by the loops" $?
	step ns_gifctl "$A" destroy gifl && step ns_gifctl "$A" destroy gifm
}

# ---- option changes under traffic --------------------------------------------------------------

# FLOOD: 500 pings 10 ms apart, at most 20 s
FLOOD=(ping -q -i 0.01 -c 500 -w 20 -W 1)

# replies FILE: the number of replies in ping's summary in FILE
replies() { sed -nE 's/.* ([0-9]+) received.*/\1/p' "$1"; }

test_change_under_traffic() {
	local bare=500 got i rc=0 dst ttls
	dst=$(addr 4in4 2)
	capture_start "$A" ua "$TMPD/flood.pcap" "$TUNNEL_FILTER" || { log_test "flood" 1; return; }
	spawn timeout 30 ip netns exec "$A" "${FLOOD[@]}" "$dst" >"$TMPD/flood"
	for i in $(seq 20); do
		set_opts gif0 ttl 100 && set_opts gif0 ttl 64 || { rc=1; break; }
	done
	wait "$BGPID"
	capture_stop
	got=$(replies "$TMPD/flood")
	if [ "${got:-0}" -lt 500 ]; then	# what does the same flood lose without changes?
		timeout 30 ip netns exec "$A" "${FLOOD[@]}" "$dst" >"$TMPD/bare"
		bare=$(replies "$TMPD/bare")
	fi
	if [ "${got:-0}" -lt "${bare:-500}" ]; then
		note "flood with 40 option changes: ${got:-?} of 500 replies; bare run: ${bare:-?}"
		rc=1
	fi
	ttls=$("$PY" "$E2E/dissect.py" "$TMPD/flood.pcap" |
		jeval lines 'sorted(set(o["ttl"] for o in j if o["src"] == "198.18.0.1"))')
	eq "outer TTLs seen during the flood" "$ttls" "[64, 100]" || rc=1
	shows gif0 ttl=64 || rc=1
	log_test "ttl 100 <-> 64 x20 under a ping flood: no loss, both TTLs seen, show 64" $rc
}

# ---- counters --------------------------------------------------------------------------------

test_tx_no_tunnel() {
	stats_mark "$A"
	step ns_gifctl "$A" tunnel delete gif0 && ping_fails "$A" "$(addr 4in4 2)" &&
		counters_are gif0:tx_no_tunnel=2+ gif0:tx_packets=0 &&
		step ns_gifctl "$A" -j stats &&
		jcheck '"gif0" in [o.get("name") for o in j]' <<<"$OUT"
	log_test "tunnel delete gif0, then ping: tx_no_tunnel; gif0 still in stats" $?
	set_opts gif0 && ping_ok "$A" "$(addr 4in4 2)"
	log_test "tunnel set gif0 again: traffic flows" $?
}

# bpftool_stats: `bpftool map dump` (BTF-formatted JSON) of A's gif_stats into $TMPD/bpftool
bpftool_stats() {
	local id
	id=$(gif_maps "$A" dump | jeval doc 'j["ids"]["gif_stats"]') &&
		bpftool map dump id "$id" >"$TMPD/bpftool" && return 0
	note "cannot dump A's gif_stats (map id '$id')"
	return 1
}

test_stats_listing() {
	local names text
	step ns_gifctl "$A" -j show &&
		names=$(jeval doc 'sorted(o["name"] for o in j)' <<<"$OUT") &&
		step ns_gifctl "$A" -j stats && jcheck "
		sorted(o['name'] for o in j if o['ifindex']) == $names and
		[o for o in j if o['ifindex'] == 0 and 'name' not in o] != [] and
		all(isinstance(o.get(c), int) and o[c] >= 0
		    for o in j for c in '''$COUNTERS'''.split())" <<<"$OUT"
	log_test "-j stats: every gif device and (no tunnel), every counter a number" $?
	step ns_gifctl "$A" stats && STATS_TEXT=$OUT COUNTERS="$COUNTERS" NAMES="$names" \
		"$PY" -c '
import ast, os, re, sys
blocks = re.split(r"^(?=\S)", os.environ["STATS_TEXT"], flags=re.M)
heads = [b.split(":")[0] for b in blocks if b.strip()]
want = ast.literal_eval(os.environ["NAMES"]) + ["(no tunnel)"]
bad = [] if sorted(heads) == sorted(want) else [f"entries {heads}, want {want}"]
for b in blocks:
    for c in os.environ["COUNTERS"].split():
        if b.strip() and not re.search(rf"\b{c} \d+\b", b):
            bad.append(f"{b.split(chr(10))[0]} lacks {c}")
sys.exit("\n".join(bad) or None)' 2>"$TMPD/err" || { note "$(<"$TMPD/err")"; false; }
	log_test "stats (text): every gif device and (no tunnel), every counter" $?
	step ns_gifctl "$A" stats && text=$OUT && step ns_gifctl "$A" -j stats &&
		TEXT=$text jcheck '(lambda text, z: text == z and z["rx_martian"] >= 40)(
			{k: int(v) for k, v in re.findall(r"(\w+) (\d+)",
			 __import__("os").environ["TEXT"].split("(no tunnel):")[1])},
			{k.replace("ifindex", "index"): v for o in j if o["ifindex"] == 0
			 for k, v in o.items()})' <<<"$OUT"
	log_test "stats text and -j agree on (no tunnel); rx_martian shows the 40 sent" $?
	bpftool_stats && step ns_gifctl "$A" -j stats && jcheck '(lambda bt: all(
		sorted(e["values"][0]["value"][""][""]) == sorted("""'"$COUNTERS"'""".split())
		for e in bt) and {c: sum(v["value"][""][""][c] for v in e["values"])
		for e in bt if e["key"] == 0 for c in ("rx_martian", "rx_no_tunnel")} ==
		{c: o[c] for o in j if o["ifindex"] == 0 for c in ("rx_martian", "rx_no_tunnel")})(
		json.load(open("'"$TMPD/bpftool"'")))' <<<"$OUT"
	log_test "bpftool map dump of gif_stats: every counter by name, sums agree with stats" $?
	step ns_gifctl "$A" -j stats gif0 && jcheck '[o["name"] for o in j] == ["gif0"]' <<<"$OUT"
	log_test "-j stats gif0: one object" $?
	expect 1 ns_gifctl "$A" stats nosuch0 && one_err_line "gifctl: stats nosuch0"
	log_test "stats of a missing device: exit 1, one line" $?
}

rig_up
test_defaults
test_show_options
test_options_kept
test_options_new_device
test_refused_values
test_refused_mtu
test_wire_ttl_dscp_df
test_wire_ecn
test_wire_flow_label
test_paged_headers
test_ecn_decap
test_martian
test_rx_no_tunnel
test_rx_refused
test_ingress_filter
stats_mark "$A"	# for test_no_silent_size_drop
test_pmtu_local
test_pmtu_forwarded
test_no_silent_size_drop
test_underlay_shrinks
test_loop
test_tx_no_tunnel
test_change_under_traffic
test_stats_listing
tests_done
