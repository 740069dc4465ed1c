#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Wire interop with the Linux kernel's own tunnel drivers: gifctl in namespace A, the kernel's
# ipip, sit and ip6tnl devices in namespace B, joined by a veth "wire" ua <-> ub. Needs a kernel
# with those modules (the 6.1 guest of tests/vm/run-guest.sh; `modprobe ipip` must work).
#
# Phases (B's devices are re-created for each; A keeps gif0 = IPv4 outer, gif6 = IPv6 outer):
#   defaults     ipip, sit, ip6tnl mode ip4ip6 then ip6ip6, all with their default options
#                (ip6tnl adds an encapsulation-limit destination option): ping both ways, TCP
#                both ways (sha256-verified), what each side puts on the wire
#   encaplimit   ip6tnl mode any encaplimit none: 4in6 and 6in6 ping and TCP both ways
#   fixed        gifctl ttl 33 dscp 10 / ipip and sit ttl 33 tos 0x28 / ip6tnl hoplimit 33
#                tclass 0x28: every packet both ways has TTL 33, DSCP 10
#   inherit      gifctl ttl inherit dscp inherit / ipip and sit ttl inherit tos inherit / ip6tnl
#                hoplimit 0 (inherit) tclass inherit: outer TTL and DSCP are the inner ones
#   ecn          encapsulation of inner ECT(1), ECT(0), CE both ways; decapsulation of crafted
#                packets (outer x inner ECN) on both sides
#   pmtudisc     gifctl pmtudisc off / ipip nopmtudisc: DF and IP ID on the wire
# INTEROP_PHASES (default: all of the above, in that order) selects phases; "quick" is the short
# subset (4in4 with ipip and 6in6 with ip6tnl, defaults, ping both ways and the wire).
# The wire is captured on ub (B has no XDP program, so both directions show there) and checked
# with wire.py (standard library only: scapy takes 10-20 s to import in the emulated guest).
# What the kernel drivers do differently is asserted as observed on 6.1 and printed as "DIFF:"
# lines (tests/vm/README.md). Only 198.18.0.0/15 and 2001:db8::/32 are used.
# shellcheck disable=SC2015 # `a && b || fatal`: fatal when either fails, as meant
# shellcheck disable=SC2317 # the phase_* functions are called by name (INTEROP_PHASES)
# shellcheck disable=SC2086 # $OA4 and the like: addresses, one word each
source "$(dirname "$0")/../e2e/lib.sh"

WIRE=$ROOT/tests/vm/wire.py
TOOLS=$E2E/tools.py
XFER_SIZE=${XFER_SIZE:-$((2 << 20))}
INTEROP_PHASES=${INTEROP_PHASES:-defaults encaplimit fixed inherit ecn-encap ecn-decap pmtudisc}
OA4=198.18.0.1 OB4=198.18.0.2 OA6=2001:db8:ff::1 OB6=2001:db8:ff::2
# B's device for each combination (k6: the ip6tnl device of the phase)
declare -A KDEV=([4in4]=kip [6in4]=ksit [4in6]=k6 [6in6]=k6)
# ip6tnl modes, in iproute2's words, and the combinations each carries
declare -A K6COMBOS=([ip4ip6]=4in6 [ip6ip6]=6in6 [any]="4in6 6in6")
T=$'\t'

# diff_note TEXT: a difference between gifctl and the kernel drivers, printed in the log
diff_note() { echo "    DIFF: $*"; }

# phase NAME: start of a phase (its duration is printed at the next one)
phase() {
	[ -n "${PHASE:-}" ] && echo "    # phase $PHASE: $((SECONDS - PHASE_T0)) s"
	PHASE=$1 PHASE_T0=$SECONDS
}

# ---- the rig -----------------------------------------------------------------------------------

# nodad COMBO: NODAD=(nodad) for an inner IPv6 address, () for IPv4
nodad() {
	NODAD=()
	[[ $1 == 6* ]] && NODAD=(nodad)
}

rig() {
	local c
	ns_new A gifA && ns_new B gifB || return 1
	step ip link add ua netns "$A" type veth peer name ub netns "$B" || return 1
	step ip -n "$A" addr add $OA4/24 dev ua && step ip -n "$A" addr add $OA6/64 dev ua nodad &&
		step ip -n "$B" addr add $OB4/24 dev ub && step ip -n "$B" addr add $OB6/64 dev ub nodad ||
		return 1
	# veth rigs: native XDP on ua loses the checksum-offload state of what ub sends (README)
	step ip netns exec "$A" ethtool -K ua tx off && step ip netns exec "$B" ethtool -K ub tx off &&
		step ip -n "$A" link set ua up && step ip -n "$B" link set ub up || return 1
	step ns_gifctl "$A" attach ua mode xdp &&
		step ns_gifctl "$A" tunnel set gif0 $OA4 $OB4 &&
		step ns_gifctl "$A" tunnel set gif6 $OA6 $OB6 || return 1
	for c in $COMBOS; do
		nodad "$c"
		step ip -n "$A" addr add "$(addr "$c" 1)" peer "$(addr "$c" 2)" dev "${VIA[$c]}" \
			"${NODAD[@]}" || return 1
	done
	MAC_A=$(ip -j -n "$A" link show ua | jeval doc 'j[0]["address"]')
	MAC_B=$(ip -j -n "$B" link show ub | jeval doc 'j[0]["address"]')
}

# gif_opts OPTIONS...: set options on both of A's tunnels
gif_opts() {
	step ns_gifctl "$A" tunnel set gif0 $OA4 $OB4 "$@" &&
		step ns_gifctl "$A" tunnel set gif6 $OA6 $OB6 "$@"
}

# k_addrs DEV COMBO...: B's inner addresses of COMBO on DEV (DEV up first: IPv6 peer routes)
k_addrs() {
	local dev=$1 c
	shift
	step ip -n "$B" link set "$dev" up || return 1
	for c in "$@"; do
		nodad "$c"
		step ip -n "$B" addr add "$(addr "$c" 2)" peer "$(addr "$c" 1)" dev "$dev" \
			"${NODAD[@]}" || return 1
	done
}

# k_ipip OPTIONS...: B's ipip device kip (4in4); k_sit: sit device ksit (6in4)
k_ipip() {
	step ip -n "$B" link add kip type ipip local $OB4 remote $OA4 "$@" && k_addrs kip 4in4
}
k_sit() {
	step ip -n "$B" link add ksit type sit local $OB4 remote $OA4 "$@" && k_addrs ksit 6in4
}
# k_ip6tnl MODE OPTIONS...: B's ip6tnl device k6, carrying K6COMBOS[MODE]. Two ip6tnl devices
# cannot share a pair of endpoints, whatever their modes (ip6_tnl_locate).
k_ip6tnl() {
	local mode=$1
	shift
	# shellcheck disable=SC2086 # the combinations are words
	step ip -n "$B" link add k6 type ip6tnl local $OB6 remote $OA6 mode "$mode" "$@" &&
		k_addrs k6 ${K6COMBOS[$mode]}
}

# k_down: remove B's tunnel devices
k_down() {
	local d
	for d in kip ksit k6; do
		ip -n "$B" link del "$d" 2>/dev/null
	done
	return 0
}

# ---- traffic -----------------------------------------------------------------------------------

# both_pings COMBO LABEL [PING ARGS...]: ping A->B and B->A through COMBO, one test each
both_pings() {
	local c=$1 label=$2
	shift 2
	ping_ok "$A" "$@" "$(addr "$c" 2)"
	log_test "$c ping gifctl->${KDEV[$c]} ($label)" $?
	ping_ok "$B" "$@" "$(addr "$c" 1)"
	log_test "$c ping ${KDEV[$c]}->gifctl ($label)" $?
}

# listening NS PORT: a TCP socket listens on PORT in NS
listening() { [ -n "$(ip netns exec "$1" ss -Hltn "sport = :$2")" ]; }

# xfer FROM_NS TO_NS DST: XFER_SIZE random bytes over TCP; both ends hash what they saw
xfer() {
	local from=$1 to=$2 dst=$3 srv
	spawn timeout 60 ip netns exec "$to" "$PY" "$TOOLS" serve "$dst" 5001 >"$TMPD/srv" 2>&1
	srv=$BGPID
	# the sender retries for 5 s only: a python start in a busy emulated guest takes longer
	busywait 30000 listening "$to" 5001 ||
		note "nothing listens on port 5001 in $to after 30 s"
	run timeout 60 ip netns exec "$from" "$PY" "$TOOLS" send "$dst" 5001 "$XFER_SIZE"
	wait "$srv"
	if [ "$RC" -ne 0 ] || [ "${OUT%% *}" != "$XFER_SIZE" ]; then
		note "sender exited $RC: $OUT $ERR; receiver: $(<"$TMPD/srv")"
		return 1
	fi
	eq "receiver's 'bytes sha256'" "$(<"$TMPD/srv")" "$OUT"
}

both_xfers() {
	local c=$1 label=$2 kib=$((XFER_SIZE >> 10))
	xfer "$A" "$B" "$(addr "$c" 2)"
	log_test "$c TCP ${kib} KiB gifctl->${KDEV[$c]} ($label), sha256 verified" $?
	xfer "$B" "$A" "$(addr "$c" 1)"
	log_test "$c TCP ${kib} KiB ${KDEV[$c]}->gifctl ($label), sha256 verified" $?
}

# ---- the wire ----------------------------------------------------------------------------------

# cap_start NS DEV [FILTER]: capture on DEV into $TMPD/DEV.pcap (lib.sh's capture_start stops
# after 30 s, too soon in an emulated guest)
cap_start() {
	local ns=$1 dev=$2
	shift 2
	spawn timeout 300 ip netns exec "$ns" tcpdump --immediate-mode -Z root -i "$dev" -n -U \
		-w "$TMPD/$dev.pcap" "$@" 2>"$TMPD/$dev.log"
	CAPPID=$BGPID
	busywait 10000 grep -q 'listening on' "$TMPD/$dev.log" && return 0
	note "tcpdump on $dev did not start: $(cat "$TMPD/$dev.log")"
	return 1
}

# wire_start: capture the tunnel packets on ub: B has no XDP program, so both directions show
wire_start() { cap_start "$B" ub 'ip proto 4 or ip proto 41 or ip6'; }

# rule NAME COUNT SELECT WANT: one wire.py check rule (collected in RULES)
rule() { RULES+="$1$T$2$T$3$T$4"$'\n'; }

# sel COMBO DIR: select COMBO's packets sent by DIR (gifctl | kernel), by their inner source
sel() { echo "inner_src=$(addr "$1" "$([ "$2" = kernel ] && echo 2 || echo 1)")"; }

# check_rules MODE PCAP: stop the capture, check RULES against it, one test per rule
check_rules() {
	local verdict name why
	capture_stop
	if ! "$PY" "$WIRE" check "$1" "$2" <<<"$RULES" >"$TMPD/check" 2>&1; then
		note "$(cat "$TMPD/check")"
		log_test "wire.py check $1 ${2##*/}" 1
	else
		while IFS=$T read -r verdict name why; do
			[ "$verdict" = PASS ] || note "$why"
			log_test "$name" "$([ "$verdict" = PASS ] && echo 0 || echo 1)"
		done <"$TMPD/check"
	fi
	RULES=
}

# ---- phases ------------------------------------------------------------------------------------

# default_rules COMBO: what each side puts on the wire with default options, for pings with
# inner DSCP 46 and TTL 17 (requests) / 64 (replies)
default_rules() {
	local c=$1
	if [[ $c == *in4 ]]; then
		rule "$c wire gifctl->${KDEV[$c]}: TTL 64, DSCP inherited, DF" 2+ "$(sel "$c" gifctl)" \
			"ttl=64 dscp=@inner_dscp df=true csum_ok=true len_ok=true"
		# ipip/sit defaults: ttl inherit, tos 0, pmtudisc
		rule "$c wire ${KDEV[$c]}->gifctl: TTL inherited, DSCP 0, DF (Linux defaults)" 2+ \
			"$(sel "$c" kernel)" "ttl=@inner_ttl dscp=0 df=true csum_ok=true len_ok=true"
	else
		rule "$c wire gifctl->k6: hop limit 64, DSCP inherited, no extension header" 2+ \
			"$(sel "$c" gifctl)" "ttl=64 dscp=@inner_dscp encap_limit=null exthdrs=[] len_ok=true"
		# ip6tnl defaults: hoplimit 64, tclass 0, encaplimit 4
		rule "$c wire k6->gifctl: hop limit 64, DSCP 0, encap limit 4 (Linux defaults)" 2+ \
			"$(sel "$c" kernel)" "ttl=64 dscp=0 encap_limit=4 exthdrs=[60] len_ok=true"
	fi
}

# quick: the short subset (INTEROP_PHASES=quick, for `make check-kernels-quick`): 4in4 against
# ipip and 6in6 against ip6tnl (with its encapsulation-limit option), defaults, ping both ways
# and the wire
phase_quick() {
	local c
	k_down
	k_ipip && k_ip6tnl ip6ip6 || fatal "kernel ipip and ip6tnl devices"
	wire_start || fatal "capture on ub"
	for c in 4in4 6in6; do
		both_pings "$c" "defaults" -Q 0xb8 -t 17
		default_rules "$c"
	done
	check_rules dissect "$TMPD/ub.pcap"
}

# defaults: ping, TCP and the wire for every combination, both sides with default options
# (inner packets: DSCP 46, TTL 17 in requests, 64 in replies)
phase_defaults() {
	local c mode label combos
	gif_opts ttl 64 dscp inherit ecn normal pmtudisc on || return 1
	for mode in ip4ip6 ip6ip6; do
		k_down
		combos=${K6COMBOS[$mode]}
		if [ $mode = ip4ip6 ]; then
			k_ipip && k_sit || fatal "kernel ipip/sit devices"
			combos="4in4 6in4 $combos"
		fi
		k_ip6tnl $mode || fatal "kernel ip6tnl mode $mode device"
		wire_start || fatal "capture on ub"
		for c in $combos; do
			label=defaults
			[[ $c == *in6 ]] && label="ip6tnl mode $mode, defaults"
			both_pings "$c" "$label" -Q 0xb8 -t 17
			default_rules "$c"
		done
		check_rules dissect "$TMPD/ub.pcap"
		for c in $combos; do
			label=defaults
			[[ $c == *in6 ]] && label="ip6tnl mode $mode, defaults"
			both_xfers "$c" "$label"
		done
	done
	diff_note "defaults: ipip/sit send TTL = inner TTL (ttl inherit) and DSCP 0; gifctl TTL 64 and the inner DSCP (dscp inherit)"
	diff_note "defaults: ip6tnl sends DSCP 0 and an 8-byte destination options header (encap limit 4); gifctl the inner DSCP and no extension header (it skips the kernel's on receipt)"
	diff_note "defaults: the IPv4 outer ID is 0 from gifctl (DF set: an atomic datagram, RFC 6864), a counter from ipip/sit"
}

# encaplimit: ip6tnl mode any without the destination option, 4in6 and 6in6 in one device
phase_encaplimit() {
	local c
	k_down
	k_ip6tnl any encaplimit none || fatal "kernel ip6tnl mode any encaplimit none"
	wire_start || fatal "capture on ub"
	for c in 4in6 6in6; do
		both_pings "$c" "mode any, encaplimit none"
		rule "$c wire k6->gifctl (encaplimit none): no extension header" 2+ "$(sel "$c" kernel)" \
			"encap_limit=null exthdrs=[] len_ok=true"
	done
	check_rules dissect "$TMPD/ub.pcap"
	for c in 4in6 6in6; do
		both_xfers "$c" "mode any, encaplimit none"
	done
	eq "k6 MTU (encaplimit none)" "$(ip -j -n "$B" link show k6 | jeval doc 'j[0]["mtu"]')" 1460
	log_test "ip6tnl encaplimit none: MTU 1460, as gif6's" $?
	diff_note "MTU: ip6tnl has MTU 1452 with the default encaplimit (8 bytes of option), 1460 without; gif6 1460"
}

# agreed LABEL WANT: ping every combination both ways (inner DSCP 46, TTL 17), then each
# combination's packets both ways must have WANT (K=V...)
agreed() {
	local label=$1 want=$2 c
	wire_start || fatal "capture on ub"
	for c in $COMBOS; do
		both_pings "$c" "$label" -Q 0xb8 -t 17
		rule "$c wire gifctl->${KDEV[$c]} ($label): $want" 2+ "$(sel "$c" gifctl)" "$want"
		rule "$c wire ${KDEV[$c]}->gifctl ($label): $want" 2+ "$(sel "$c" kernel)" "$want"
	done
	check_rules dissect "$TMPD/ub.pcap"
}

# fixed: the same fixed TTL and DSCP configured on both sides
phase_fixed() {
	k_down
	gif_opts ttl 33 dscp 10 || return 1
	k_ipip ttl 33 tos 0x28 && k_sit ttl 33 tos 0x28 &&
		k_ip6tnl any hoplimit 33 tclass 0x28 || fatal "kernel devices with ttl 33 tos 0x28"
	agreed "ttl 33, dscp 10" "ttl=33 dscp=10"
}

# inherit: TTL and DSCP copied from the inner packet on both sides
phase_inherit() {
	k_down
	gif_opts ttl inherit dscp inherit || return 1
	k_ipip ttl inherit tos inherit && k_sit ttl inherit tos inherit &&
		k_ip6tnl any hoplimit 0 tclass inherit || fatal "kernel devices with ttl/tos inherit"
	agreed "ttl, dscp inherit" "ttl=@inner_ttl dscp=@inner_dscp"
}

# ecn_encap: inner ECT(1), ECT(0) and CE pinged both ways; what each encapsulator makes of it.
# RFC 6040 normal mode copies the field; Linux (INET_ECN_encapsulate) maps CE to ECT(0).
phase_ecn_encap() {
	local c q kq
	k_down
	gif_opts ttl 64 dscp inherit ecn normal || return 1
	k_ipip && k_sit && k_ip6tnl any || fatal "kernel devices (defaults)"
	wire_start || fatal "capture on ub"
	for c in $COMBOS; do
		for q in 1 2 3; do
			both_pings "$c" "inner ECN $q" -Q $q -c 2
			kq=$q
			[ $q = 3 ] && kq=2
			rule "$c ECN encap gifctl: inner $q -> outer $q (RFC 6040 normal mode)" 2+ \
				"$(sel "$c" gifctl) inner_ecn=$q" "ecn=$q"
			rule "$c ECN encap ${KDEV[$c]}: inner $q -> outer $kq (Linux)" 2+ \
				"$(sel "$c" kernel) inner_ecn=$q" "ecn=$kq"
		done
	done
	check_rules dissect "$TMPD/ub.pcap"
	diff_note "ECN encapsulation of inner CE: gifctl (ecn normal, RFC 6040) sends outer CE, the kernel drivers outer ECT(0) (RFC 3168 full functionality)"
}

# ECN decapsulation cases: "OUTER INNER GIFCTL KERNEL": the inner ECN after decapsulation, or
# "drop" (RFC 6040 §4.2). Each case is sent with its own inner DSCP (its index + 1).
ECN_CASES=("3 2 3 3" "3 1 3 3" "1 2 1 1" "3 0 drop drop" "2 0 0 0" "2 1 1 1" "0 2 2 2")

# decap_side SIDE COMBO: inject every case (3 packets each) towards SIDE (gifctl | kernel) and
# check what its tunnel device received (captured there)
decap_side() {
	local side=$1 c=$2 ns dev mac from ul i o inn want wg wk otos='' itos='' fam=4 want_kv
	local osrc odst isrc idst
	[[ $c == *in6 ]] && fam=6
	if [ "$side" = gifctl ]; then
		ns=$A dev=${VIA[$c]} from=$B ul=ub mac=$MAC_A
		eval "osrc=\$OB$fam odst=\$OA$fam"
		isrc=$(addr "$c" 2) idst=$(addr "$c" 1)
	else
		ns=$B dev=${KDEV[$c]} from=$A ul=ua mac=$MAC_B
		eval "osrc=\$OA$fam odst=\$OB$fam"
		isrc=$(addr "$c" 1) idst=$(addr "$c" 2)
	fi
	for i in "${!ECN_CASES[@]}"; do
		read -r o inn wg wk <<<"${ECN_CASES[$i]}"
		otos+=${otos:+,}$o itos+=${itos:+,}$(((i + 1) * 4 + inn))
		want=$wg
		[ "$side" = kernel ] && want=$wk
		want_kv="ecn=$want"
		[[ $c == 4in* ]] && want_kv+=" csum_ok=true"
		if [ "$want" = drop ]; then
			rule "$c ECN decap $side: outer $o, inner $inn -> dropped" 0 "src=$isrc dscp=$((i + 1))" ""
		else
			rule "$c ECN decap $side: outer $o, inner $inn -> $want" 3 "src=$isrc dscp=$((i + 1))" \
				"$want_kv"
		fi
	done
	cap_start "$ns" "$dev" || return 1
	timeout 60 ip netns exec "$from" "$PY" "$WIRE" inject "$ul" "$mac" "$osrc" "$odst" \
		"$isrc" "$idst" 3 otos="$otos" itos="$itos" || note "wire.py inject failed"
	sleep 0.5
	check_rules plain "$TMPD/$dev.pcap"
}

phase_ecn_decap() {
	local c side
	for c in 4in4 6in6; do
		for side in gifctl kernel; do
			decap_side $side $c
		done
	done
}

# pmtudisc: DF and IP ID with path MTU discovery off on both sides (ipip needs ttl inherit then)
phase_pmtudisc() {
	local m
	k_down
	gif_opts ttl inherit pmtudisc off || return 1
	k_ipip ttl inherit nopmtudisc || fatal "kernel ipip nopmtudisc"
	wire_start || fatal "capture on ub"
	for m in "do" "dont"; do
		ping_ok "$A" -M $m "$(addr 4in4 2)"
		log_test "4in4 ping gifctl->kip (pmtudisc off, inner -M $m)" $?
		ping_ok "$B" -M $m "$(addr 4in4 1)"
		log_test "4in4 ping kip->gifctl (nopmtudisc, inner -M $m)" $?
	done
	rule "4in4 wire gifctl (pmtudisc off): DF clear whatever the inner DF, IP IDs vary" 6+ \
		"$(sel 4in4 gifctl)" "df=false @distinct=id"
	rule "4in4 wire kip (nopmtudisc): inner DF set -> outer DF set" 3+ \
		"$(sel 4in4 kernel) inner_df=true" "df=true"
	rule "4in4 wire kip (nopmtudisc): inner DF clear -> outer DF clear" 3+ \
		"$(sel 4in4 kernel) inner_df=false" "df=false"
	check_rules dissect "$TMPD/ub.pcap"
	diff_note "pmtudisc off: gifctl always clears DF (random IP ID); ipip nopmtudisc copies the inner packet's DF"
	gif_opts ttl 64 pmtudisc on
}

preflight
for m in ipip sit ip6_tunnel; do
	modprobe $m || fatal "modprobe $m (the kernel's tunnel drivers are needed)"
done
rig || fatal "rig setup"
echo "    kernel $(uname -r), gifctl $GIFCTL"
RULES=
for p in $INTEROP_PHASES; do
	declare -F "phase_${p//-/_}" >/dev/null || fatal "INTEROP_PHASES: no phase $p"
done
for p in $INTEROP_PHASES; do
	phase "$p"
	"phase_${p//-/_}"
done
phase end
tests_done
