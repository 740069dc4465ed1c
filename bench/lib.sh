# SPDX-License-Identifier: GPL-2.0
# Sourced by bench/run.sh: namespaces (removed on exit), the rigs, statistics helpers.
#
# Addresses: only 198.18.0.0/15 and 2001:db8::/32.
#   underlay            198.18.0.0/24, 2001:db8:ff::/64 (the host under test is .2 / ::2, the
#                       generator's side .1 / ::1)
#   scale remotes       198.18.64.0 + i, 2001:db8:fe::1:0 + i
#   decap inner         198.19.128.0/18 -> 198.19.192.1 (blackholed), 2001:db8:100:: -> 2001:db8:200::1
#   encap inner         198.19.160.0/24 -> 198.19.176.0/20 (routed into gif0),
#                       2001:db8:300:: -> 2001:db8:400::/64 (into gif6)
#   tcp rig             as tests/e2e/lib.sh: ua/ub 198.18.0.1|2, gif0 inner 198.19.0.1|2, gif6 inner
#                       2001:db8:2::1|2

set -u
# shellcheck source=tests/netns.sh
source "$(dirname "${BASH_SOURCE[0]}")/../tests/netns.sh"
GIFCTL=${GIFCTL:?set GIFCTL to the gifctl binary}
GIFBENCH=${GIFBENCH:?set GIFBENCH to the gifbench binary}
NSES=()
BGPIDS=()

cleanup() {
	local rc=$? pid ns
	# Cleaning up (and writing what was measured) is not cut short by a second signal; the
	# caller's time limit (bench.mk: timeout -k) still bounds it.
	trap - EXIT
	trap '' INT TERM
	for pid in "${BGPIDS[@]}"; do
		kill -- "-$pid" 2>/dev/null
		kill "$pid" 2>/dev/null
	done
	for ns in "${NSES[@]}"; do
		ns_del "$ns"
	done
	rm -f "$BENCH_LOCK"
	if declare -F on_cleanup >/dev/null; then
		on_cleanup
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { printf '%s\n' "$*" >&2; }
die() { log "bench: $*"; exit 1; }

# ns_new VAR ROLE: a namespace bnch-ROLE-<pid> (tests/netns.sh)
ns_new() { ns_add "$1" "bnch-$2-$$"; }

# spawn CMD...: in the background, in its own process group, ended by cleanup; pid in $BGPID
spawn() {
	setsid "$@" &
	BGPID=$!
	BGPIDS+=("$BGPID")
	disown "$BGPID"	# no "Killed" message when cleanup ends it
}

# bounded SECS CMD...: CMD, ended after SECS (SIGTERM; SIGKILL 10 s later: gifctl defers SIGTERM
# until its change is complete); waited for in the background, so that a signal
# (the suite's own time limit, Ctrl-C) is handled at once, not when CMD ends
bounded() {
	local secs=$1
	shift
	timeout -k 10 "$secs" "$@" &
	wait $!
}

# gifctl's configuration lock, /run/gifctl.lock, is one for the whole host: other users' gifctl
# commands would make ours wait, and a long `apply` of ours would stall theirs. The suite's
# gifctl commands see a lock file of their own there instead (a bind mount in a private mount
# namespace); nothing else about them changes.
BENCH_LOCK=$(mktemp /tmp/gifbench-lock.XXXXXX)	# 0600, as gifctl requires
[ -e /run/gifctl.lock ] || (umask 077 && : >>/run/gifctl.lock)

nsx() { local ns=$1; shift; bounded 120 ip netns exec "$ns" "$@"; }
gifctl() {
	local ns=$1
	shift
	bounded "${GIFCTL_TIMEOUT:-600}" unshare -m sh -c \
		'mount --bind "$0" /run/gifctl.lock && exec ip netns exec "$@"' \
		"$BENCH_LOCK" "$ns" "$GIFCTL" "$@"
}
# gifctl as a user runs it, on the host's lock (for timing single short commands)
gifctl_plain() { local ns=$1; shift; bounded 60 ip netns exec "$ns" "$GIFCTL" "$@"; }
gifbench() { local ns=$1; shift; bounded 120 ip netns exec "$ns" "$GIFBENCH" "$@"; }
sysctl_set() { nsx "$1" sh -c "echo $3 > /proc/sys/$2"; }
mac_of() { cat "/sys/class/net/$2/address" 2>/dev/null || ip -n "$1" -j link show dev "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])'; }

# tcp_rig A B SECS [MODE]: the TCP rig: namespaces A and B joined by the veth ua/ub (198.18.0.1/2,
# 2001:db8:ff::1/2) and, unless MODE is bare, gifctl attached (MODE xdp, with checksum offload
# off as veth underlays need; tc; empty: gifctl's choice) with gif0 (4in4, inner 198.19.0.1/2)
# and gif6 (6in6, inner 2001:db8:2::1/2) on both sides; an iperf3 server in B for SECS seconds.
# DST[COMBO/bare|gif]: the addresses to reach B by.
declare -A DST=([4in4/bare]=198.18.0.2 [6in6/bare]=2001:db8:ff::2
	[4in4/gif]=198.19.0.2 [6in6/gif]=2001:db8:2::2)
tcp_rig() {
	local side ns ul me peer
	ip link add ua netns "$1" type veth peer name ub netns "$2" || return 1
	for side in 1 2; do
		me=$side peer=$((3 - side)) ns=$1 ul=ua
		[ "$side" = 1 ] || ns=$2 ul=ub
		ip -n "$ns" addr add "198.18.0.$me/24" dev "$ul" &&
			ip -n "$ns" addr add "2001:db8:ff::$me/64" dev "$ul" nodad &&
			ip -n "$ns" link set "$ul" up || return 1
		case ${4:-} in
		bare) continue ;;
		xdp) nsx "$ns" ethtool -K "$ul" tx off >/dev/null || return 1 ;;
		esac
		gifctl "$ns" attach "$ul" ${4:+mode "$4"} >/dev/null &&
			gifctl "$ns" tunnel set gif0 "198.18.0.$me" "198.18.0.$peer" &&
			gifctl "$ns" tunnel set gif6 "2001:db8:ff::$me" "2001:db8:ff::$peer" &&
			ip -n "$ns" addr add "198.19.0.$me" peer "198.19.0.$peer" dev gif0 &&
			ip -n "$ns" addr add "2001:db8:2::$me" peer "2001:db8:2::$peer" dev gif6 nodad ||
			return 1
	done
	spawn timeout "$3" ip netns exec "$2" iperf3 -s -p 5201 >/dev/null 2>&1
	sleep 0.5
}

# dut_rig NS VARIANT: the host under test for the packet-rate benchmarks, in one namespace:
#
#   generator --XDP_REDIRECT--> ugen ==veth==> ua   (underlay: gifctl attached; 198.18.0.2)
#   generator --XDP_PASS--> gin (forwards into gif0/gif6, whose encapsulation leaves ua -> ugen,
#                                where a TC ingress program drops it)
#   decapsulated packets received on gif0/gif6 are dropped by a TC ingress program there
#   gif0: 198.18.0.2 -> 198.18.0.1, gif6: 2001:db8:ff::2 -> 2001:db8:ff::1 (made by gifctl)
#
# VARIANT gif: as gifctl makes it. base: the same, then gifctl's XDP program replaced by none
# (the baseline is attached per measurement) and gifctl's TC programs on gif0/gif6 by
# tc_redirect to ua. tc: gifctl switched to TC-ingress decapsulation (attach mode tc).
dut_rig() {
	local ns=$1 variant=$2 gif
	ip -n "$ns" link add ugen type veth peer name ua &&
		ip -n "$ns" link add gin type veth peer name ginp || return 1
	sysctl_set "$ns" net/ipv4/conf/all/forwarding 1
	sysctl_set "$ns" net/ipv6/conf/all/forwarding 1
	sysctl_set "$ns" net/ipv4/conf/all/rp_filter 0
	sysctl_set "$ns" net/ipv4/conf/default/rp_filter 0
	ip -n "$ns" addr add 198.18.0.2/24 dev ua &&
		ip -n "$ns" addr add 2001:db8:ff::2/64 dev ua nodad &&
		ip -n "$ns" link set ua up && ip -n "$ns" link set ugen up &&
		ip -n "$ns" link set gin up && ip -n "$ns" link set ginp up || return 1
	ip -n "$ns" neigh add 198.18.0.1 lladdr "$(nsx "$ns" cat /sys/class/net/ugen/address)" \
		dev ua nud permanent &&
		ip -n "$ns" neigh add 2001:db8:ff::1 lladdr \
			"$(nsx "$ns" cat /sys/class/net/ugen/address)" dev ua nud permanent || return 1
	gifctl "$ns" attach ua mode xdp >/dev/null &&
		gifctl "$ns" tunnel set gif0 198.18.0.2 198.18.0.1 &&
		gifctl "$ns" tunnel set gif6 2001:db8:ff::2 2001:db8:ff::1 || return 1
	ip -n "$ns" route add blackhole 198.19.192.0/24 &&
		ip -n "$ns" -6 route add blackhole 2001:db8:200::/64 &&
		ip -n "$ns" route add 198.19.176.0/20 dev gif0 &&
		ip -n "$ns" -6 route add 2001:db8:400::/64 dev gif6 &&
		ip -n "$ns" route add 198.19.160.0/24 dev gin &&
		ip -n "$ns" -6 route add 2001:db8:300::/64 dev gin || return 1
	# Sinks: what leaves the underlay, and what is received on gif0/gif6, is dropped at the
	# first hook after the device counted it, so the figures measure the path up to there.
	for gif in ugen gif0 gif6; do
		gifbench "$ns" base tc_drop "$gif" --ingress || return 1
	done
	case $variant in
	gif) ;;
	base)
		gifctl "$ns" detach ua >/dev/null || return 1
		for gif in gif0 gif6; do
			gifbench "$ns" base tc_redirect "$gif" --egress --target ua \
				--handle 0x6966 --prio 1 || return 1
		done
		;;
	tc)
		nsx "$ns" ethtool -K ua gro on >/dev/null &&
			gifctl "$ns" attach ua mode tc >/dev/null || return 1
		;;
	esac
}

# cp_conf N FILE: a configuration of N IPv4 tunnels b0..b(N-1) to 198.18.64.0 + i (control plane)
cp_conf() {
	local i
	{
		echo "attach ua"
		for ((i = 0; i < $1; i++)); do
			echo "tunnel b$i 198.18.0.2 198.18.$((64 + i / 256)).$((i % 256))"
		done
	} >"$2"
}

# devices_batch N FILE: an `ip -batch` FILE making the veth pairs that `gifctl apply` of N tunnels
# (cp_conf) makes, in gifctl's order (every setting before the peer, then the gif device, comes
# up: a change to a device that is up can walk the namespace's whole IPv6 FIB), and bringing them
# up: the devices' own cost, without BPF or TC
devices_batch() {
	local i
	for ((i = 0; i < $1; i++)); do
		echo "link add b$i numtxqueues 1 numrxqueues 1 type veth peer name b$i-gp" \
			"numtxqueues 1 numrxqueues 1"
		echo "link set b$i arp off"
		echo "link set b$i-gp arp off"
		echo "link set b$i-gp addrgenmode none"
		echo "link set b$i-gp up"
		echo "link set b$i up"
	done >"$2"
}

# wait_netns_cleanup [SECS]: the kernel removes a deleted namespace's devices in the background
# (in a worker named kworker/...+netns), holding RTNL; wait for it, at most SECS (default 15; other
# users' namespaces count too)
wait_netns_cleanup() {
	local i
	for ((i = 0; i < ${1:-15} * 5; i++)); do
		ps -eo comm | grep -q '+netns' || return 0
		sleep 0.2
	done
}
